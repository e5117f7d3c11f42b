"""What waits in credit for one person: correction applications and 复议 their court must decide."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhixing.core.worklist import WorkItem, register
from zhixing.courts.roles import Cap

from . import queries_correction, queries_proposals


def items(user: Any) -> list[WorkItem]:
    court_id = getattr(user, "court_id", None)
    can = getattr(user, "can", None)
    if court_id is None or can is None or not can(Cap.CREDIT_DECIDE):
        return []
    n, late = queries_correction.counts(court_id)
    url = reverse("credit_corrections")
    return [
        WorkItem("credit", "corrections", "待办理的纠正申请及复议", n, url, urgent=late > 0),
        WorkItem(
            "credit",
            "corrections_overdue",
            "已超期的纠正申请及复议",
            late,
            url + "?overdue=1",
            urgent=late > 0,
        ),
    ]


def approvals(user: Any) -> list[WorkItem]:
    """The court president's credit decisions awaiting his signature (ADR 0015)."""
    court_id = getattr(user, "court_id", None)
    can = getattr(user, "can", None)
    if court_id is None or can is None or not can(Cap.CREDIT_APPROVE):
        return []
    n = queries_proposals.pending_count(court_id)
    return [WorkItem("credit", "approvals", "待签发的失信决定书、限制消费令", n, reverse("credit_proposals"))]


def _all(user: Any) -> list[WorkItem]:
    return items(user) + approvals(user)


def install() -> None:
    register("credit", "信用惩戒", _all, order=40)
