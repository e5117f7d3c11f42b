"""After the end (网拍规定 Arts 11, 22–26): the winner, deposits released or applied, the balance into
the case account, the sale-confirmation ruling; default (悔拍) and the failed-auction chain."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.field_lengths import text_within
from zhixing.funds.services import auction_deposits

from .. import conf, rules
from ..events import sale_ruling_served, set_off_ruling_served
from ..models import Lot, Registration
from . import term_clock
from .access import require_manage
from .bidding import broadcast, snapshot
from .lots import refuse_if_guarded

log = logging.getLogger(__name__)

# A bid that arrived before the end may still wait for the lot's lock: the sweep leaves each ended lot
# this long before closing it, so such a bid is judged, not refused by the close.
CLOSE_GRACE = timedelta(seconds=5)


def release_deposit(lot: Lot, reg: Registration) -> None:
    """Refund one paid deposit, once per registration (the funds key): a bank payment order to the
    bidder, approved and sent by finance (funds `deposit_refunds`); `released` means the order exists."""
    auction_deposits.release_deposit(
        None,
        court_id=lot.court_id,
        case_id=lot.case_id,
        key=f"auction-release:{reg.pk}",
        amount=reg.deposit_paid,
        payee_name=reg.bidder.name,
    )
    reg.deposit_state = Registration.Deposit.RELEASED
    reg.save(update_fields=["deposit_state"])


def close_lot(lot_id: int, now: datetime | None = None) -> Lot:
    """End the bidding: the best bid buys (one bidder at the start price suffices, Art 11); every
    other paid deposit is released at once (Art 23's 24 hours); no bid → 流拍 with the re-auction
    clock (Art 26)."""
    now = now or timezone.now()
    with transaction.atomic():
        lot = Lot.objects.select_for_update().get(pk=lot_id)
        if lot.status != Lot.Status.ANNOUNCED:
            return lot
        if now <= lot.ends_at:
            raise Conflict("竞价尚未结束", field="ends_at")
        paid = list(
            Registration.objects.filter(lot=lot, deposit_state=Registration.Deposit.PAID)
            .exclude(pk=lot.leader_id or 0)
            .select_related("bidder")
        )
        for reg in paid:
            release_deposit(lot, reg)
        lot.ended_at = now
        today = timezone.localdate(now)
        if lot.leader_id is not None:
            lot.status = Lot.Status.SOLD
            lot.balance_due_on = today + timedelta(days=conf.balance_days())
        else:
            lot.status = Lot.Status.FAILED
            lot.next_due_on = rules.after_failure(lot.round_no, today, conf.sale_days())[0][1]
        lot.save(update_fields=["status", "ended_at", "balance_due_on", "next_due_on"])
        audit.record(
            None,
            "auctions.lot_close",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            after={
                "status": lot.status,
                "price": lot.current_price,
                "winner": lot.leader_id,
                "released": [r.pk for r in paid],
            },
        )
        payload = snapshot(lot)
        transaction.on_commit(lambda: broadcast(lot.pk, payload))
    return lot


def close_due(now: datetime | None = None, limit: int = 200) -> int:
    """Close every lot whose end (plus the grace) has passed; the periodic sweep and restarts call it,
    so a restart during bidding loses nothing: the end time is a database row."""
    now = now or timezone.now()
    ids = list(
        Lot.objects.filter(status=Lot.Status.ANNOUNCED, ends_at__lt=now - CLOSE_GRACE)
        .order_by("ends_at")
        .values_list("pk", flat=True)[:limit]
    )
    closed = 0
    for pk in ids:
        # One lot that cannot be closed (a corrupt row, a failing side effect) must not keep the lots
        # after it open: its transaction rolls back alone, it is logged, and the next sweep retries it.
        try:
            close_lot(pk, now)
        except Exception:
            log.exception("auction lot %s could not be closed; the sweep goes on with the others", pk)
        else:
            closed += 1
    return closed


def confirm_sale(actor: Any, lot_id: int) -> Lot:
    """The sale-confirmation ruling (拍卖成交裁定) once the price is paid in full; refused while a
    disposal guard (a third-party objection) stands."""
    from zhixing.documents import services as documents

    with transaction.atomic():
        lot = (
            Lot.objects.select_for_update(of=("self",))
            .select_related("leader__bidder", "case")
            .get(pk=lot_id)
        )
        require_manage(actor, lot.court)
        if lot.status != Lot.Status.PAID or lot.leader is None or lot.current_price is None:
            raise Conflict("价款付清后方可裁定确认成交", field="status")
        refuse_if_guarded(lot.asset_id)
        doc = documents.generate(
            actor,
            lot.case,
            "sale_confirmation",
            source=str(lot.asset_id),
            inputs={
                "price": f"{lot.current_price:.2f}",
                "buyer": lot.leader.bidder.name,
                "sale_date": f"{timezone.localtime(lot.ended_at):%Y年%m月%d日}" if lot.ended_at else "",
                "platform": "智执网络司法拍卖平台",
            },
        )
        lot.status = Lot.Status.CONFIRMED
        lot.ruling_document_id = doc.pk
        lot.save(update_fields=["status", "ruling_document_id"])
        term_clock.resume_term(
            actor, lot, timezone.localdate(), f"拍卖成交裁定（{lot.case.number}之拍{lot.asset_id}）"
        )
        audit.record(
            actor,
            "auctions.sale_confirm",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            after={"document": doc.pk, "price": lot.current_price},
        )
    return lot


def serve_ruling(actor: Any, lot_id: int, served_on: date) -> Lot:
    """The ruling was served: title passes and the consequence table releases the seizure.

    A sale-confirmation ruling served on the buyer (网拍规定 Art 22; event `sale_ruling_served`), or a
    set-off ruling (以物抵债裁定) served on the creditor who took the asset (拍卖变卖规定 Arts 16, 26;
    event `set_off_ruling_served`). Served twice: nothing more happens. Refused while a disposal guard
    stands (an objection filed after the ruling was made)."""
    with transaction.atomic():
        lot = Lot.objects.select_for_update().get(pk=lot_id)
        require_manage(actor, lot.court)
        if lot.status not in (Lot.Status.CONFIRMED, Lot.Status.SET_OFF):
            raise Conflict("成交裁定或以物抵债裁定尚未作出", field="status")
        if lot.ruling_served_on is not None:
            return lot
        # Service passes the title: not while a guard (a third-party objection filed since the ruling)
        # refuses the asset's disposal.
        refuse_if_guarded(lot.asset_id)
        set_off = lot.status == Lot.Status.SET_OFF
        lot.ruling_served_on = served_on
        lot.save(update_fields=["ruling_served_on"])
        audit.record(
            actor,
            "auctions.set_off_served" if set_off else "auctions.ruling_served",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            after={"served_on": served_on},
        )
        (set_off_ruling_served if set_off else sale_ruling_served).send(
            sender=Lot,
            case_id=lot.case_id,
            asset_id=lot.asset_id,
            lot_id=lot.pk,
            served_on=served_on,
            actor=actor,
        )
    return lot


def record_default(actor: Any, lot_id: int, today: date | None = None) -> Lot:
    """悔拍: the balance was not paid by its deadline. The deposit is forfeited into the case account
    (applied in the order of Art 24) and the buyer is barred from the re-auction."""
    today = today or timezone.localdate()
    with transaction.atomic():
        lot = Lot.objects.select_for_update(of=("self",)).select_related("leader").get(pk=lot_id)
        require_manage(actor, lot.court)
        if lot.status != Lot.Status.SOLD or lot.leader is None:
            raise Conflict("只有待付尾款的成交可以认定悔拍", field="status")
        if lot.balance_due_on and today <= lot.balance_due_on:
            raise Conflict(f"尾款期限{lot.balance_due_on:%Y-%m-%d}尚未届满", field="status")
        winner = lot.leader
        if winner.deposit_paid > 0:
            auction_deposits.apply_deposit(
                actor,
                court_id=lot.court_id,
                case_id=lot.case_id,
                key=f"auction-forfeit:{winner.pk}",
                amount=winner.deposit_paid,
                memo=f"悔拍保证金不予退还 标的{lot.pk}（依次用于{rules.FORFEIT_ORDER[0]}等）",
            )
        winner.deposit_state = Registration.Deposit.FORFEITED
        winner.save(update_fields=["deposit_state"])
        lot.status = Lot.Status.DEFAULTED
        lot.next_due_on = rules.reauction_deadline(today)
        lot.save(update_fields=["status", "next_due_on"])
        audit.record(
            actor,
            "auctions.default",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            after={"forfeited": winner.deposit_paid, "bidder": winner.bidder_id},
        )
    return lot


def set_off(actor: Any, lot_id: int, creditor: str) -> Lot:
    """以物抵债 after a failed round: the creditor takes the asset at that round's reserve price
    (拍卖变卖规定 Art 16)."""
    creditor = (creditor or "").strip()
    if not creditor:
        raise ServiceError("请填写接受抵债的债权人", field="creditor")
    text_within(creditor, Lot, "set_off_to", field="creditor")
    with transaction.atomic():
        lot = Lot.objects.select_for_update().get(pk=lot_id)
        require_manage(actor, lot.court)
        if lot.status != Lot.Status.FAILED:
            raise Conflict("只有流拍的标的可以以物抵债", field="status")
        refuse_if_guarded(lot.asset_id)
        lot.status = Lot.Status.SET_OFF
        lot.set_off_to = creditor
        lot.save(update_fields=["status", "set_off_to"])
        term_clock.resume_term(actor, lot, timezone.localdate(), f"以物抵债裁定（标的{lot.pk}）")
        audit.record(
            actor,
            "auctions.set_off",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            after={"creditor": creditor, "price": lot.start_price},
        )
    return lot
