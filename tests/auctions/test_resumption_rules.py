"""How a suspended lot's bidding restarts (网拍规定 Art 28; the mode UNCONFIRMED, a setting). Pure."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from zhixing.auctions import conf
from zhixing.auctions.rules_resumption import ResumeMode, resume_due, resumed_times

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 4, 9, 10, tzinfo=TZ)
END = datetime(2026, 4, 10, 10, tzinfo=TZ)
LATER = datetime(2026, 4, 20, 15, tzinfo=TZ)


def _times(suspended_at: datetime | None, mode: ResumeMode, ends_at: datetime = END) -> tuple[Any, Any]:
    return resumed_times(
        starts_at=START,
        ends_at=ends_at,
        scheduled_end=END,
        suspended_at=suspended_at,
        resumed_at=LATER,
        mode=mode,
    )


def test_remaining_time_runs_again_from_the_resumption() -> None:
    assert _times(END - timedelta(hours=2), ResumeMode.REMAINING) == (START, LATER + timedelta(hours=2))
    # An extended end (a late bid) counts as it stood.
    extended = END + timedelta(minutes=10)
    at = END + timedelta(minutes=1)
    assert _times(at, ResumeMode.REMAINING, extended) == (START, LATER + timedelta(minutes=9))
    # Never less than the 5-minute extension window (Art 20): a bid stays possible.
    assert _times(END - timedelta(seconds=30), ResumeMode.REMAINING) == (START, LATER + timedelta(minutes=5))
    assert _times(END + timedelta(seconds=2), ResumeMode.REMAINING) == (START, LATER + timedelta(minutes=5))


def test_restart_gives_a_fresh_period_of_the_announced_length() -> None:
    assert _times(END - timedelta(hours=2), ResumeMode.RESTART) == (LATER, LATER + timedelta(hours=24))
    long_end = START + timedelta(hours=48)
    got = resumed_times(
        starts_at=START,
        ends_at=long_end,
        scheduled_end=long_end,
        suspended_at=START + timedelta(hours=1),
        resumed_at=LATER,
        mode=ResumeMode.RESTART,
    )
    assert got == (LATER, LATER + timedelta(hours=48))
    # An unknown suspension time (a lot suspended before it was recorded) restarts in either mode.
    assert _times(None, ResumeMode.REMAINING) == (LATER, LATER + timedelta(hours=24))


def test_before_bidding_began_the_timetable_moves_by_the_suspension() -> None:
    suspended = START - timedelta(days=5)
    shift = LATER - suspended
    for mode in ResumeMode:
        assert _times(suspended, mode) == (START + shift, END + shift)


def test_resumption_before_the_suspension_is_refused_and_the_5_day_rule() -> None:
    with pytest.raises(ValueError):
        _times(LATER + timedelta(seconds=1), ResumeMode.REMAINING)
    assert resume_due(date(2026, 4, 30)) == date(2026, 5, 5)


def test_the_mode_is_a_setting(settings: Any) -> None:
    settings.ZHIXING_AUCTIONS = {}
    assert conf.resume_bidding() == ResumeMode.REMAINING
    settings.ZHIXING_AUCTIONS = {"resume_bidding": "restart"}
    assert conf.resume_bidding() == ResumeMode.RESTART
