"""After a lot's suspension (中止拍卖, 网拍规定 Art 28): its resumption when the cause ends, or its
withdrawal (撤回拍卖) when the asset may no longer be sold.

Both are applied by the measures consequence table (a third-party objection cleared → resume; upheld or
finally successful → withdraw) in the event's transaction, with `actor` possibly None (a periodic
sweep). A judge may also resume by hand from the lot page when the cause ended by another route
(`manual=True`: the judge's post is checked and a reason is required). Each write is audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError

from .. import conf, rules_resumption
from ..models import Lot, ReferencePrice, Registration
from . import term_clock
from .access import require_manage
from .bidding import broadcast, snapshot
from .lots import refuse_if_guarded, refuse_if_price_set_aside
from .settlement import release_deposit

# Lots a withdrawal (撤回拍卖) ends: not yet in bidding, or suspended in it.
WITHDRAWABLE = (Lot.Status.DRAFT, Lot.Status.SUSPENDED)


def _reason(reason: str, required: bool) -> str:
    text = (reason or "").strip()
    if required and not text:
        raise ServiceError("请填写恢复拍卖的原因（中止事由已经消失的情况）", field="reason")
    if len(text) > 200:
        raise ServiceError("原因不能超过200字", field="reason")
    return text


# rule
def resume_lot(actor: Any, lot_id: int, reason: str, *, manual: bool = False) -> Lot:
    """恢复拍卖: a suspended lot returns to bidding (网拍规定 Art 28), its bidding times recomputed by
    `rules_resumption.resumed_times` in the configured mode; the deposits stay as they were (held).

    Refused while any disposal guard still refuses the asset (another objection still pending, a suit
    pending), naming the guard's reasons, and when the lot's reference price was set aside on objection
    (参考价规定 Art 23: the lot is withdrawn instead). `manual`: a judge's resumption from the lot page."""
    text = _reason(reason, manual)
    with transaction.atomic():
        lot = Lot.objects.select_for_update().get(pk=lot_id)
        if manual:
            require_manage(actor, lot.court)
        if lot.status != Lot.Status.SUSPENDED:
            raise Conflict("只有中止拍卖的标的可以恢复拍卖", field="status")
        refuse_if_guarded(lot.asset_id)
        refuse_if_price_set_aside(lot)
        now = timezone.now()
        mode = conf.resume_bidding()
        before = {"status": lot.status, "starts_at": lot.starts_at, "ends_at": lot.ends_at}
        lot.starts_at, lot.ends_at = rules_resumption.resumed_times(
            starts_at=lot.starts_at,
            ends_at=lot.ends_at,
            scheduled_end=lot.scheduled_end,
            suspended_at=lot.suspended_at,
            resumed_at=now,
            mode=mode,
        )
        lot.status, lot.resumed_at = Lot.Status.ANNOUNCED, now
        lot.save(update_fields=["status", "starts_at", "ends_at", "resumed_at"])
        audit.record(
            actor,
            "auctions.lot_resume",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            before=before,
            after={
                "status": lot.status,
                "starts_at": lot.starts_at,
                "ends_at": lot.ends_at,
                "suspended_at": lot.suspended_at,
                "mode": mode.value,
                "manual": manual,
                "reason": text,
            },
            court=lot.court,
        )
        payload = snapshot(lot)
        transaction.on_commit(lambda: broadcast(lot.pk, payload))
    return lot


def _price_set_aside(lot: Lot) -> bool:
    if lot.reference_id is None:
        return False
    return ReferencePrice.objects.filter(pk=lot.reference_id, set_aside_on__isnull=False).exists()


# rule
def cancel_lot(actor: Any, lot_id: int, reason: str) -> Lot:
    """撤回拍卖: a lot not yet in bidding or suspended ends without a sale; every paid deposit is released
    (the same release as after the end, 网拍规定 Art 23) and the case's auction period ends
    (审限规定 Art 9)."""
    text = _reason(reason, True)
    with transaction.atomic():
        lot = Lot.objects.select_for_update().get(pk=lot_id)
        # A lot on a reference price set aside (参考价规定 Art 23, R-4.3.8) cannot go on even while
        # announced or bidding (a 复议 setting aside a rejection after the lot resumed): it is withdrawn.
        on_void_price = lot.status == Lot.Status.ANNOUNCED and _price_set_aside(lot)
        if lot.status not in WITHDRAWABLE and not on_void_price:
            raise Conflict("只有待公告或中止拍卖的标的可以撤回拍卖", field="status")
        before = lot.status
        paid = list(
            Registration.objects.filter(lot=lot, deposit_state=Registration.Deposit.PAID).select_related(
                "bidder"
            )
        )
        for reg in paid:
            release_deposit(lot, reg)
        lot.status, lot.withdrawn_reason, lot.ended_at = Lot.Status.CANCELLED, text, timezone.now()
        lot.save(update_fields=["status", "withdrawn_reason", "ended_at"])
        if before in (Lot.Status.SUSPENDED, Lot.Status.ANNOUNCED):
            term_clock.resume_term(actor, lot, timezone.localdate(), f"撤回拍卖（标的{lot.pk}）")
        audit.record(
            actor,
            "auctions.lot_cancel",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            before={"status": before},
            after={"status": lot.status, "released": [r.pk for r in paid], "reason": text},
            court=lot.court,
        )
        payload = snapshot(lot)
        transaction.on_commit(lambda: broadcast(lot.pk, payload))
    return lot
