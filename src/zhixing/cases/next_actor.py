"""Who acts next on a case (下一步由谁办理), read from the state the case page already loaded.

No queries: the case (with its handler), its nodes (coloured) and its pending extension requests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from zhixing.courts.roles import Role

from .models import CaseStatus, Node, NodeType

MAX_NODES = 3


@dataclass(frozen=True)
class NextStep:
    who: str  # a person or a role, in Chinese
    what: str
    due_on: date | None = None
    color: str = ""


def next_steps(case: Any, nodes: Iterable[Node], extensions: Iterable[Any]) -> list[NextStep]:
    """The open steps of the case, most pressing first; empty for a closed case."""
    if case.status == CaseStatus.CLOSED:
        return []
    handler = str(case.handler) if case.handler_id else ""
    out: list[NextStep] = []
    for e in extensions:
        if getattr(e, "status", "") != "requested":
            continue
        out.append(NextStep(Role.PRESIDENT.label, f"审批{e.requested_by}提出的延长执行期限申请"))
    if not case.handler_id:
        out.append(NextStep(Role.DIRECTOR.label, "指定承办人（分案）"))
    if case.status == CaseStatus.SUSPENDED:
        out.append(NextStep(handler or "承办人", "中止执行期间：中止事由消除后恢复执行"))
        return out
    pending = [
        n
        for n in nodes
        if n.status == Node.Status.PENDING
        and n.due_on is not None
        and n.node_type.completion == NodeType.Completion.MANUAL
    ]
    pending.sort(key=lambda n: (n.due_on, n.pk))
    for n in pending[:MAX_NODES]:
        out.append(
            NextStep(handler or "承办人（待分案）", n.node_type.name, n.due_on, getattr(n, "color", ""))
        )
    return out
