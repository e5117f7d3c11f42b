from django.apps import AppConfig


class InquiryConfig(AppConfig):
    name = "zhixing.inquiry"
    label = "inquiry"
    verbose_name = "网络执行查控"

    def ready(self) -> None:
        # Services say "dispatch is due" (core.work); the tasks module does it. Installed here so every
        # process (web, worker, management commands) has the hook without services importing tasks.
        from .tasks import install_hooks

        install_hooks()
