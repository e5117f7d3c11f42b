"""What waits in measures for one person: open proposals (措施联动建议) in the courts they read."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhixing.core.worklist import WorkItem, register

from . import queries
from .navigation import may_decide


def items(user: Any) -> list[WorkItem]:
    if getattr(user, "court_id", None) is None or not may_decide(user):
        return []
    n = queries.queue(user).count()
    return [WorkItem("measures", "proposals", "待决定的措施联动建议", n, reverse("measures_queue"))]


def install() -> None:
    register("measures", "措施", items, order=30)
