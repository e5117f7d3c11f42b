from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zhixing.documents"
    label = "documents"
    verbose_name = "文书"

    def ready(self) -> None:
        from . import audit_words  # noqa: F401  (registers this app's audit words, docs/audit.md)
