"""Reads for the leaders' pages: the supervision table with subtotals up the court tree, the lists
each figure opens (overdue nodes, open and term-overdue cases), the chart series, and 督办 lists.

Every read is court-scoped the same way: a court code the user may not read names nothing (None, which
the views turn into the platform's 404). A figure and the list it opens use one filter function each,
so the list's count is the figure by construction (and tested figure by figure).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from zhixing.courts.models import Court
from zhixing.courts.queries import can_read_court, court_by_code, court_scope_q, readable_courts

from . import rules_leaders as rl
from .models import OPEN_STATUSES, EnforcementCase, Node, Payment, SupervisionOrder
from .queries import CourtRow, overdue_counts

FIGURES = ("open_cases", "overdue_nodes", "term_overdue")


@dataclass
class TreeRow:
    """One court's line: its own figures (`own`) and those summed with every court below it (`total`)."""

    court: Court
    own: CourtRow
    total: dict[str, int] = field(default_factory=dict)
    has_children: bool = False
    depth: int = 0


def scope_court(user: Any, code: str | None) -> Court | None:
    """The court a leaders' page looks at: `code` if the user may read it, the user's own court if empty."""
    if not code:
        return getattr(user, "court", None)
    court = court_by_code(code)
    return court if court is not None and can_read_court(user, court) else None


def tree_rows(user: Any, today: date) -> list[TreeRow]:
    """The supervision table: every readable court with its own and subtotal figures, in tree order."""
    rows = overdue_counts(user, today)
    by_id = {r.court.pk: r for r in rows}
    parents = {r.court.pk: r.court.parent_id for r in rows}
    own = {r.court.pk: {k: getattr(r, k) for k in FIGURES} for r in rows}
    totals = rl.subtotals(parents, own, FIGURES)
    has_children = {p for p in parents.values() if p in by_id}
    top = min((r.court.path.count("/") for r in rows), default=0)
    return [
        TreeRow(
            court=r.court,
            own=r,
            total=totals[r.court.pk],
            has_children=r.court.pk in has_children,
            depth=r.court.path.count("/") - top,
        )
        for r in rows
    ]


def _court_q(court: Court, tree: bool, fld: str = "court") -> Q:
    return Q(**{f"{fld}__path__startswith": court.path}) if tree else Q(**{f"{fld}_id": court.pk})


# -- the lists the figures open ---------------------------------------------------------------------


def overdue_nodes(
    court: Court,
    today: date,
    *,
    tree: bool = True,
    handler: int | None = None,
    unassigned: bool = False,
    age: rl.AgeBucket | None = None,
) -> QuerySet[Node]:
    """Pending nodes past their deadline (due before `today`) — exactly what "超期节点" counts."""
    qs = Node.objects.filter(_court_q(court, tree), status=Node.Status.PENDING, due_on__lt=today)
    if handler is not None:
        qs = qs.filter(handler_id=handler)
    elif unassigned:
        qs = qs.filter(handler__isnull=True)
    if age is not None:
        earliest, latest = rl.due_range(age, today)
        qs = qs.filter(due_on__lte=latest)
        if earliest is not None:
            qs = qs.filter(due_on__gte=earliest)
    return qs.select_related("case", "node_type", "court", "handler").order_by("due_on", "id")


CASE_KINDS = {
    "open": "在办案件",
    "term_overdue": "超执行期限案件",
    "filed": "收案",
    "closed": "结案",
}


def figure_cases(
    court: Court, kind: str, today: date, *, tree: bool = True, month: tuple[int, int] | None = None
) -> QuerySet[EnforcementCase]:
    """The cases a figure counts: open, past the enforcement term ("超执行期限案件"), or filed/closed
    in `month` (the trend chart's points)."""
    qs = EnforcementCase.objects.filter(_court_q(court, tree))
    if kind == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif kind == "term_overdue":
        # The supervision count's own predicate (queries.overdue_counts): open cases whose term ran out.
        qs = qs.filter(
            next_due_on__isnull=False, term_due__isnull=False, next_due_on__lt=today, term_due__lt=today
        )
    elif kind in ("filed", "closed") and month is not None:
        fld = "filed_on" if kind == "filed" else "closed_on"
        qs = qs.filter(**{f"{fld}__year": month[0], f"{fld}__month": month[1]})
    else:
        return EnforcementCase.objects.none()
    return qs.select_related("court", "handler").order_by("-filed_on", "-id")


