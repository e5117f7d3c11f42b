"""Reads of the president's approvals: what waits for him, one proposal, a case's proposals."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhixing.cases.queries import get_case

from .models import Proposal


def pending_count(court_id: int) -> int:
    return Proposal.objects.filter(court_id=court_id, status=Proposal.Status.PENDING).count()


def for_court(court_id: int, *, pending_only: bool = True) -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(court_id=court_id).select_related("case", "party", "proposed_by")
    if pending_only:
        qs = qs.filter(status=Proposal.Status.PENDING)
    return qs.order_by("-status", "proposed_on", "pk") if pending_only else qs.order_by("-pk")[:200]


def visible(user: Any, pk: int) -> Proposal | None:
    """A proposal whose case the user may read (else None: a 404)."""
    p = (
        Proposal.objects.select_related("case", "party", "court", "proposed_by", "listing")
        .filter(pk=pk)
        .first()
    )
    if p is None or get_case(user, p.case_id) is None:
        return None
    return p


def for_case(case_id: int) -> list[Proposal]:
    return list(
        Proposal.objects.filter(case_id=case_id).select_related("party", "proposed_by").order_by("-pk")
    )
