"""Reads the staff work screens need beyond `zhixing.cases.queries`.

* the audit trail of one case (`AuditRecord` rows with `case_id` = the case), summarised for people;
* a case's suspensions (the delay-interest calculator excludes suspended days);
* supervision's overdue-node counts per handler keyed by court (a view of `queries.overdue_counts`);
* the handlers a user may filter the case list by, and the node types a handler may add by hand.

Read-only; every function is scoped by the caller (the case passed in was read through
`queries.get_case`, which applies court scoping) or by `court_scope_q`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet

from zhixing.core.models import AuditRecord
from zhixing.core.money import yuan
from zhixing.courts.models import Staff, Team
from zhixing.courts.queries import court_scope_q
from zhixing.courts.roles import Role

from .models import (
    CaseStatus,
    ClosingMode,
    EnforcementCase,
    ExcludedPeriod,
    NodeType,
    Obligation,
    Party,
    Suspension,
)
from .queries import HandlerOverdue, overdue_counts

ACTION_LABELS: dict[str, str] = {
    "case.file": "立案",
    "case.assign": "分案",
    "node.complete": "办理节点",
    "node.add": "添加节点",
    "case.suspend": "中止执行",
    "case.resume_execution": "恢复执行",
    "case.exclude_start": "登记不计入执行期限的期间",
    "case.exclude_end": "不计入执行期限的期间结束",
    "extension.request": "申请延长执行期限",
    "extension.approve": "批准延长执行期限",
    "extension.reject": "不予批准延长执行期限",
    "case.close": "结案",
    "case.resume": "恢复执行（执恢立案）",
    "party.view_identity": "查看完整身份信息",
}

_KEY_LABELS: dict[str, str] = {
    "number": "案号",
    "court": "法院",
    "claim": "执行标的",
    "parties": "当事人",
    "origin": "原案件",
    "status": "状态",
    "handler": "承办人",
    "team": "团队",
    "on": "日期",
    "node": "节点",
    "document": "文书",
    "late": "超期完成",
    "started_on": "起算日",
    "note": "备注",
    "ground": "事由",
    "start": "中止日期",
    "reason": "理由",
    "term_due": "执行期限届满日",
    "mode": "结案方式",
    "closed_on": "结案日期",
    "details": "结案信息",
    "name": "姓名/名称",
    "resumed_as": "恢复执行案号",
    "kind": "期间类型",
    "end": "结束日期",
    "days": "天数",
    "obligation": "执行内容",
    "limitation_expired": "超过申请执行期间",
}


@dataclass(frozen=True)
class AuditEntry:
    """One line of a case's audit trail as the case page shows it."""

    at: datetime
    actor_name: str
    court_code: str
    action: str
    action_label: str
    summary: str


@dataclass(frozen=True)
class _Names:
    staff: dict[int, str]
    teams: dict[int, str]
    nodes: dict[str, str]


def _value(key: str, value: Any, names: _Names) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in ("claim", "performed_amount"):
        try:
            return f"{yuan(Decimal(str(value)))}元"
        except (InvalidOperation, ValueError):
            return str(value)
    if key == "status" and value in CaseStatus.values:
        return str(CaseStatus(value).label)
    if key == "mode" and value in ClosingMode.values:
        return str(ClosingMode(value).label)
    if key == "ground" and value in Suspension.Ground.values:
        return str(Suspension.Ground(value).label)
    if key == "kind" and value in ExcludedPeriod.Kind.values:
        return str(ExcludedPeriod.Kind(value).label)
    if key == "obligation" and value in Obligation.values:
        return str(Obligation(value).label)
    if key == "handler" and isinstance(value, int):
        return names.staff.get(value, f"#{value}")
    if key == "team" and isinstance(value, int):
        return names.teams.get(value, f"#{value}")
    if key == "node" and isinstance(value, str):
        return names.nodes.get(value, value)
    if key == "parties" and isinstance(value, list):
        roles = dict(Party.Role.choices)
        return "、".join(
            f"{roles.get(str(p.get('role')), '')}{p.get('name', '')}" for p in value if isinstance(p, dict)
        )
    if isinstance(value, dict):
        return "，".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def summarise(before: Any, after: Any, names: _Names) -> str:
    """`状态：已立案待分案 → 执行中；承办人：李法官` — changed keys as before → after."""
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}
    parts: list[str] = []
    for key in list(dict.fromkeys([*b, *a])):
        label = _KEY_LABELS.get(key, key)
        if key in b and key in a:
            old, new = _value(key, b[key], names), _value(key, a[key], names)
            parts.append(f"{label}：{old} → {new}" if old != new else f"{label}：{new}")
        elif key in a:
            if a[key] is not None:
                parts.append(f"{label}：{_value(key, a[key], names)}")
        else:
            parts.append(f"{label}：{_value(key, b[key], names)} → —")
    return "；".join(parts)


def _ids(records: list[AuditRecord], key: str) -> set[int]:
    return {
        v
        for r in records
        for part in (r.before, r.after)
        if isinstance(part, dict)
        for k, v in part.items()
        if k == key and isinstance(v, int)
    }


def case_audit_trail(case: EnforcementCase, limit: int = 200) -> list[AuditEntry]:
    """The latest `limit` audit records of a case, oldest first, summarised. Four queries at most."""
    records = list(AuditRecord.objects.filter(case_id=case.pk).order_by("-id")[:limit])
    records.reverse()
    staff_ids, team_ids = _ids(records, "handler"), _ids(records, "team")
    names = _Names(
        staff=dict(Staff.objects.filter(pk__in=staff_ids).values_list("pk", "full_name"))
        if staff_ids
        else {},
        teams=dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name")) if team_ids else {},
        nodes=dict(NodeType.objects.values_list("code", "name")),
    )
    return [
        AuditEntry(
            at=r.at,
            actor_name=r.actor_name,
            court_code=r.court_code,
            action=r.action,
            action_label=ACTION_LABELS.get(r.action, r.action),
            summary=summarise(r.before, r.after, names),
        )
        for r in records
    ]


def case_suspensions(case: EnforcementCase) -> list[Suspension]:
    return list(case.suspensions.order_by("start", "id"))


def resumed_cases(case: EnforcementCase) -> list[EnforcementCase]:
    """Cases that resumed enforcement of this one (执恢), newest first."""
    return list(case.resumed_cases.order_by("-filed_on", "-id"))


def overdue_by_handler(user: Any, today: date) -> dict[int, list[HandlerOverdue]]:
    """Overdue pending nodes per (court, handler) across the user's readable courts, most first.

    The per-handler part of `queries.overdue_counts` (which the supervision page reads once), keyed by
    court id, for callers that need only this part.
    """
    return {r.court.pk: r.handlers for r in overdue_counts(user, today) if r.handlers}


def handlers_in_scope(user: Any) -> list[Staff]:
    """Judges and directors of the courts the user reads, for the case-list handler filter."""
    return list(
        Staff.objects.filter(court_scope_q(user), role__in=[Role.JUDGE, Role.DIRECTOR])
        .select_related("court")
        .order_by("court__path", "full_name", "id")
    )


def teams_of_court(court_id: int) -> QuerySet[Team]:
    return Team.objects.filter(court_id=court_id).order_by("name")


def addable_node_types() -> QuerySet[NodeType]:
    """Node types a handler adds on demand (e.g. 核查财产线索), not created at filing."""
    return NodeType.objects.filter(active=True, auto_create=False, completion=NodeType.Completion.MANUAL)
