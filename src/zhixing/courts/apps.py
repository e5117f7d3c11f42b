from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "zhixing.courts"
    label = "courts"
    verbose_name = "法院与人员"

    def ready(self) -> None:
        from . import audit_words  # noqa: F401  (registers this app's audit words, docs/audit.md)
