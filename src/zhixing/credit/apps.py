from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "zhixing.credit"
    label = "credit"
    verbose_name = "信用惩戒"

    def ready(self) -> None:
        from . import audit_words  # noqa: F401  (registers this app's audit words, docs/audit.md)
