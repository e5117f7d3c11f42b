"""Reads for correction applications (失信规定 Arts 11–12): the list each court works on, and its counts.

A court reads the correction applications of its own and its subordinate courts' listings; the
next-higher court is the one that decides a 复议. "Overdue" is `rules.correction_overdue`: the enforcing
court's 15 days, its 3 working days to correct, or the higher court's 15 days run out unmet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhixing.courts.queries import court_scope_q

from . import rules
from .models import Correction

OPEN = (Correction.Status.PENDING, Correction.Status.UPHELD, Correction.Status.RECONSIDERING)
OVERDUE_WORDS = {
    "review": "执行法院已超过15日未审查",
    "fix": "已超过3个工作日未纠正",
    "higher": "上一级法院已超过15日未作复议决定",
}


def overdue(c: Correction, today: date) -> str:
    return rules.correction_overdue(c.status, c.review_due, c.fix_due, c.higher_review_due, today)


@dataclass
class Row:
    c: Correction
    overdue: str
    overdue_words: str


def visible(user: Any) -> QuerySet[Correction]:
    return Correction.objects.filter(court_scope_q(user, "listing__court"))


def get_visible(user: Any, pk: int) -> Correction | None:
    return (
        visible(user).select_related("listing__court", "listing__case", "review_court").filter(pk=pk).first()
    )


def rows(user: Any, *, open_only: bool = True, today: date | None = None) -> list[Row]:
    today = today or timezone.localdate()
    qs = visible(user).select_related("listing__court", "listing__case", "review_court")
    if open_only:  # a rejection stays open until served and while the applicant may still ask for 复议
        qs = qs.filter(
            Q(status__in=OPEN)
            | Q(status=Correction.Status.REJECTED, higher_result="", served_on__isnull=True)
            | Q(status=Correction.Status.REJECTED, higher_result="", reconsideration_due__gte=today)
        )
    out = []
    for c in qs.order_by("review_due", "pk")[:500]:
        o = overdue(c, today)
        out.append(Row(c, o, OVERDUE_WORDS.get(o, "")))
    return out


def _overdue_q(today: date) -> Q:
    return (
        Q(status=Correction.Status.PENDING, review_due__lt=today)
        | Q(status=Correction.Status.UPHELD, fix_due__lt=today)
        | Q(status=Correction.Status.RECONSIDERING, higher_review_due__lt=today)
    )


def to_decide(court_id: int) -> QuerySet[Correction]:
    """What the court itself must act on: its own pending/upheld applications, its rejections not yet
    served (the 复议 period runs from service), and the 复议 before it."""
    return Correction.objects.filter(
        Q(listing__court_id=court_id, status__in=[Correction.Status.PENDING, Correction.Status.UPHELD])
        | Q(listing__court_id=court_id, status=Correction.Status.REJECTED, higher_result="", served_on=None)
        | Q(review_court_id=court_id, status=Correction.Status.RECONSIDERING)
    )


def counts(court_id: int, today: date | None = None) -> tuple[int, int]:
    """(open items the court must decide, of which overdue) — one aggregate query."""
    today = today or timezone.localdate()
    got = to_decide(court_id).aggregate(n=Count("pk"), late=Count("pk", filter=_overdue_q(today)))
    return got["n"], got["late"]
