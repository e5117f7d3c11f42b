"""The dormant-case registry (终本案件库): every 终本 case the user may read, its debtors, what remains
owed, its periodic re-inquiry (last round, result, next due), the results told to the applicant, the
applicant's requests to resume — and the cases the daily re-inquiry cannot search because no debtor has
a valid identity number, shown as needing attention (终本规定 Art 9(2) would otherwise be skipped
silently every day).

One page costs a fixed number of queries whatever its size (the cases, their debtors, their last rounds,
their pending notices, their open requests, their 执恢 cases).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.cases.models import CaseStatus, EnforcementCase, Party, ResumptionRequest
from zhixing.courts.roles import Cap

from . import conf, rules
from .models import DormantAttention, DormantRound, ReinquiryNotice
from .services.requests import debtor_problem

PAGE = 50


@dataclass
class Row:
    case: EnforcementCase
    debtors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # debtors the network system cannot search
    owed: Decimal = Decimal("0")
    last_round: DormantRound | None = None
    next_due: date | None = None
    window_ends: date | None = None
    notices_to_serve: int = 0
    open_requests: int = 0
    resumed_number: str = ""
    overdue: bool = False  # the next re-inquiry's day has passed and no round was filed (red on the page)

    @property
    def attention(self) -> bool:
        return bool(self.problems) and len(self.problems) == len(self.debtors)


def may_read_registry(user: Any) -> bool:
    """Staff of a court who may read cases (own court; a higher court also its subordinates)."""
    return getattr(user, "court_id", None) is not None and bool(user.can(Cap.CASE_READ))


def dormant_cases(user: Any, q: str = "", court_id: int | None = None) -> QuerySet[EnforcementCase]:
    """The 终本 cases the user may read (own court, subordinates for higher courts), searched by case number
    or debtor name (prefix), newest closing first."""
    qs = case_queries.scoped_cases(user).filter(status=CaseStatus.DORMANT)
    if court_id:
        qs = qs.filter(court_id=court_id)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__contains=q) | case_queries.debtor_filter(q))
    return qs.order_by("-closed_on", "-id")


def rows_of(cases: list[EnforcementCase], today: date) -> list[Row]:
    """The registry rows of some cases (fixed number of queries)."""
    months, years = int(conf.option("dormant_period_months")), int(conf.option("dormant_years"))
    ids = [c.pk for c in cases]
    out = {c.pk: Row(case=c, owed=max(c.claim_amount - c.paid_amount, Decimal("0"))) for c in cases}
    for p in Party.objects.filter(case_id__in=ids, role=Party.Role.DEBTOR).order_by("id"):
        row = out[p.case_id]
        row.debtors.append(p.name)
        if problem := debtor_problem(p):
            row.problems.append(problem)
    last_ids = DormantRound.objects.filter(case_id__in=ids).values("case_id").annotate(last=Max("id"))
    for r in DormantRound.objects.filter(id__in=[x["last"] for x in last_ids]):
        out[r.case_id].last_round = r
    for case_id, n in (
        ReinquiryNotice.objects.filter(case_id__in=ids, status=ReinquiryNotice.Status.TO_SERVE)
        .values_list("case_id")
        .annotate(n=Count("id"))
    ):
        out[case_id].notices_to_serve = n
    for case_id, n in (
        ResumptionRequest.objects.filter(case_id__in=ids, status=ResumptionRequest.Status.OPEN)
        .values_list("case_id")
        .annotate(n=Count("id"))
    ):
        out[case_id].open_requests = n
    for origin_id, number in EnforcementCase.objects.filter(origin_id__in=ids).values_list(
        "origin_id", "number"
    ):
        out[origin_id].resumed_number = number
    for row in out.values():
        c = row.case
        last = row.last_round.run_on if row.last_round else None
        row.window_ends = rules.add_months(c.closed_on, 12 * years) if c.closed_on else None
        base = last or c.closed_on
        nxt = rules.add_months(base, months) if base else today
        row.next_due = None if row.window_ends and nxt > row.window_ends else nxt
        row.overdue = row.next_due is not None and row.next_due < today
    return [out[i] for i in ids]


def page(
    user: Any, q: str = "", court_id: int | None = None, number: int = 1, today: date | None = None
) -> tuple[list[Row], int]:
    """One page (1-based) of the registry and the total count."""
    qs = dormant_cases(user, q, court_id)
    total = qs.count()
    start = (max(number, 1) - 1) * PAGE
    cases = list(qs.select_related("court")[start : start + PAGE])
    return rows_of(cases, today or timezone.localdate()), total


def attention(user: Any, court_id: int | None = None, limit: int = 20) -> tuple[list[DormantAttention], int]:
    """Dormant cases the daily re-inquiry could not search (no debtor with a valid identity number),
    longest-standing first, and how many there are (two queries)."""
    scoped = dormant_cases(user, "", court_id).values("pk")
    qs = DormantAttention.objects.filter(case_id__in=scoped).select_related("case").order_by("since", "id")
    return list(qs[:limit]), qs.count()


def _chunks(qs: QuerySet[EnforcementCase], size: int = 500) -> Iterator[list[EnforcementCase]]:
    chunk: list[EnforcementCase] = []
    for c in qs.iterator(chunk_size=size):
        chunk.append(c)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def export_rows(user: Any, q: str = "", court_id: int | None = None) -> Iterator[list[Any]]:
    """Every registry row for the Excel export, streamed in chunks."""
    today = timezone.localdate()
    for chunk in _chunks(dormant_cases(user, q, court_id).select_related("court")):
        for r in rows_of(chunk, today):
            yield [
                r.case.number,
                r.case.court.name,
                r.case.closed_on,
                "、".join(r.debtors),
                r.case.claim_amount,
                r.case.paid_amount,
                r.owed,
                r.last_round.run_on if r.last_round else None,
                r.last_round.get_outcome_display() if r.last_round else "未查询",
                r.next_due,
                "需关注：" + "；".join(r.problems) if r.attention else "",
                r.open_requests,
                r.resumed_number,
            ]


EXPORT_HEADER = (
    "案号",
    "法院",
    "终本日期",
    "被执行人",
    "执行标的（元）",
    "已到位（元）",
    "未履行（元）",
    "最近定期查询",
    "查询结果",
    "下次查询",
    "需关注",
    "待审查恢复申请",
    "恢复执行案号",
)


def notices(case_id: int, limit: int = 20) -> list[ReinquiryNotice]:
    return list(ReinquiryNotice.objects.filter(case_id=case_id).order_by("-id")[:limit])
