"""Periodic tasks run once per period, however many Huey consumers run.

Every consumer runs Huey's scheduler, which enqueues each periodic task due in the current minute: with
M consumers every sweep (the deadline scan, the inquiry dispatch, the bank-notice safety net, …) ran M
times a minute. The queue classes below claim each (task, minute) in the shared store before enqueueing
it (`zhixing.core.leases.once`: Redis `SET NX`, or the database cache row): the first consumer's
scheduler enqueues the task, the others skip it, and any consumer may then run it.

A claim is kept `CLAIM_SECONDS`, far longer than the minute it names. If the store cannot be reached
(Redis restarting) nothing is enqueued for that minute: every periodic task here is a sweep that the
next period catches up (durable timers are database rows), and a duplicate is what we set out to avoid.

Settings choose the class (`settings/queue.py`); this module is imported by Huey's Django integration
while the apps load, so it imports the lease store only when the scheduler first asks.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from huey import RedisHuey, SqliteHuey

log = logging.getLogger(__name__)

CLAIM_SECONDS = 3600.0


def period_name(task_name: str, timestamp: datetime) -> str:
    """The claim of `task_name` for the minute of `timestamp` (Huey's crontabs resolve minutes)."""
    return f"periodic:{task_name}:{timestamp:%Y%m%d%H%M}"


class OncePerPeriod:
    """Mixin for a Huey class: `read_periodic` returns only the due tasks this scheduler claimed."""

    def read_periodic(self, timestamp: datetime | None) -> list[Any]:
        if timestamp is None:
            timestamp = self._get_timestamp()  # type: ignore[attr-defined]
        due = super().read_periodic(timestamp)  # type: ignore[misc]
        if not due:
            return []
        from .leases import once

        mine = []
        for task in due:
            try:
                won = once(period_name(task.name, timestamp), CLAIM_SECONDS)
            except Exception:  # the store is down: skip this minute (the next one catches up)
                log.warning("periodic task %s not claimed for %s", task.name, timestamp, exc_info=True)
                continue
            if won:
                mine.append(task)
        return mine


class ClaimingRedisHuey(OncePerPeriod, RedisHuey):
    """RedisHuey whose consumers enqueue each periodic task once per period between them."""


class ClaimingSqliteHuey(OncePerPeriod, SqliteHuey):
    """SqliteHuey (the embedded default) with the same claim, in the database cache."""
