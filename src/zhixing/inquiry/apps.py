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
        # Who may open this domain's pages a flow node's stored link points at (core.link_access).
        from . import link_targets

        link_targets.install()
        # Triage re-evaluates a case whenever one of its inquiry rounds completes.
        from .events import round_completed
        from .services.triage import on_round_completed

        round_completed.connect(on_round_completed, dispatch_uid="inquiry.triage.round_completed")
        # The 终本 precondition the inquiry record answers (network inquiry done).
        from zhixing.cases import events as case_events

        from . import dormant_facts

        case_events.dormant_facts.connect(dormant_facts.facts, dispatch_uid="inquiry.dormant_facts")
        # A resumed (执恢) case carries its original's property and controls.
        from .services.carry_over import on_refiled

        case_events.case_refiled.connect(on_refiled, dispatch_uid="inquiry.carry_over")
        # A preservation case's (执保) controls pass to the enforcement case filed after judgment.
        from .services.carry_over import on_preservation_carried

        case_events.preservation_carried.connect(
            on_preservation_carried, dispatch_uid="inquiry.preservation_carried"
        )
        # The main menu and the home page's worklist (core.navigation, core.worklist).
        from . import navigation, worklist

        navigation.install()
        worklist.install()
        # The documents this domain makes (zhixing.documents): assistance notices and control rulings.
        from . import notices

        notices.install()
        # The 终本 re-inquiry's result told to the applicants as a served document (终本规定 Art 9(2)).
        from . import documents_reinquiry

        documents_reinquiry.install()
        # The asset values the 执转破 screening weighs (zhixing.cases.queries_bankruptcy), issue 20.
        from . import bankruptcy_assets

        bankruptcy_assets.install()
