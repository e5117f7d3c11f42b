"""Group commit for a hot lot (services.place_bids): a group of bids judged in arrival order under one
hold of the lot's lock and written in one transaction, each bid answered on its own, the rules of
`place_bid` unchanged (increment, five-minute extension per bid, the end, deposits, registration)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.auctions.conftest import TZ, bidder, lot_input
from zhixing.auctions import services
from zhixing.auctions.feed import LotFeed
from zhixing.auctions.models import Bid, Lot, Registration
from zhixing.auctions.services import bidding, sandbox_bank
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import Conflict, ServiceError

pytestmark = pytest.mark.django_db
START = datetime(2026, 4, 9, 10, tzinfo=TZ)
END = datetime(2026, 4, 10, 10, tzinfo=TZ)


def _lot(people: dict[str, Any], house: dict[str, Any]) -> Lot:
    lot = services.create_lot(people["judge"], house["asset"].pk, lot_input())
    return services.publish_lot(people["judge"], lot.pk)


def _paid(lot: Lot, i: int) -> Registration:
    reg = services.join_lot(bidder(i), lot.pk)
    return sandbox_bank.transfer_deposit(reg.pk, bank_txn=f"G{lot.pk}-{i}", amount=reg.deposit_due)


def _refusal(outcome: Any) -> tuple[str, str | None]:
    assert isinstance(outcome, ServiceError), outcome
    return outcome.message, outcome.field


def test_a_group_is_judged_in_arrival_order_and_each_bid_answered(
    people, house, _frozen, monkeypatch, django_capture_on_commit_callbacks
):
    lot = _lot(people, house)
    a, b, c = _paid(lot, 0), _paid(lot, 1), _paid(lot, 2)
    unpaid = services.join_lot(bidder(3), lot.pk)
    stranger = bidder(4)
    _frozen.move_to(START + timedelta(hours=1))
    t = START + timedelta(hours=1)
    last_audit = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
    broadcasts: list[dict[str, Any]] = []
    monkeypatch.setattr(bidding, "broadcast", lambda lot_id, payload: broadcasts.append(payload))
    offers = [
        (a.bidder, "700000", t + timedelta(seconds=2)),  # the same price, arrived later
        (b.bidder, "700000", t + timedelta(seconds=1)),  # arrived first: takes the price
        (c.bidder, "abc", t),
        (unpaid.bidder, "800000", t + timedelta(seconds=3)),
        (stranger, "800000", t + timedelta(seconds=4)),
        (a.bidder, "705000", t + timedelta(seconds=5)),
        (c.bidder, "705000", t + timedelta(seconds=6)),  # the price a took a moment ago
    ]
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as q:
        outcomes = services.place_bids(lot.pk, offers)
    first, second = outcomes[1], outcomes[5]
    assert isinstance(first, Bid) and (first.seq, first.amount, first.at) == (
        1,
        D("700000"),
        t + timedelta(seconds=1),
    )
    assert isinstance(second, Bid) and (second.seq, second.amount) == (2, D("705000"))
    assert _refusal(outcomes[0]) == ("出价须不低于当前价700000.00元加一个加价幅度，即705000.00元", "amount")
    assert _refusal(outcomes[2]) == ("出价须为金额（元）", "amount")
    assert _refusal(outcomes[3]) == ("请先交纳保证金后再出价（网拍规定第17条）", "deposit")
    assert _refusal(outcomes[4]) == ("您尚未报名参加该标的的竞买", "lot")
    assert _refusal(outcomes[6]) == ("出价须不低于当前价705000.00元加一个加价幅度，即710000.00元", "amount")
    rows = list(Bid.objects.filter(lot=lot).order_by("seq").values_list("seq", "registration", "amount"))
    assert rows == [(1, b.pk, D("700000.00")), (2, a.pk, D("705000.00"))]
    lot.refresh_from_db()
    assert (lot.bid_count, lot.current_price, lot.leader_id) == (2, D("705000.00"), a.pk)
    audits = list(
        AuditRecord.objects.filter(pk__gt=last_audit or 0).order_by("pk").values_list("action", "after")
    )
    assert [(x, y["seq"], y["amount"], y["code"]) for x, y in audits] == [
        ("auctions.bid", 1, "700000.00", b.code),  # the amount as the money parser read it, to the fen
        ("auctions.bid", 2, "705000.00", a.code),
    ]
    # One transaction: the lot locked once, the registrations and the book read once, one INSERT of
    # the bids, one lot UPDATE and the audit chain's three statements.
    sql = [x["sql"] for x in q.captured_queries]
    assert sum(s.startswith('INSERT INTO "auctions_bid"') for s in sql) == 1
    assert sum(s.startswith('UPDATE "auctions_lot"') for s in sql) == 1
    assert len(sql) <= 10
    # Watchers are told once for the group, with every bid it accepted.
    assert len(broadcasts) == 1
    assert [(x["seq"], x["code"]) for x in broadcasts[0]["recent"]] == [(1, b.code), (2, a.code)]
    assert broadcasts[0]["price"] == "705000.00" and broadcasts[0]["bids"] == 2


def test_each_bid_of_a_group_extends_the_end_and_a_late_one_is_refused(people, house, _frozen):
    lot = _lot(people, house)
    a, b = _paid(lot, 0), _paid(lot, 1)
    _frozen.move_to(END)
    outcomes = services.place_bids(
        lot.pk,
        [
            (a.bidder, "700000", END - timedelta(minutes=1)),  # the end moves to END + 4 min
            (b.bidder, "705000", END + timedelta(minutes=3)),  # in time only thanks to a's bid: END + 8
            (a.bidder, "710000", END + timedelta(minutes=8, seconds=1)),  # after the moved end
        ],
    )
    assert [o.ends_at for o in outcomes[:2]] == [END + timedelta(minutes=4), END + timedelta(minutes=8)]
    assert _refusal(outcomes[2]) == ("竞价已结束", "amount")
    lot.refresh_from_db()
    assert lot.ends_at == END + timedelta(minutes=8) and lot.bid_count == 2
    assert not Bid.objects.filter(lot=lot, at__gt=lot.ends_at).exists()


def test_a_lot_not_bidding_refuses_the_whole_group_and_records_nothing(people, house, _frozen):
    lot = _lot(people, house)
    a = _paid(lot, 0)
    _frozen.move_to(START + timedelta(hours=1))
    Lot.objects.filter(pk=lot.pk).update(status=Lot.Status.SUSPENDED)
    outcomes = services.place_bids(lot.pk, [(a.bidder, "700000", START + timedelta(hours=1))] * 2)
    assert [type(o) for o in outcomes] == [Conflict, Conflict]
    assert outcomes[0].field == "lot" and "中止拍卖" in outcomes[0].message
    outcomes = services.place_bids(999_999, [(a.bidder, "700000", START + timedelta(hours=1))])
    assert _refusal(outcomes[0]) == ("标的不存在", "lot")
    assert not Bid.objects.exists()


def test_a_feed_frame_lists_every_bid_of_a_group_once() -> None:
    feed = LotFeed(7)
    bids = [
        {"code": "A1", "amount": "1.00", "at": "t", "seq": 1},
        {"code": "B2", "amount": "2.00", "at": "t", "seq": 2},
    ]
    feed.offer({"lot": 7, "bids": 2, "last": bids[1], "recent": bids})
    feed.offer({"lot": 7, "bids": 1, "last": bids[0]})  # an older update arriving late
    import json

    frame = json.loads(feed.frame(3) or "{}")
    assert [x["seq"] for x in frame["recent"]] == [1, 2] and frame["bids"] == 2 and frame["watchers"] == 3
