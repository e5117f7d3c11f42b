from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "zhixing.courts"
    label = "courts"
    verbose_name = "法院与人员"

    def ready(self) -> None:
        # The main menu (core.navigation).
        from . import navigation

        navigation.install()
        from . import audit_words  # noqa: F401  (registers this app's audit words, docs/audit.md)
