"""The local date for the engine's groups, read from Django's time zone once per local day.

`timezone.localdate()` converts the current instant into the active time zone (≈ 15 µs on this machine
under load) and the engine needed it twice per group (the single checks' birth-date check and the detail
cache's day). `LocalDay` remembers the day with the epoch interval it covers, [its local midnight, the
next one), and converts again only when Django's clock (`timezone.now()`) leaves that interval (forwards
at midnight, or backwards: a test's frozen clock, an adjusted system clock) or the active time zone
changes. So it answers exactly what `timezone.localdate()` would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


class LocalDay:
    """`timezone.localdate()`, recomputed only when the clock leaves the day it returned."""

    def __init__(self) -> None:
        self.start = 0.0  # epoch seconds of the day's local midnight
        self.end = 0.0  # epoch seconds of the next local midnight
        self.zone: Any = None
        self.day: dt.date | None = None

    def __call__(self) -> dt.date:
        instant = timezone.now()  # Django's clock, so a test that patches or freezes it is followed
        now = instant.timestamp()
        zone = timezone.get_current_timezone()
        day = self.day
        if day is None or not self.start <= now < self.end or zone is not self.zone:
            local = timezone.localtime(instant, zone)
            day = local.date()
            midnight = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
            following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            self.start, self.end = midnight.timestamp(), following.timestamp()
            self.zone, self.day = zone, day
        return day