# -- chart series -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    months: list[tuple[int, int]]
    filed: list[int]
    closed: list[int]
    paid: list[Decimal]


def trend(court: Court, today: date, months: int = 12) -> Trend:
    """Cases filed and closed, and money performed (执行到位), per month over the last `months` months."""
    ms = rl.last_months(today, months)
    start = date(ms[0][0], ms[0][1], 1)
    cases = EnforcementCase.objects.filter(_court_q(court, True))

    def per_month(qs: QuerySet[Any], fld: str) -> list[tuple[date, int]]:
        return [
            (m, n)
            for m, n in qs.filter(**{f"{fld}__gte": start, f"{fld}__lte": today})
            .annotate(m=TruncMonth(fld))
            .values_list("m")
            .annotate(n=Count("*"))
            .values_list("m", "n")
            .order_by()
        ]

    paid_rows = (
        Payment.objects.filter(_court_q(court, True, "case__court"), paid_on__gte=start, paid_on__lte=today)
        .annotate(m=TruncMonth("paid_on"))
        .values_list("m")
        .annotate(total=Sum("amount"))
        .values_list("m", "total")
        .order_by()
    )
    return Trend(
        months=ms,
        filed=rl.monthly(per_month(cases, "filed_on"), ms),
        closed=rl.monthly(per_month(cases, "closed_on"), ms),
        paid=rl.monthly(((m, t or Decimal("0")) for m, t in paid_rows), ms, Decimal("0.00")),
    )


def age_counts(court: Court, today: date) -> dict[str, int]:
    """Overdue nodes of the court and the courts below it, per age bucket."""
    pairs = (
        Node.objects.filter(_court_q(court, True), status=Node.Status.PENDING, due_on__lt=today)
        .values_list("due_on")
        .annotate(n=Count("*"))
        .values_list("due_on", "n")
        .order_by()
    )
    return rl.bucket_counts(((d, n) for d, n in pairs if d is not None), today)


def comparison(user: Any, court: Court, today: date) -> list[tuple[Court, dict[str, int], bool]]:
    """The court itself (its own figures) and each court directly under it (their subtotals)."""
    rows = [r for r in tree_rows(user, today) if r.court.path.startswith(court.path)]
    out: list[tuple[Court, dict[str, int], bool]] = []
    for r in rows:
        if r.court.pk == court.pk:
            out.append((r.court, {k: getattr(r.own, k) for k in FIGURES}, False))
        elif r.court.parent_id == court.pk:
            out.append((r.court, r.total, True))
    return out


# -- 督办 -------------------------------------------------------------------------------------------


def case_orders(case: EnforcementCase) -> list[SupervisionOrder]:
    return list(
        SupervisionOrder.objects.filter(case=case)
        .select_related("issued_by", "addressee", "node__node_type")
        .order_by("-issued_at", "-id")
    )


def readable_order(user: Any, pk: int) -> SupervisionOrder | None:
    """An order in the user's courts (or addressed to them), or None."""
    return (
        SupervisionOrder.objects.filter(court_scope_q(user) | Q(addressee=user))
        .select_related("case__court", "issued_by", "addressee")
        .filter(pk=pk)
        .first()
    )


ORDER_VIEWS = {"mine": "待我回复", "issued": "我发出的", "all": "辖区全部"}


def order_list(user: Any, which: str, today: date, *, overdue: bool = False) -> QuerySet[SupervisionOrder]:
    """督办 the user sees: addressed to them, issued by them, or every order in their courts."""
    qs = SupervisionOrder.objects.select_related("case", "court", "issued_by", "addressee", "node__node_type")
    if which == "mine":
        qs = qs.filter(addressee=user)
    elif which == "issued":
        qs = qs.filter(issued_by=user)
    else:
        qs = qs.filter(court_scope_q(user))
    if overdue:
        qs = qs.filter(status=SupervisionOrder.Status.OPEN, due_on__lt=today)
    return qs.order_by("status", "due_on", "-id")


def open_order_counts(user: Any, today: date) -> dict[str, int]:
    """Open orders addressed to the user (and how many of them are overdue)."""
    row = SupervisionOrder.objects.filter(addressee=user, status=SupervisionOrder.Status.OPEN).aggregate(
        open=Count("*"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    return {"open": row["open"] or 0, "overdue": row["overdue"] or 0}


def readable_court_codes(user: Any) -> list[Court]:
    return list(readable_courts(user))
