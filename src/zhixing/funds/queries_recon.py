"""Reads of reconciliations, their differences, alerts and statement layouts (court-scoped).

Finance staff, bureau directors and presidents read their court's reconciliations and those of their
subordinate courts; alerts are counted for finance staff of the court (who act on them) and shown to
the court's directors and presidents as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from zhixing.courts.queries import court_scope_q
from zhixing.courts.roles import Role

from . import statement_layouts as sl
from .models import Reconciliation, ReconciliationAlert, ReconciliationItem, StatementLayout

READ_ROLES = {Role.FINANCE, Role.DIRECTOR, Role.PRESIDENT}
SIDE_SHOWN = 500  # statement lines / ledger movements shown per side on the page (the rest: Excel)


def may_read(user: Any) -> bool:
    return getattr(user, "role", "") in READ_ROLES and getattr(user, "court", None) is not None


def reconciliations(user: Any, limit: int = 60) -> QuerySet[Reconciliation]:
    """The user's reconciliations, newest statement date first (one query with the court)."""
    if not may_read(user):
        return Reconciliation.objects.none()
    return (
        Reconciliation.objects.filter(court_scope_q(user))
        .select_related("court")
        .order_by("-statement_date", "-pk")[:limit]
    )


def reconciliation(user: Any, pk: Any) -> Reconciliation | None:
    from zhixing.courts.queries import readable_object

    if not may_read(user):
        return None
    return readable_object(user, Reconciliation.objects.select_related("court", "statement"), pk)


def items(rec: Reconciliation) -> list[ReconciliationItem]:
    return list(rec.items.order_by("status", "side", "value_date", "pk"))


def open_alerts(user: Any, limit: int = 50) -> list[ReconciliationAlert]:
    if not may_read(user):
        return []
    return list(
        ReconciliationAlert.objects.filter(court_scope_q(user), resolved_at__isnull=True)
        .select_related("court", "reconciliation")
        .order_by("-statement_date", "-pk")[:limit]
    )


def alert_count(user: Any) -> int:
    """Open alerts of the user's own court for its finance staff (what waits for them); 0 for others."""
    if getattr(user, "role", "") != Role.FINANCE or getattr(user, "court", None) is None:
        return 0
    return ReconciliationAlert.objects.filter(court=user.court, resolved_at__isnull=True).count()


@dataclass(frozen=True)
class LayoutChoice:
    value: str
    name: str
    builtin: bool


def layout_choices(court: Any) -> list[LayoutChoice]:
    """The layouts an upload may name: the built-in ones, then the court's saved ones."""
    out = [LayoutChoice(code, b.name, True) for code, b in sl.BUILTIN.items()]
    if court is not None:
        out += [
            LayoutChoice(str(pk), name, False)
            for pk, name in StatementLayout.objects.filter(court=court)
            .order_by("name")
            .values_list("pk", "name")
        ]
    return out


def layouts(court: Any) -> list[StatementLayout]:
    return list(StatementLayout.objects.filter(court=court).order_by("name"))


@dataclass(frozen=True)
class SideRow:
    ref: str
    value_date: date
    amount: Decimal
    party: str
    label: str
    state: str  # "matched" (by reference) | a difference's status display


def both_sides(
    rec: Reconciliation, diffs: list[ReconciliationItem]
) -> tuple[list[SideRow], list[SideRow], int, int]:
    """The statement's lines and the ledger's movements of the day, each marked matched or with its
    difference's state; at most `SIDE_SHOWN` per side (and the totals)."""
    from .services.reconcile import ledger_movements
    from .services.statements import statement_items

    state = {(d.side, d.ref): d.get_status_display() for d in diffs}
    bank = statement_items(rec.statement)
    ledger = ledger_movements(rec.court_id, rec.statement_date, rec.statement_date)

    def rows(its: list[Any], side: str) -> list[SideRow]:
        return [
            SideRow(
                i.ref,
                i.value_date,
                i.amount,
                i.party,
                i.label,
                state.get((side, i.ref)) or state.get(("amount", i.ref)) or "已勾对",
            )
            for i in its[:SIDE_SHOWN]
        ]

    return rows(bank, "bank_only"), rows(ledger, "ledger_only"), len(bank), len(ledger)
