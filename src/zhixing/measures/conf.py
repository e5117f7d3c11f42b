"""The effective consequence table: rules.DEFAULT_TABLE with this deployment's overrides.

settings.ZHIXING_CONSEQUENCES maps "event.measure" to "action:decider" for the cells the table marks
configurable, e.g. {"payment.freeze": "release:auto"}; anything else is refused at call time.
"""

from __future__ import annotations

from django.conf import settings

from . import rules


def table() -> dict[rules.Event, dict[rules.Measure, rules.Rule]]:
    return rules.table(getattr(settings, "ZHIXING_CONSEQUENCES", {}))
