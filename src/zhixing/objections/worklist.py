"""The home page's worklist line of objections: pending reviews of the user's court (judges, director)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhixing.core.worklist import WorkItem, register

from . import access, queries


def provider(user: Any) -> list[WorkItem]:
    if getattr(user, "court_id", None) is None:
        return []
    if getattr(user, "role", "") not in access.DECIDER_ROLES and not access.can_supervise(user):
        return []
    url = reverse("objections_supervision") if access.can_supervise(user) else ""
    pending, overdue = queries.pending_counts(user)
    items = [WorkItem("cases", "objections-pending", "审查中的执行异议", pending, url)]
    if overdue:
        items.append(
            WorkItem("cases", "objections-overdue", "超过审查期限的执行异议", overdue, url, urgent=True)
        )
    untold, unserved = queries.notice_overdue(user)
    if untold:
        label = "逾期未通知当事人的执行异议"
        items.append(WorkItem("cases", "objections-untold", label, untold, url, urgent=True))
    if unserved:
        label = "逾期未送达的异议裁定"
        items.append(WorkItem("cases", "objections-unserved", label, unserved, url, urgent=True))
    return items


def install() -> None:
    register("objections", "执行异议", provider, order=35)
