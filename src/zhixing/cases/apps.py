from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhixing.cases"
    label = "cases"
    verbose_name = "执行案件"

    def ready(self) -> None:
        from . import signals  # noqa: F401
        # The main menu and the home page's worklist (core.navigation, core.worklist).
        from . import navigation, worklist

        navigation.install()
        worklist.install()
