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
from typing import Any

from django.db.models import Count, Max, Min, QuerySet

from zhixing.core import audit_catalogue as catalogue
from zhixing.core.localtime import MINUTE_FORMAT, format_datetime
from zhixing.core.models import AuditRecord
from zhixing.courts.models import Staff, Team
from zhixing.courts.queries import court_scope_q
from zhixing.courts.roles import Role

from .models import EnforcementCase, NodeType, Suspension
from .queries import HandlerOverdue, overdue_counts


@dataclass(frozen=True)
class AuditEntry:
    """One line of a case's audit trail as the case page shows it (words from the audit catalogue).

    Looks (register views, identity views) by one user at one object are one entry: `count` of them,
    `at` the latest, `first_at` the first.
    """

    at: datetime
    actor_name: str
    court_code: str
    action: str
    action_label: str
    summary: str
    count: int = 1
    first_at: datetime | None = None


def summarise(action: str, before: Any, after: Any, naming: catalogue.Naming | None = None) -> str:
    """`状态：已立案待分案 → 执行中；承办人：李法官` — changed keys as before → after."""
    return catalogue.summary(action, before, after, naming)


def _looks(case: EnforcementCase) -> list[AuditEntry]:
    """Looks at the case, one entry per (user, action, object): `查看财产登记信息 ×12`, latest time."""
    codes = sorted(catalogue.collapse_codes())
    if not codes:
        return []
    rows = (
        AuditRecord.objects.filter(case_id=case.pk, action__in=codes)
        .values("actor_id", "actor_name", "court_code", "action", "object_type", "object_id")
        .annotate(n=Count("id"), last=Max("at"), first=Min("at"))
        .order_by()
    )
    out = []
    for r in rows:
        n = int(r["n"])
        label = catalogue.action_label(r["action"])
        out.append(
            AuditEntry(
                at=r["last"],
                actor_name=r["actor_name"],
                court_code=r["court_code"],
                action=r["action"],
                action_label=f"{label} ×{n}" if n > 1 else label,
                summary=(
                    f"共{n}次，最近 {format_datetime(r['last'], MINUTE_FORMAT)}，"
                    f"首次 {format_datetime(r['first'], MINUTE_FORMAT)}"
                    if n > 1
                    else ""
                ),
                count=n,
                first_at=r["first"],
            )
        )
    return out


def case_audit_trail(case: EnforcementCase, limit: int = 200) -> list[AuditEntry]:
    """The latest `limit` audit records of a case, oldest first, in words; looks folded per user.

    Looks (page views) never take the place of actions: the `limit` counts actions only, and each
    user's views of the same page are one line with their count. Two queries, plus one per kind of id
    the records hold (`audit_catalogue.Naming`: parties, documents, assets… by name).
    """
    looks = sorted(catalogue.collapse_codes())
    records = list(
        AuditRecord.objects.filter(case_id=case.pk).exclude(action__in=looks).order_by("-id")[:limit]
    )
    records.reverse()
    # The ids the records hold (handlers, parties, documents, assets…), named in one query per kind.
    naming = catalogue.Naming((r.action, r.before, r.after) for r in records)
    entries = [
        AuditEntry(
            at=r.at,
            actor_name=r.actor_name,
            court_code=r.court_code,
            action=r.action,
            action_label=catalogue.action_label(r.action),
            summary=summarise(r.action, r.before, r.after, naming),
        )
        for r in records
    ]
    if entries:
        oldest = entries[0].at
        # Looks older than the oldest action shown belong to the part of the trail cut by `limit`.
        looked = [e for e in _looks(case) if len(records) < limit or e.at >= oldest]
    else:
        looked = _looks(case)
    return sorted([*entries, *looked], key=lambda e: e.at)


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
    return NodeType.objects.filter(
        active=True, auto_create=False, completion=NodeType.Completion.MANUAL
    ).exclude(code="asset_report")  # created by the notice's service with the period it fixes
