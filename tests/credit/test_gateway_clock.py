"""The engine's local date (`gateway.clock.LocalDay`): `timezone.localdate()`, converted once a day."""

from __future__ import annotations

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from zhixing.credit.gateway.clock import LocalDay

SH = ZoneInfo("Asia/Shanghai")


def _at(y: int, m: int, d: int, hh: int, mm: int, ss: int = 0) -> time_machine.travel:
    return time_machine.travel(datetime(y, m, d, hh, mm, ss, tzinfo=SH), tick=False)


def test_the_same_day_is_converted_once():
    day = LocalDay()
    with _at(2026, 12, 5, 10, 0):
        assert day() == date(2026, 12, 5)
        with mock.patch.object(timezone, "localtime", side_effect=AssertionError("converted again")):
            assert day() == date(2026, 12, 5)
    with _at(2026, 12, 5, 23, 59, 59), mock.patch.object(timezone, "localtime", side_effect=AssertionError):
        assert day() == date(2026, 12, 5)


def test_local_midnight_starts_the_next_day_not_utc_midnight():
    day = LocalDay()
    with _at(2026, 12, 5, 7, 59):  # 23:59 UTC on the 4th
        assert day() == date(2026, 12, 5)
    with _at(2026, 12, 5, 23, 59, 59):
        assert day() == date(2026, 12, 5)
    with _at(2026, 12, 6, 0, 0):
        assert day() == date(2026, 12, 6) == timezone.localdate()


def test_a_clock_set_back_is_followed():
    day = LocalDay()
    with _at(2026, 12, 6, 9, 0):
        assert day() == date(2026, 12, 6)
    with _at(2026, 12, 5, 23, 0):
        assert day() == date(2026, 12, 5)


def test_the_active_time_zone_is_followed():
    day = LocalDay()
    with _at(2026, 12, 6, 7, 0):  # 23:00 UTC on the 5th
        assert day() == date(2026, 12, 6)
        with timezone.override(ZoneInfo("UTC")):
            assert day() == date(2026, 12, 5) == timezone.localdate()
        assert day() == date(2026, 12, 6)
