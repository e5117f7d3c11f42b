from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "zhixing.courts"
    label = "courts"
    verbose_name = "法院与人员"

    def ready(self) -> None:
        # The main menu (core.navigation).
        from . import navigation

        navigation.install()
