"""Reads of entrustment: each court's inbox and outbox with their clocks, and the statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhixing.courts.models import Court
from zhixing.courts.queries import object_id

from . import rules
from .models import Entrustment

LIST_LIMIT = 200


def _court(user: Any) -> Court | None:
    return getattr(user, "court", None)


def inbox(user: Any) -> QuerySet[Entrustment]:
    """Entrustments received by the user's court (the delegate's to-do list), open ones first."""
    court = _court(user)
    if court is None:
        return Entrustment.objects.none()
    return (
        Entrustment.objects.filter(to_court=court)
        .select_related("from_court", "to_court")
        .order_by("done_on", "start_by", "-id")
    )


def outbox(user: Any) -> QuerySet[Entrustment]:
    """Entrustments the user's court sent."""
    court = _court(user)
    if court is None:
        return Entrustment.objects.none()
    return (
        Entrustment.objects.filter(from_court=court)
        .select_related("from_court", "to_court")
        .order_by("-sent_on", "-id")
    )


def visible(user: Any, pk: int) -> Entrustment | None:
    """An entrustment the user's court sent or received (a higher court reads its subordinates')."""
    court = _court(user)
    if court is None or object_id(pk) is None:
        return None
    scope = Q(from_court=court) | Q(to_court=court)
    if court.level != "basic":
        scope |= Q(from_court__path__startswith=court.path) | Q(to_court__path__startswith=court.path)
    return (
        Entrustment.objects.filter(scope, pk=pk)
        .select_related("from_court", "to_court", "case__court")
        .first()
    )


@dataclass(frozen=True)
class Clocks:
    start: str  # rules.clock_state
    report: str


def clocks(e: Entrustment, today: date | None = None) -> Clocks:
    today = today or timezone.localdate()
    report_done = e.done_on or e.progress_on or (e.filed_on if e.kind == Entrustment.Kind.CASE else None)
    return Clocks(
        rules.clock_state(e.start_by, e.started_on, today), rules.clock_state(e.report_by, report_done, today)
    )


def with_clocks(rows: QuerySet[Entrustment]) -> list[tuple[Entrustment, Clocks]]:
    today = timezone.localdate()
    return [(e, clocks(e, today)) for e in rows[:LIST_LIMIT]]


@dataclass(frozen=True)
class Stats:
    sent: int
    sent_done: int
    received: int
    handled: int
    trips_saved: int


def statistics(court: Court, *, jurisdiction: bool = False) -> Stats:
    """Matters sent and handled (the seeds' Qingxian figures: 1,190 entrusted, 1,103 handled for others)
    and person-trips saved (four per matter handled, the seeds' national ratio).

    `jurisdiction`: the court and every court under it (the metrics page's scope, which reports the
    subordinate courts' figures too): a higher court sends and receives few matters itself, and counting
    only its own rows showed 高院 "委托 0 件" while 天河 had sent eight."""
    done = Q(status__in=(Entrustment.Status.DONE, Entrustment.Status.FILED, Entrustment.Status.CLOSED))
    if jurisdiction:
        sent, received = Q(from_court__path__startswith=court.path), Q(to_court__path__startswith=court.path)
    else:
        sent, received = Q(from_court=court), Q(to_court=court)
    out = Entrustment.objects.filter(sent).aggregate(n=Count("id"), d=Count("id", filter=done))
    inn = Entrustment.objects.filter(received).aggregate(n=Count("id"), d=Count("id", filter=done))
    return Stats(out["n"], out["d"], inn["n"], inn["d"], rules.trips_saved(out["d"]))


@dataclass(frozen=True)
class MatterRow:
    """One single-matter entrustment on the command center's screen, with its clocks (rules.md §9)."""

    entrustment: Entrustment
    clocks: Clocks

    @property
    def overdue(self) -> bool:
        return "overdue" in (self.clocks.start, self.clocks.report)


def command_matters(court: Court, today: date | None = None) -> tuple[list[MatterRow], list[MatterRow]]:
    """The court's incoming and outgoing single matters (事项委托) for the command center, open ones
    first by their start-by day, then the finished ones, newest first (at most LIST_LIMIT each)."""
    today = today or timezone.localdate()
    base = Entrustment.objects.filter(kind=Entrustment.Kind.MATTER).select_related("from_court", "to_court")
    order = ("done_on", "start_by", "-id")
    incoming = base.filter(to_court=court).order_by(*order)[:LIST_LIMIT]
    outgoing = base.filter(from_court=court).order_by(*order)[:LIST_LIMIT]
    return (
        [MatterRow(e, clocks(e, today)) for e in incoming],
        [MatterRow(e, clocks(e, today)) for e in outgoing],
    )


def courts_for(user: Any) -> list[Court]:
    """Every other court (the target list): single matters go to any, whole cases to another province."""
    court = _court(user)
    qs = Court.objects.order_by("path")
    return list(qs.exclude(pk=court.pk) if court else qs)
