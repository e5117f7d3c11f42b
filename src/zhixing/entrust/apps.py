from django.apps import AppConfig


class EntrustConfig(AppConfig):
    """Entrustment between courts (委托执行 / 执行事项委托): whole cases to a court in another province,
    single matters to any other court through the command-center platform; inbox, outbox, clocks."""

    name = "zhixing.entrust"
    label = "entrust"
    verbose_name = "委托执行"

    def ready(self) -> None:
        from . import (
            audit_words,  # noqa: F401  (registers this app's audit words, docs/audit.md)
            navigation,
        )

        navigation.install()
