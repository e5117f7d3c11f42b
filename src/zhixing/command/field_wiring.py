"""Registration of the alerts / vehicle watch / dispatch / field-app feature (called from navigation.install).

Menu entries, audit words and the periodic tasks. The portal's tip-offs (`zhixing.portal.events.
tip_received`) are connected here.
"""

from __future__ import annotations

from zhixing.core.navigation import Entry, caps
from zhixing.core.navigation import register as register_entries
from zhixing.courts.roles import Cap


def register() -> None:
    from . import audit_words_field, field_tasks  # noqa: F401  (registers words and periodic tasks)

    register_entries(
        Entry("command", "command-alerts", "预警中心", "command_alerts", 20, caps(Cap.COMMAND_ALERTS)),
        Entry("command", "command-my-alerts", "我的预警", "command_my_alerts", 21),
        Entry("command", "command-watch", "车辆布控", "command_watch", 30, caps(Cap.COMMAND_ALERTS)),
        Entry("command", "command-tasks", "指挥调度", "command_tasks", 40, caps(Cap.COMMAND_DISPATCH)),
        Entry("command", "command-field", "移动执行", "command_field", 50, caps(Cap.FIELD_WORK)),
    )
    # The portal's tip-offs become alerts (issue 17 item 5 → issue 21 item 3).
    from zhixing.portal import events as portal_events

    from .alert_feeds import receive_tip

    portal_events.tip_received.connect(receive_tip, dispatch_uid="command.tip_received")
