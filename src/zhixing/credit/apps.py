from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "zhixing.credit"
    label = "credit"
    verbose_name = "信用惩戒"

    def ready(self) -> None:
        # The main menu (core.navigation).
        from . import navigation

        navigation.install()
