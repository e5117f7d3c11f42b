"""What waits in network inquiry and control for one person: control orders at their approval step."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhixing.core.worklist import WorkItem, register

from . import access, queries


def items(user: Any) -> list[WorkItem]:
    if getattr(user, "court_id", None) is None or user.role not in access.approval_chain():
        return []
    n = len(queries.approval_queue(user))
    return [WorkItem("inquiry", "approvals", "待我审批的控制措施", n, reverse("inquiry_approvals"), bool(n))]


def install() -> None:
    register("inquiry", "查控", items, order=20)
