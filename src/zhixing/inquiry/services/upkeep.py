"""Periodic upkeep: release excess (terms and lapses: `expiry.py`; triage: `triage.py`)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import CaseStatus, ClosingMode, EnforcementCase
from zhixing.core import audit

from .. import queries
from ..models import Action, Asset, InquiryRequest
from ..queries_release import release_plan
from .requests import kick, new_key


def _release_request(case: EnforcementCase, asset: Asset, amount: Decimal | None, why: str) -> InquiryRequest:
    key = new_key()
    return InquiryRequest.objects.create(
        case=case,
        court_id=case.court_id,
        party_id=asset.party_id,
        partner_id=asset.partner_id,
        action=Action.RELEASE,
        asset=asset,
        amount=amount,
        reason=why,
        status=InquiryRequest.Status.PENDING,
        idempotency_key=key,
        notice_number=f"{case.number}解{key[:8]}",
        due_at=timezone.now(),
        requested_by=None,  # the system releases; the audit record says why
    )


def release_excess(case: EnforcementCase) -> list[InquiryRequest]:
    """Release what exceeds the claim: everything once the case is performed, the surplus otherwise.

    The plan is `queries_release.release_plan`, the one the consequence table (zhixing.measures) uses.
    """
    with transaction.atomic():
        case = EnforcementCase.objects.select_for_update(no_key=True).get(pk=case.pk)
        performed = case.status == CaseStatus.CLOSED and case.closing_mode == ClosingMode.PERFORMED
        outstanding, controlled, plan = release_plan(case, everything=performed)
        if not plan:
            return []
        excess = controlled - (Decimal("0") if performed else outstanding)
        by_id = {a.pk: a for a in Asset.objects.filter(pk__in=[pk for pk, _ in plan])}
        why = "案件执行完毕，解除控制" if performed else "已控制财产超过剩余执行标的，解除超标的部分"
        made = [_release_request(case, by_id[pk], amount, why) for pk, amount in plan]
        audit.record(
            None,
            "inquiry.release_excess",
            object_type="EnforcementCase",
            object_id=case.pk,
            case_id=case.pk,
            after={"excess": excess, "requests": [r.pk for r in made]},
        )
        kick()
    return made


def release_sweep(limit: int = 500) -> int:
    """Find cases closed as performed (or over-controlled) that still hold controls; release them."""
    case_ids = (
        Asset.objects.filter(state__in=queries.ACTIVE_STATES, case__status=CaseStatus.CLOSED)
        .values_list("case_id", flat=True)
        .distinct()[:limit]
    )
    made = 0
    for case in EnforcementCase.objects.filter(pk__in=list(case_ids)):
        made += len(release_excess(case))
    return made
