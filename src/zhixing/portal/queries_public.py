"""Reads for the public portal (published rows only) and the staff disclosure pages (court-scoped)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

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


def new_tips_count(user: Any, today: date) -> tuple[int, int]:
    """(new tips of the user's cases, of them past their deadline) — one query."""
    row = Tip.objects.filter(case__handler_id=user.pk, status=Tip.Status.NEW).aggregate(
        n=Count("id"), late=Count("id", filter=Q(due_on__lt=today))
    )
    return int(row["n"]), int(row["late"])


def open_petitions_count(user: Any, today: date) -> tuple[int, int]:
    row = Petition.objects.filter(routed_to_id=user.pk, status=Petition.Status.OPEN).aggregate(
        n=Count("id"), late=Count("id", filter=Q(due_on__lt=today))
    )
    return int(row["n"]), int(row["late"])


def case_new_tips(case_id: int) -> int:
    return Tip.objects.filter(case_id=case_id, status=Tip.Status.NEW).count()
