"""Reads for list footers and assignment: totals of a filtered case list, judges' open caseloads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from zhixing.courts.models import Court, Staff
from zhixing.courts.queries import handlers_of_court

from .choices import OPEN_STATUSES
from .models import EnforcementCase

# Totals of a list are summed over at most this many cases; past it the footer says "more than".
TOTALS_CAP = 50_000
_MONEY = DecimalField(max_digits=20, decimal_places=2)


@dataclass(frozen=True)
class Totals:
    count: int
    claim: Decimal
    paid: Decimal
    capped: bool = False


def case_totals(qs: QuerySet[EnforcementCase], cap: int = TOTALS_CAP) -> Totals:
    """Count, 申请标的 and 已到位 of a filtered case list (summed over at most `cap` cases)."""
    ids = qs.order_by().values("pk")[: cap + 1]
    agg = EnforcementCase.objects.filter(pk__in=ids).aggregate(
        n=Count("pk"),
        claim=Coalesce(
            Sum(F("principal") + F("adjudged_interest") + F("litigation_costs"), output_field=_MONEY),
            Decimal("0"),
            output_field=_MONEY,
        ),
        paid=Coalesce(Sum("paid_amount", output_field=_MONEY), Decimal("0"), output_field=_MONEY),
    )
    n = int(agg["n"] or 0)
    return Totals(
        count=min(n, cap),
        claim=Decimal(agg["claim"]).quantize(Decimal("0.01")),
        paid=Decimal(agg["paid"]).quantize(Decimal("0.01")),
        capped=n > cap,
    )


def open_caseloads(handler_ids: Iterable[int]) -> dict[int, int]:
    """Open cases (立案/在办/中止) per handler id; a handler without any is absent (0)."""
    ids = list(handler_ids)
    if not ids:
        return {}
    rows = (
        EnforcementCase.objects.filter(handler_id__in=ids, status__in=OPEN_STATUSES)
        .order_by()
        .values("handler_id")
        .annotate(n=Count("pk"))
    )
    return {r["handler_id"]: r["n"] for r in rows}


@dataclass(frozen=True)
class Caseload:
    judge: Staff
    open_cases: int


def court_caseloads(court: Court) -> list[Caseload]:
    """Every judge who may be assigned cases in `court`, with their open cases, lightest first (1 query)."""
    judges = handlers_of_court(court).annotate(
        open_cases=Count("handled_cases", filter=Q(handled_cases__status__in=OPEN_STATUSES))
    )
    rows = [Caseload(j, j.open_cases) for j in judges.order_by("open_cases", "full_name", "pk")]
    return rows


def caseload_label(judge: Any, open_cases: int) -> str:
    return f"{judge.full_name}（在办 {open_cases} 件）"


def active_staff(pk: int | None) -> Staff | None:
    """An active staff member by id (whether they may take a case is the service's check)."""
    return Staff.objects.filter(pk=pk, is_active=True).select_related("court").first() if pk else None
