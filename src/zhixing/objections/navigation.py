"""Main-menu entries of objections: the supervision page (pending objections and their clocks) and the
higher court's 复议 page."""

from typing import Any

from zhixing.core.navigation import Entry, caps, register
from zhixing.courts.roles import Cap

from . import access


def _reviewer(user: Any) -> bool:
    """Whom the 复议 page admits (views.reviews): supervisors, and the judges and directors who decide."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (access.can_supervise(user) or getattr(user, "role", "") in access.DECIDER_ROLES)
    )


def install() -> None:
    register(Entry("cases", "objections", "执行异议监管", "objections_supervision", 80, caps(Cap.SUPERVISE)))
    # Issue 19 item 5: the higher court's 复议 page (act objections' clocks and statistics).
    register(Entry("cases", "objection-reviews", "执行异议复议审查", "objections_reviews", 81, _reviewer))
