"""Periodic work of the situation screens (thin: call the service).

Huey periodic task: `zhixing.core.periodic` makes each run once per period across consumers.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def reconcile_totals() -> None:
    """Recount every court's running totals and figures and push them (corrects any drift)."""
    from .situation import reconcile_all

    reconcile_all()
