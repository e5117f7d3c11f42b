"""What waits in credit for one person: correction applications and 复议 their court must decide."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhixing.core.worklist import WorkItem, register
from zhixing.courts.roles import Cap

from . import queries_correction


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


def install() -> None:
    register("credit", "信用惩戒", items, order=40)
