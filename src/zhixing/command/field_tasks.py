"""Periodic work of the alert stream and vehicle watch (thin: call the services).

Huey periodic tasks: `zhixing.core.periodic` makes each run once per period across consumers.
"""

from __future__ import annotations

import os

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/5"))
def sweep_alerts() -> None:
    """Raise alerts for every domain warning (idempotent by source key)."""
    from .alert_feeds import sweep

    sweep()


@db_periodic_task(crontab(minute="*/10"))
def sync_watchlist() -> None:
    """Keep the plate watchlist equal to the register's seized vehicles (ZHIXING_COMMAND_WATCH_SYNC=0 turns
    it off where the watchlist is loaded by other means, e.g. the benchmark's synthetic million)."""
    if os.environ.get("ZHIXING_COMMAND_WATCH_SYNC", "1") == "0":
        return
    from .plate_watchlist import sync_watchlist as sync

    sync()


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_possible_sightings() -> None:
    """Delete possible sightings past their retention (ADR 0027 decision 13)."""
    from .sightings import purge

    purge()
