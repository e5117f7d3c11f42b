"""Reads for the public portal (published rows only) and the staff disclosure pages (court-scoped)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from zhixing.courts.models import Staff
from zhixing.courts.queries import court_scope_q
from zhixing.documents.models import Document

from .models import Petition, PublishedRuling, RewardOffer, Tip, TipPhoto
from .public_rulings import PUBLISHABLE

PUBLIC_PAGE = 50


def public_rulings(q: str = "") -> list[PublishedRuling]:
    """Published rulings, newest first (one query); `q` filters by case number or title."""
    qs = PublishedRuling.objects.filter(withdrawn_at__isnull=True).select_related("court", "case")
    if q:
        qs = qs.filter(Q(case__number__contains=q) | Q(title__contains=q))
    return list(qs.defer("text").order_by("-published_at", "-id")[:PUBLIC_PAGE])


def public_ruling(pk: int) -> PublishedRuling | None:
    return (
        PublishedRuling.objects.filter(pk=pk, withdrawn_at__isnull=True)
        .select_related("court", "case")
        .first()
    )


def open_rewards() -> list[RewardOffer]:
    """Rewards on offer for open cases, newest first (one query)."""
    return list(
        RewardOffer.objects.filter(status=RewardOffer.Status.OFFERED)
        .select_related("court", "case")
        .order_by("-offered_on", "-id")[:PUBLIC_PAGE]
    )


def tips_of_case(case_id: int) -> list[Tip]:
    photos = Prefetch("photos", queryset=TipPhoto.objects.only("id", "tip_id").order_by("id"))
    return list(Tip.objects.filter(case_id=case_id).prefetch_related(photos).order_by("-id"))


def rewards_of_case(case_id: int) -> list[RewardOffer]:
    return list(RewardOffer.objects.filter(case_id=case_id).select_related("paid_tip").order_by("-id"))


def petitions_of_case(case_id: int) -> list[Petition]:
    return list(Petition.objects.filter(case_id=case_id).select_related("routed_to").order_by("-id"))


def publishable_documents(case_id: int) -> list[tuple[Document, PublishedRuling | None]]:
    docs = list(Document.objects.filter(case_id=case_id, kind__in=PUBLISHABLE).order_by("-id"))
    published = {
        r.document_id: r for r in PublishedRuling.objects.filter(document_id__in=[d.pk for d in docs])
    }
    return [(d, published.get(d.pk)) for d in docs]


def scoped_tips(user: Any, status: str = "") -> QuerySet[Tip]:
    qs = Tip.objects.filter(court_scope_q(user)).select_related("case", "court")
    if status in Tip.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_on", "id")


def scoped_petitions(user: Any, status: str = "") -> QuerySet[Petition]:
    qs = Petition.objects.filter(court_scope_q(user)).select_related("case", "court", "routed_to")
    if status in Petition.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_on", "id")


def scoped_rulings(user: Any) -> QuerySet[PublishedRuling]:
    return PublishedRuling.objects.filter(court_scope_q(user)).select_related("case", "court").defer("text")


def case_new_tips(case_id: int) -> int:
    return Tip.objects.filter(case_id=case_id, status=Tip.Status.NEW).count()


def _count_of(qs: QuerySet[Any], by: str) -> Coalesce:
    """A scalar subquery counting `qs` (grouped on a constant column, so one row), 0 when empty."""
    inner = qs.order_by().values(by).annotate(c=Count("id")).values("c")[:1]
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def worklist_counts(user: Any, today: date, *, court_wide: bool = False) -> tuple[int, int, int, int]:
    """(new tips of the user's cases, of them late, petitions routed to the user still open, of them late),
    in ONE query: the worklist runs on every page, within the pages' query budgets. `court_wide`: the
    court's (a director's card counts what the lists it links to show, not only their own cases)."""
    if court_wide:
        tips = Tip.objects.filter(court_id=OuterRef("court_id"), status=Tip.Status.NEW)
        pets = Petition.objects.filter(court_id=OuterRef("court_id"), status=Petition.Status.OPEN)
    else:
        tips = Tip.objects.filter(case__handler_id=OuterRef("pk"), status=Tip.Status.NEW)
        pets = Petition.objects.filter(routed_to_id=OuterRef("pk"), status=Petition.Status.OPEN)
    row = (
        Staff.objects.filter(pk=user.pk)
        .annotate(
            t=_count_of(tips, "status"),
            tl=_count_of(tips.filter(due_on__lt=today), "status"),
            p=_count_of(pets, "status"),
            pl=_count_of(pets.filter(due_on__lt=today), "status"),
        )
        .values_list("t", "tl", "p", "pl")
        .first()
    )
    return (int(row[0]), int(row[1]), int(row[2]), int(row[3])) if row else (0, 0, 0, 0)
