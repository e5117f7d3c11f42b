from django.apps import AppConfig


class CommandConfig(AppConfig):
    """The enforcement command center (执行指挥中心): situation screens, quality metrics, alerts,
    dispatch, the field app and vehicle watch. It owns no copy of other domains' data: it reads them
    through their query modules and reacts to their events."""

    name = "zhixing.command"
    label = "command"
    verbose_name = "执行指挥中心"

    def ready(self) -> None:
        # Each feature module registers its menu entries, receivers and audit words here.
        from . import navigation

        navigation.install()
        from . import receivers

        receivers.connect()
        from . import (
            situation_tasks,  # noqa: F401  (registers the periodic reconciliation)
            wiring,
        )

        wiring.install()
