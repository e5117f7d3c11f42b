"""Releasing controls and calling back requests when a case event says so (zhixing.measures decides).

Both are writes of the inquiry domain: a release is a persisted control order to the partner (sent after
commit, retried like any other), a call-back marks a request not yet sent as cancelled. Each appends its
audit record in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhixing.cases.models import EnforcementCase
from zhixing.core import audit

from ..models import Asset, InquiryRequest
from ..queries_release import CANCELLABLE, held_controls
from .requests import kick
from .upkeep import _release_request


def request_releases(
    actor: Any, case: EnforcementCase, plan: Sequence[tuple[int, Decimal | None]], why: str
) -> list[InquiryRequest]:
    """Send a release order for each (asset, amount) of `plan` still held and not busy (amount None = whole).

    Assets released, lapsed or with a request in flight since the plan was made are skipped: a plan is
    never applied twice to the same control.
    """
    with transaction.atomic():
        held = {h.asset_id for h in held_controls(case.pk)}
        assets = {a.pk: a for a in Asset.objects.filter(case_id=case.pk, pk__in=[pk for pk, _ in plan])}
        made = [
            _release_request(case, assets[pk], amount, why[:200])
            for pk, amount in plan
            if pk in held and pk in assets
        ]
        if made:
            audit.record(
                actor,
                "inquiry.release",
                object_type="EnforcementCase",
                object_id=case.pk,
                case_id=case.pk,
                after={"why": why, "requests": [[r.pk, r.asset_id, r.amount] for r in made]},
            )
            kick()
    return made


def cancel_requests(actor: Any, case: EnforcementCase, request_ids: Sequence[int], why: str) -> list[int]:
    """Call back requests not yet handed to a partner; requests sent meanwhile are left to finish."""
    with transaction.atomic():
        ids = list(
            InquiryRequest.objects.select_for_update()
            .filter(case_id=case.pk, pk__in=list(request_ids), status__in=CANCELLABLE)
            .values_list("pk", flat=True)
        )
        if ids:
            InquiryRequest.objects.filter(pk__in=ids).update(
                status=InquiryRequest.Status.CANCELLED, due_at=None, last_error=why[:300]
            )
            audit.record(
                actor,
                "inquiry.cancel",
                object_type="EnforcementCase",
                object_id=case.pk,
                case_id=case.pk,
                after={"why": why, "requests": ids},
            )
    return ids


def record_title_passed(actor: Any, case: EnforcementCase, asset_id: int, on: Any, ref: str) -> bool:
    """Record that the asset's title passed to a buyer on `on` (网拍规定 Art 22); False when it already
    had (a repeated event records nothing twice)."""
    with transaction.atomic():
        asset = Asset.objects.select_for_update().get(case_id=case.pk, pk=asset_id)
        if asset.title_passed_on is not None:
            return False
        asset.title_passed_on, asset.title_passed_ref = on, ref[:200]
        asset.save(update_fields=["title_passed_on", "title_passed_ref"])
        audit.record(
            actor,
            "inquiry.title_passed",
            object_type="Asset",
            object_id=asset.pk,
            case_id=case.pk,
            after={"title_passed_on": on, "ref": asset.title_passed_ref},
        )
    return True
