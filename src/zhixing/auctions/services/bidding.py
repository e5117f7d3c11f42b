"""Live bidding (网拍规定 Arts 20–21): one bid at a time per lot, under the lot's row lock.

The bid time is the server's arrival time, taken when the request arrives (before waiting for the
lock), so a bid that arrived before the end is judged against the end as it stood. Under the lock the
book is read, the pure rule decides (`rules.apply_bid`: increment, pre-emption match, extension), and
the bid is appended to the timeline with the lot's new price and end in the same transaction; on
PostgreSQL concurrent bids on one lot queue on that lock, so none is lost, two never take one price
(except a pre-emption holder's lawful match) and none lands after the end. Watchers are told after
commit over the channel layer (group `auction_lot_<id>`).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from asgiref.sync import async_to_sync
from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError

from .. import rules, watchers
from ..models import Bid, Bidder, Lot, Registration

log = logging.getLogger(__name__)


# What a bidder is told when bidding on a lot suspended because its asset is claimed (CPL 238).
SUSPENDED_MESSAGE = (
    "该标的已中止拍卖（案外人对拍卖财产提出异议），暂停出价；保证金继续冻结，恢复拍卖时将另行公告"
)


def group_name(lot_id: int) -> str:
    return f"auction_lot_{lot_id}"


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError("出价须为金额（元）", field="amount") from exc
    if not amount.is_finite():
        raise ServiceError("出价须为金额（元）", field="amount")
    return amount


def book_of(lot: Lot) -> rules.Book:
    best = None
    if lot.leader_id is not None and lot.current_price is not None:
        first = (
            Bid.objects.filter(lot=lot, registration_id=lot.leader_id, amount=lot.current_price)
            .order_by("seq")
            .values_list("at", "seq")
            .first()
        )
        leader = Registration.objects.only("code", "rank").get(pk=lot.leader_id)
        at, seq = first if first else (lot.starts_at, 0)
        best = rules.Bid(leader.code, lot.current_price, at, leader.rank, seq)
    return rules.Book(lot.start_price, lot.increment, lot.starts_at, lot.ends_at, best, lot.bid_count)


def place_bid(bidder: Bidder | None, lot_id: int, amount: Any, *, arrived_at: datetime | None = None) -> Bid:
    """Accept one bid or refuse it with the reason (nothing recorded then)."""
    at = arrived_at or timezone.now()
    if bidder is None:
        raise NotPermitted("请先实名注册并登录竞买人账户")
    amt = _amount(amount)
    with transaction.atomic():
        lot = Lot.objects.select_for_update().filter(pk=lot_id).first()
        if lot is None:
            raise ServiceError("标的不存在", field="lot")
        if lot.status == Lot.Status.SUSPENDED:
            raise Conflict(SUSPENDED_MESSAGE, field="lot")
        if lot.status != Lot.Status.ANNOUNCED:
            raise Conflict("竞价已结束" if lot.ended_at else "该标的不在竞价中", field="lot")
        reg = Registration.objects.filter(lot=lot, bidder=bidder).first()
        if reg is None:
            raise Conflict("您尚未报名参加该标的的竞买", field="lot")
        if not reg.may_bid:
            raise Conflict("请先交纳保证金后再出价（网拍规定第17条）", field="deposit")
        book = book_of(lot)
        new_book, problem = rules.apply_bid(book, reg.code, amt, at, reg.rank)
        if problem:
            raise Conflict(problem, field="amount")
        bid = Bid.objects.create(
            lot=lot, registration=reg, seq=new_book.count, amount=amt, at=at, ends_at=new_book.ends_at
        )
        lot.bid_count = new_book.count
        lot.ends_at = new_book.ends_at
        if (
            new_book.best is not None
            and new_book.best.code == reg.code
            and new_book.best.seq == new_book.count
        ):
            lot.leader = reg
            lot.current_price = amt
        lot.save(update_fields=["bid_count", "ends_at", "leader", "current_price"])
        audit.record(
            None,
            "auctions.bid",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            after={"code": reg.code, "amount": amt, "at": at, "seq": bid.seq, "ends_at": lot.ends_at},
            court=lot.court,
        )
        payload = snapshot(lot, last=bid, code=reg.code)
        transaction.on_commit(lambda: broadcast(lot.pk, payload))
    return bid


def snapshot(lot: Lot, *, last: Bid | None = None, code: str = "") -> dict[str, Any]:
    """What every watcher is sent: price, count, end time, the last bid by code, the server clock."""
    return {
        "lot": lot.pk,
        "price": f"{lot.current_price:.2f}" if lot.current_price is not None else None,
        "bids": lot.bid_count,
        "ends_at": lot.ends_at.isoformat(),
        "status": lot.status,
        "last": {"code": code, "amount": f"{last.amount:.2f}", "at": last.at.isoformat(), "seq": last.seq}
        if last
        else None,
        "server_now": timezone.now().isoformat(),
        "watchers": watchers.count(lot.pk),
    }


def broadcast(lot_id: int, payload: dict[str, Any]) -> None:
    """Send to the lot's watchers; a dead layer never fails the bid (the page polls as a fallback)."""
    try:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is None:
            return
        message = {"type": "lot.update", "data": payload}
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None:
            loop.create_task(layer.group_send(group_name(lot_id), message))
        else:
            async_to_sync(layer.group_send)(group_name(lot_id), message)
    except Exception:
        log.warning("auction broadcast failed for lot %s", lot_id, exc_info=True)
