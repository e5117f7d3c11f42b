"""Pure rules of a suspended lot's resumption (网拍规定 Art 28, rules.md §4.1). No ORM.

Art 28 says only that a suspended auction is resumed within 5 days after the cause of the suspension
ends; it does not say how the bidding period restarts. That is a setting
(`ZHIXING_AUCTIONS["resume_bidding"]`, UNCONFIRMED, docs/rules-additions.md):

* "remaining" (default): the bidding time left when the lot was suspended runs again from the moment of
  resumption (at least the 5-minute extension window of Art 20, so a bid is still possible);
* "restart": a fresh bidding period of the announced length (never under Art 20's 24 hours) from the
  moment of resumption.

A lot suspended before its bidding began keeps its whole timetable, moved by the suspension's length.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from .rules_terms import EXTENSION, MIN_BIDDING

# rule
RESUME_WITHIN_DAYS = 5  # 网拍规定 Art 28: resume within 5 days after the cause of suspension ends


class ResumeMode(StrEnum):
    REMAINING = "remaining"
    RESTART = "restart"


def resume_due(cause_ended_on: date) -> date:
    """Last day to resume a lot whose suspension's cause ended on `cause_ended_on` (Art 28: 5 days)."""
    return cause_ended_on + timedelta(days=RESUME_WITHIN_DAYS)


def resumed_times(
    *,
    starts_at: datetime,
    ends_at: datetime,
    scheduled_end: datetime,
    suspended_at: datetime | None,
    resumed_at: datetime,
    mode: ResumeMode,
) -> tuple[datetime, datetime]:
    """The lot's (start, end) of bidding after its resumption at `resumed_at`.

    `ends_at` is the end as it stood at suspension (with any Art 20 extension), `scheduled_end` the
    announced end. An unknown `suspended_at` (a lot suspended before the time was recorded) restarts."""
    if suspended_at is not None and resumed_at < suspended_at:
        raise ValueError("恢复拍卖时间不能早于中止拍卖时间")
    if suspended_at is not None and suspended_at < starts_at:
        shift = resumed_at - suspended_at  # bidding had not begun: the timetable moves as a whole
        return starts_at + shift, ends_at + shift
    if mode == ResumeMode.REMAINING and suspended_at is not None:
        left = max(ends_at - suspended_at, EXTENSION)
        return starts_at, resumed_at + left
    length = max(scheduled_end - starts_at, MIN_BIDDING)
    return resumed_at, resumed_at + length
