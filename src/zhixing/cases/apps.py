from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhixing.cases"
    label = "cases"
    verbose_name = "执行案件"

    def ready(self) -> None:
        from . import (
            audit_words,  # noqa: F401  (registers this app's audit words, docs/audit.md)
            signals,  # noqa: F401
        )
