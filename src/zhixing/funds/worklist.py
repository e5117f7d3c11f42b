"""What waits in case funds for one person: the home page's funds lines (`queries_work.todo_for`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from zhixing.core.worklist import WorkItem, register

from .queries_work import todo_for


def items(user: Any) -> list[WorkItem]:
    return [
        WorkItem("funds", t.key, t.label, t.count, t.url, t.urgent)
        for t in todo_for(user, timezone.localdate())
    ]


def install() -> None:
    register("funds", "案款", items, order=50)
