from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhixing.cases"
    label = "cases"
    verbose_name = "执行案件"

    def ready(self) -> None:
        from . import signals  # noqa: F401
