from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Disclosure to parties and the public (执行公开): the party portal, the public portal, tip-offs
    (举报) and petitions (信访)."""

    name = "zhixing.portal"
    label = "portal"
    verbose_name = "执行公开"

    def ready(self) -> None:
        # Each feature module registers its menu entries, receivers and audit words here.
        from . import navigation

        navigation.install()
