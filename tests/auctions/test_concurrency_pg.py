"""PostgreSQL: concurrent bids on one hot lot queue on the lot's row lock — none lost, no two at one
price, none after the end."""

from __future__ import annotations

import itertools
import threading
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from tests.auctions.conftest import TZ, bidder, lot_input
from zhixing.auctions import services
from zhixing.auctions.models import Bid, Lot
from zhixing.auctions.services import sandbox_bank
from zhixing.core.errors import Conflict

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.postgres]
START = datetime(2026, 4, 9, 10, tzinfo=TZ)
END = datetime(2026, 4, 10, 10, tzinfo=TZ)


@pytest.fixture(autouse=True)
def only_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL (SQLite serialises writers itself)")


def test_concurrent_bids_are_serialised_by_the_lot_lock(
    people: dict[str, Any], house: dict[str, Any]
) -> None:
    lot = services.publish_lot(
        people["judge"], services.create_lot(people["judge"], house["asset"].pk, lot_input()).pk
    )
    bidders = []
    for i in range(6):
        b = bidder(i)
        reg = services.join_lot(b, lot.pk)
        sandbox_bank.transfer_deposit(reg.pk, bank_txn=f"PG-{i}", amount=reg.deposit_due)
        bidders.append(b)
    barrier = threading.Barrier(len(bidders))
    accepted: list[Decimal] = []
    lock = threading.Lock()
    clock = itertools.count()

    def run(b: Any) -> None:
        try:
            barrier.wait()
            for step in range(15):
                # Everyone bids the same ladder of prices: each rung can be taken once only.
                amount = Decimal("700000") + Decimal("5000") * step
                at = START + timedelta(seconds=next(clock))
                try:
                    services.place_bid(b, lot.pk, amount, arrived_at=at)
                except Conflict:
                    continue
                with lock:
                    accepted.append(amount)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(b,)) for b in bidders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = list(Bid.objects.filter(lot=lot).order_by("seq").values_list("seq", "amount"))
    assert [s for s, _ in rows] == list(range(1, len(rows) + 1))
    amounts = [a for _, a in rows]
    assert len(set(amounts)) == len(amounts) and amounts == sorted(amounts)
    assert sorted(accepted) == amounts
    lot = Lot.objects.get(pk=lot.pk)
    assert lot.bid_count == len(rows) and lot.current_price == amounts[-1]
    with pytest.raises(Conflict, match="竞价已结束"):
        services.place_bid(bidders[0], lot.pk, amounts[-1] + 5000, arrived_at=END + timedelta(seconds=1))
    assert Bid.objects.filter(lot=lot).count() == len(rows)


def test_concurrent_groups_never_duplicate_a_price_nor_lose_a_bid(
    people: dict[str, Any], house: dict[str, Any]
) -> None:
    """Group commit (`place_bids`), as several web workers do it at once: each thread's groups hold the
    same ladder of prices; every rung is accepted once, every accepted answer is a row, every row audited."""
    from zhixing.core.models import AuditRecord

    lot = services.publish_lot(
        people["judge"], services.create_lot(people["judge"], house["asset"].pk, lot_input()).pk
    )
    bidders = []
    for i in range(4):
        b = bidder(i)
        reg = services.join_lot(b, lot.pk)
        sandbox_bank.transfer_deposit(reg.pk, bank_txn=f"PGG-{i}", amount=reg.deposit_due)
        bidders.append(b)
    last_audit = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    barrier = threading.Barrier(len(bidders))
    accepted: list[tuple[int, Decimal]] = []
    lock = threading.Lock()
    clock = itertools.count()

    def run(b: Any) -> None:
        try:
            barrier.wait()
            for step in range(0, 24, 3):
                offers = []
                for rung in range(step, step + 3):
                    at = START + timedelta(seconds=next(clock))
                    offers.append((b, Decimal("700000") + Decimal("5000") * rung, at))
                for outcome in services.place_bids(lot.pk, offers):
                    if not isinstance(outcome, Conflict):
                        with lock:
                            accepted.append((outcome.seq, outcome.amount))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(b,)) for b in bidders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = list(Bid.objects.filter(lot=lot).order_by("seq").values_list("seq", "amount"))
    assert sorted(accepted) == rows  # none lost: every accepted answer is a row, and no other row
    assert [s for s, _ in rows] == list(range(1, len(rows) + 1))
    amounts = [a for _, a in rows]
    assert len(set(amounts)) == len(amounts) and amounts == sorted(amounts) and len(rows) >= 8
    audited = AuditRecord.objects.filter(pk__gt=last_audit, action="auctions.bid").order_by("pk")
    assert sorted(r.after["seq"] for r in audited) == [s for s, _ in rows]
