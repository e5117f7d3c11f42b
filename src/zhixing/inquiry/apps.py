from django.apps import AppConfig


class InquiryConfig(AppConfig):
    name = "zhixing.inquiry"
    label = "inquiry"
    verbose_name = "网络执行查控"

    def ready(self) -> None:
        from . import audit_words  # noqa: F401  (registers this app's audit words, docs/audit.md)

        # Services say "dispatch is due" (core.work); the tasks module does it. Installed here so every
        # process (web, worker, management commands) has the hook without services importing tasks.
        from .tasks import install_hooks

        install_hooks()
        # Triage re-evaluates a case whenever one of its inquiry rounds completes.
        from .events import round_completed
        from .services.triage import on_round_completed

        round_completed.connect(on_round_completed, dispatch_uid="inquiry.triage.round_completed")
        # The main menu and the home page's worklist (core.navigation, core.worklist).
        from . import navigation, worklist

        navigation.install()
        worklist.install()
        # The documents this domain makes (zhixing.documents): assistance notices and control rulings.
        from . import notices

        notices.install()
        # The asset values the 执转破 screening weighs (zhixing.cases.queries_bankruptcy), issue 20.
        from . import bankruptcy_assets

        bankruptcy_assets.install()
