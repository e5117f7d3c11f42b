from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "zhixing.credit"
    label = "credit"
    verbose_name = "信用惩戒"

    def ready(self) -> None:
        # The main menu (core.navigation).
        from . import navigation

        navigation.install()
        # The home page's worklist (core.worklist): correction applications and their 复议.
        from . import worklist

        worklist.install()
        from . import audit_words  # noqa: F401  (registers this app's audit words, docs/audit.md)
