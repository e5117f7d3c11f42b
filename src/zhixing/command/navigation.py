"""The command center's main-menu section (指挥中心); each feature registers its entries in install()."""

from zhixing.core.navigation import Section, register_section


def install() -> None:
    register_section(Section("command", "指挥中心", 65, paths=("/command/",)))
    from .navigation_screens import register_entries

    register_entries()
    # Alerts, vehicle watch, dispatch and the field app (issue 21 items 3-6).
    from . import field_wiring

    field_wiring.register()
