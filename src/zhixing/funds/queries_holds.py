"""Reads for payout clocks and holds: what is held (reserved) on a case, its clocks, overdue lists.

`held_amount(case)` / `held_lines(case)` are what the case money page counts as reserved for lawful
holds (each line its reason and amount); the payout services refuse to pay that money.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Sum

from zhixing.cases.models import EnforcementCase
from zhixing.core.holidays import current_calendar
from zhixing.courts.queries import court_scope_q

from . import conf
from .models import AccountKind, LedgerAccount, PayoutClock, PayoutHold
from .rules_clocks import clock_color, days_overdue

ZERO = Decimal("0.00")
OPEN = (PayoutClock.Status.RUNNING, PayoutClock.Status.HELD)


def _balance(case_id: int) -> Decimal:
    acc = LedgerAccount.objects.filter(kind=AccountKind.CASE, case_id=case_id).first()
    return acc.natural_balance if acc else ZERO


@dataclass(frozen=True)
class HeldLine:
    hold_id: int
    reason: str
    label: str
    article: str
    amount: Decimal
    whole_case: bool
    start: date


def reason_label(code: str) -> str:
    r = conf.hold_reasons().get(code)
    return r.label if r else code


def held_lines(case: EnforcementCase, balance: Decimal | None = None) -> list[HeldLine]:
    """One line per active hold: its reason and the money it keeps (a whole-case hold: the balance)."""
    bal = _balance(case.pk) if balance is None else balance
    out = []
    for h in PayoutHold.objects.filter(case_id=case.pk, end__isnull=True).order_by("start", "pk"):
        whole = h.amount is None
        out.append(
            HeldLine(
                h.pk,
                h.reason,
                reason_label(h.reason),
                h.article,
                bal if h.amount is None else min(h.amount, bal),
                whole,
                h.start,
            )
        )
    return out


def held_amount(case: EnforcementCase, balance: Decimal | None = None) -> Decimal:
    """The money no payout may take: all of it under a whole-case hold, else the held amounts."""
    bal = max(_balance(case.pk) if balance is None else balance, ZERO)
    lines = held_lines(case, bal)
    if any(line.whole_case for line in lines):
        return bal
    return min(sum((line.amount for line in lines), ZERO), bal)


def case_clocks(case: EnforcementCase, today: date) -> list[PayoutClock]:
    """Every clock of the case, newest first, with its colour, days overdue and holds."""
    cal = current_calendar()
    soon = conf.clock_soon_workdays()
    rows = list(
        PayoutClock.objects.filter(case_id=case.pk)
        .select_related("receipt")
        .prefetch_related(Prefetch("holds", queryset=PayoutHold.objects.order_by("start", "pk")))
        .order_by("-arrived_on", "-pk")[:200]
    )
    for c in rows:
        _decorate(c, today, cal, soon)
    return rows


def _decorate(c: PayoutClock, today: date, cal: Any, soon: int) -> None:
    c.color = "done" if c.status == PayoutClock.Status.MET else clock_color(c.due_on, today, cal, soon)  # type: ignore[attr-defined]
    c.late_days = days_overdue(c.due_on, today) if c.status == PayoutClock.Status.RUNNING else 0  # type: ignore[attr-defined]
    holds = list(c.holds.all())
    c.hold_text = "；".join(_hold_text(h) for h in holds) or "—"  # type: ignore[attr-defined]


def _hold_text(h: PayoutHold) -> str:
    if h.end is None:
        return f"{reason_label(h.reason)}（{h.start:%Y-%m-%d}起暂缓）"
    fu = f"，原因消除后发放期限{h.followup_due:%Y-%m-%d}" if h.followup_due else ""
    return f"{reason_label(h.reason)}（{h.start:%Y-%m-%d}至{h.end:%Y-%m-%d}已解除{fu}）"


def case_holds(case: EnforcementCase) -> list[PayoutHold]:
    rows: list[PayoutHold] = list(
        PayoutHold.objects.filter(case_id=case.pk)
        .annotate(n_clocks=Count("clocks"))
        .select_related("placed_by", "lifted_by")
        .order_by("-start", "-pk")
    )
    for h in rows:
        h.label = reason_label(h.reason)  # type: ignore[attr-defined]
    return rows


@dataclass
class OverdueClocks:
    rows: list[PayoutClock]
    total: int
    amount: Decimal


def overdue_clocks(user: Any, today: date, limit: int = 200) -> OverdueClocks:
    """Clocks past their deadline with money still on the case, in the user's courts, most overdue
    first (the first `limit` shown), with the count and sum of all of them."""
    qs = PayoutClock.objects.filter(court_scope_q(user), status=PayoutClock.Status.RUNNING, due_on__lt=today)
    agg = qs.aggregate(n=Count("pk"), s=Sum("open_amount"))
    rows = list(
        qs.select_related("case", "court", "receipt")
        .prefetch_related(Prefetch("holds", queryset=PayoutHold.objects.order_by("start", "pk")))
        .order_by("due_on", "pk")[:limit]
    )
    cal, soon = current_calendar(), conf.clock_soon_workdays()
    for c in rows:
        _decorate(c, today, cal, soon)
    return OverdueClocks(rows, agg["n"] or 0, Decimal(agg["s"] or 0).quantize(Decimal("0.01")))


def overdue_by_court(court_ids: list[int], today: date) -> dict[int, tuple[int, Decimal]]:
    """Per court: (number of overdue clocks, money overdue)."""
    return {
        r["court_id"]: (r["n"], Decimal(r["s"] or 0).quantize(Decimal("0.01")))
        for r in PayoutClock.objects.filter(
            court_id__in=court_ids, status=PayoutClock.Status.RUNNING, due_on__lt=today
        )
        .values("court_id")
        .annotate(n=Count("pk"), s=Sum("open_amount"))
    }


def held_by_court(court_ids: list[int]) -> dict[int, int]:
    """Per court: the number of active holds that keep money (a suspension of a case without money
    holds nothing)."""
    return dict(
        PayoutHold.objects.filter(
            court_id__in=court_ids, end__isnull=True, clocks__status=PayoutClock.Status.HELD
        )
        .values_list("court_id")
        .annotate(n=Count("pk", distinct=True))
    )


def earliest_open_clock(case_id: int) -> PayoutClock | None:
    """The oldest clock still running on the case: the deadline a payout proposed now works against."""
    return (
        PayoutClock.objects.filter(case_id=case_id, status=PayoutClock.Status.RUNNING)
        .order_by("due_on", "arrived_on", "pk")
        .first()
    )


__all__ = [
    "OPEN",
    "HeldLine",
    "OverdueClocks",
    "case_clocks",
    "case_holds",
    "earliest_open_clock",
    "held_amount",
    "held_by_court",
    "held_lines",
    "hold_reserved",
    "overdue_by_court",
    "overdue_clocks",
    "reason_label",
]


def hold_reserved(case: EnforcementCase, purpose: str) -> list[Any]:
    """The payable breakdown's reserved lines for lawful holds (registered in FundsConfig.ready).

    Whatever the payout's purpose, held money stays: a hold keeps it from applicants and debtor alike.
    A whole-case hold reserves the balance (the breakdown never goes below zero).
    """
    from .payable import Reserved

    left = max(_balance(case.pk), ZERO)
    out = []
    for line in held_lines(case, left):
        # Never more than the balance in all: a whole-case hold takes what is left, lines after it none.
        amount = min(left, left if line.whole_case else line.amount)
        left -= amount
        reason = f"依法暂缓发放：{line.label}" + (f"（{line.article}）" if line.article else "")
        out.append(Reserved("hold", reason, amount, f"hold:{line.hold_id}"))
    return out
