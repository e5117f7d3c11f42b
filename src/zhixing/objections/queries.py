"""Reads of objections: a case's objections, the court's open ones with their clocks, statistics, and the
public form's look-up of a controlled asset (masked)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core.identity import mask_id
from zhixing.courts.queries import court_scope_q
from zhixing.inquiry.models import Asset

from . import rules
from .models import Objection


def for_case(case: EnforcementCase) -> list[Objection]:
    return list(Objection.objects.filter(case_id=case.pk).select_related("asset").order_by("-id"))


def scoped(user: Any) -> QuerySet[Objection]:
    """Objections of the user's court and (for a higher court) its subordinate courts."""
    return Objection.objects.filter(court_scope_q(user)).select_related("court", "case", "asset")


@dataclass(frozen=True)
class Clock:
    """One running clock of an objection, for the supervision pages."""

    objection: Objection
    label: str
    due: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def open_clocks(user: Any, today: date | None = None, limit: int = 200) -> list[Clock]:
    """Pending reviews (decision due) and open suit windows, soonest first."""
    today = today or timezone.localdate()
    out: list[Clock] = []
    for o in scoped(user).filter(status=Objection.Status.PENDING).order_by("decision_due", "pk")[:limit]:
        out.append(Clock(o, "审查期限", o.decision_due, (o.decision_due - today).days))
    windows = scoped(user).filter(
        suit_due__gte=today, suit_state="", status__in=(Objection.Status.REJECTED, Objection.Status.UPHELD)
    )
    for o in windows.order_by("suit_due", "pk")[:limit]:
        assert o.suit_due is not None
        out.append(Clock(o, "起诉期限", o.suit_due, (o.suit_due - today).days))
    return sorted(out, key=lambda c: (c.due, c.objection.pk))


def pending_count(user: Any) -> int:
    return scoped(user).filter(status=Objection.Status.PENDING).count()


def pending_counts(user: Any, today: date | None = None) -> tuple[int, int]:
    """(pending, of them past the decision deadline) in one query, for the worklist."""
    today = today or timezone.localdate()
    row = (
        scoped(user)
        .filter(status=Objection.Status.PENDING)
        .aggregate(n=Count("pk"), late=Count("pk", filter=Q(decision_due__lt=today)))
    )
    return int(row["n"]), int(row["late"])


def overdue_count(user: Any, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return scoped(user).filter(status=Objection.Status.PENDING, decision_due__lt=today).count()


@dataclass(frozen=True)
class Statistics:
    filed: int
    pending: int
    upheld: int
    rejected: int
    withdrawn: int
    decided_late: int
    average_days: float | None  # receipt to ruling, over decided objections


def statistics(user: Any) -> Statistics:
    rows = list(scoped(user).values_list("status", "received_on", "decided_on", "decision_due"))
    decided = [(r, d, due) for s, r, d, due in rows if s in ("upheld", "rejected") and d is not None]
    days = [(d - r).days for r, d, _ in decided]
    return Statistics(
        filed=len(rows),
        pending=sum(1 for s, *_ in rows if s == Objection.Status.PENDING),
        upheld=sum(1 for s, *_ in rows if s == Objection.Status.UPHELD),
        rejected=sum(1 for s, *_ in rows if s == Objection.Status.REJECTED),
        withdrawn=sum(1 for s, *_ in rows if s == Objection.Status.WITHDRAWN),
        decided_late=sum(1 for _, d, due in decided if d > due),
        average_days=round(sum(days) / len(days), 1) if days else None,
    )


def block_reasons(obj: Objection, today: date | None = None) -> str:
    """Why this objection forbids disposing of its asset today. An act objection does not block disposal
    by itself (the block is the third-party objection's, CPL-2023 Art 238); an upheld one undoes its act."""
    if obj.kind != Objection.Kind.THIRD_PARTY:
        return ""
    return rules.block_reason(
        rules.BlockFacts(obj.status, obj.served_on, obj.suit_due, obj.suit_state, obj.number),
        today or timezone.localdate(),
    )


def masked_id(obj: Objection) -> str:
    return mask_id(obj.objector_id_number)


def objectable_assets(case: EnforcementCase) -> list[Asset]:
    """The case's assets a third party can still object to (held, not disposed of)."""
    return list(
        Asset.objects.filter(
            case_id=case.pk, state__in=(Asset.State.FROZEN, Asset.State.SEIZED, Asset.State.QUEUED)
        )
        .select_related("partner")
        .order_by("pk")
    )


def public_target(case_number: str, asset_ref: str) -> tuple[EnforcementCase, Asset] | None:
    """The public form's look-up: the enforcement case by its full number and one of its assets by the
    certificate/plate/account number the third party holds. Both must match exactly, so the form reveals
    nothing to someone who does not already know both."""
    number = str(case_number or "").strip()
    ref = str(asset_ref or "").strip()
    if not number or not ref:
        return None
    case = EnforcementCase.objects.select_related("court").filter(number=number).first()
    if case is None:
        return None
    asset = Asset.objects.filter(case_id=case.pk, ref=ref).exclude(kind=Asset.Kind.INFO).first()
    return (case, asset) if asset is not None else None
