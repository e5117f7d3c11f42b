"""PostgreSQL: a bid group judged in two pipelined round trips (`services.bid_pipeline`) gives exactly
what the ORM's path gives — the same outcomes, bids, lot state and audit records — for groups with
pre-emption matches, ties, late bids that extend the end, bids after the end, unpaid and unregistered
bidders, malformed amounts and unknown tokens."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from tests.auctions.conftest import BIDDER_IDS, TZ, bidder, lot_input, priced_house
from zhixing.auctions import services
from zhixing.auctions.models import Bid, Lot
from zhixing.auctions.services import bid_pipeline, bidding, sandbox_bank
from zhixing.core import audit
from zhixing.core.errors import ServiceError
from zhixing.core.models import AuditRecord

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.postgres]
START = datetime(2026, 4, 9, 10, tzinfo=TZ)
END = datetime(2026, 4, 10, 10, tzinfo=TZ)


@pytest.fixture(autouse=True)
def only_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the pipelined path is PostgreSQL's")


def _lot(people: dict[str, Any]) -> Lot:
    asset = priced_house(people)
    holders = [
        {"name": "优先一", "id_number": BIDDER_IDS[3], "rank": 1},
        {"name": "优先二", "id_number": BIDDER_IDS[4], "rank": 2},
    ]
    lot = services.create_lot(people["judge"], asset.pk, lot_input(preemption=holders))
    return services.publish_lot(people["judge"], lot.pk)


def _seated(lot: Lot, bidders: list[Any]) -> None:
    for i, b in enumerate(bidders):
        if i == 5:
            continue  # registered nowhere
        reg = services.join_lot(b, lot.pk)
        if i != 2:  # bidder 2 never pays its deposit
            sandbox_bank.transfer_deposit(reg.pk, bank_txn=f"P{lot.pk}-{i}", amount=reg.deposit_due)


def _groups() -> list[list[tuple[int, str, datetime]]]:
    t = START + timedelta(hours=1)
    late = END - timedelta(minutes=2)
    return [
        [(0, "700000", t + timedelta(seconds=2)), (1, "700000", t + timedelta(seconds=1)), (2, "800000", t)],
        [(3, "700000", t + timedelta(seconds=3)), (4, "700000", t + timedelta(seconds=4)), (0, "abc", t)],
        [(5, "900000", t + timedelta(seconds=5)), (1, "705000", t + timedelta(seconds=6))],
        [(4, "705000", t + timedelta(seconds=7)), (3, "705000", t + timedelta(seconds=8))],
        [(0, "710000", late), (1, "715000", late + timedelta(seconds=1)), (0, "710000.001", late)],
        [(1, "720000", END + timedelta(minutes=2)), (0, "720000", END + timedelta(minutes=4))],
        [(1, "730000", END + timedelta(minutes=9))],  # after the extended end
    ]


def _seen(outcome: Any, who: dict[str, int] | None = None) -> Any:
    """An outcome compared across lots: a bid by its bidder's index (codes differ per lot)."""
    if isinstance(outcome, ServiceError):
        return ("refused", outcome.message, outcome.field)
    if outcome is None:
        return None
    assert Bid.objects.get(pk=outcome.pk).seq == outcome.seq
    code = outcome.registration.code
    return (outcome.seq, who[code] if who else code, outcome.amount, outcome.at, outcome.ends_at)


def _run(lot: Lot, bidders: list[Any]) -> tuple[list[Any], list[Any], tuple[Any, ...], list[Any]]:
    audit0 = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
    who = {services.join_lot(b, lot.pk).code: i for i, b in enumerate(bidders[:5])}
    seen = []
    for group in _groups():
        offers = [(bidders[i], amount, at) for i, amount, at in group]
        seen.append([_seen(o, who) for o in services.place_bids(lot.pk, offers)])
    bids = [
        (seq, who[code], amount, at, ends_at)
        for seq, code, amount, at, ends_at in Bid.objects.filter(lot=lot)
        .order_by("seq")
        .values_list("seq", "registration__code", "amount", "at", "ends_at")
    ]
    lot.refresh_from_db()
    state = (lot.current_price, lot.bid_count, lot.ends_at, who[lot.leader.code] if lot.leader else None)
    after = [
        ({**a, "code": who[a["code"]]}, chain, case)
        for a, chain, case in AuditRecord.objects.filter(
            pk__gt=audit0, action="auctions.bid", object_id=str(lot.pk)
        )
        .order_by("pk")
        .values_list("after", "chain", "case_id")
    ]
    return seen, bids, state, after


def test_the_pipelined_group_judges_and_writes_as_the_orm_path(people, monkeypatch) -> None:
    bidders = [bidder(i) for i in range(6)]
    piped, plain = _lot(people), _lot(people)
    _seated(piped, bidders)
    _seated(plain, bidders)
    sent: list[tuple[int, dict[str, Any]]] = []
    monkeypatch.setattr(bidding, "broadcast", lambda lot_id, payload: sent.append((lot_id, payload)))
    taken = []
    judge = bid_pipeline.judge
    monkeypatch.setattr(bid_pipeline, "judge", lambda *a, **kw: taken.append(judge(*a, **kw)) or taken[-1])
    a_seen, a_bids, a_state, a_audit = _run(piped, bidders)
    assert len(taken) == len(_groups()) and all(t is not None for t in taken)
    monkeypatch.setattr(bid_pipeline, "usable", lambda: False)
    b_seen, b_bids, b_state, b_audit = _run(plain, bidders)
    assert len(taken) == len(_groups())  # the ORM's path judged the second lot
    assert a_seen == b_seen
    assert a_bids == b_bids
    assert a_state == b_state
    assert [a for a, _, _ in a_audit] == [a for a, _, _ in b_audit]
    assert {(chain, case) for _, chain, case in a_audit} == {(piped.court.code, piped.case_id)}
    # what the rules decided, spelled out (so that both paths being wrong the same way fails too)
    assert [s[0] for s in a_bids] == list(range(1, len(a_bids) + 1))
    assert a_seen[0][1][:3] == (1, 1, Decimal("700000"))
    assert a_seen[0][0] == ("refused", "出价须不低于当前价700000.00元加一个加价幅度，即705000.00元", "amount")
    assert a_seen[0][2] == ("refused", "请先交纳保证金后再出价（网拍规定第17条）", "deposit")
    assert a_seen[1][0][:3] == (2, 3, Decimal("700000"))  # rank 1 matches the price
    assert a_seen[1][1][0] == "refused"  # rank 2 does not beat rank 1 at the same price
    assert a_seen[1][2] == ("refused", "出价须为金额（元）", "amount")
    assert a_seen[2][0] == ("refused", "您尚未报名参加该标的的竞买", "lot")
    assert a_seen[4][0][4] == a_seen[4][0][3] + timedelta(minutes=5)  # a late bid extends the end
    assert a_seen[4][2] == ("refused", "出价须为金额（元）", "amount")  # the money parser: fen-exact
    assert a_seen[5][0][3] > END  # within the extended end
    assert a_seen[6][0] == ("refused", "竞价已结束", "amount")
    assert a_state == (Decimal("720000.00"), len(a_bids), a_bids[-1][4], 1)
    assert audit.verify_chain().ok
    piped_sent = [payload for lot_id, payload in sent if lot_id == piped.pk]
    assert [line["seq"] for p in piped_sent for line in p["recent"]] == [s[0] for s in a_bids]


def test_tokens_are_looked_up_in_the_group(people, monkeypatch) -> None:
    lot = _lot(people)
    monkeypatch.setattr(bidding, "broadcast", lambda lot_id, payload: None)
    paid, _ = services.register_bidder("竞买人甲", BIDDER_IDS[0])
    _, stranger_token = services.register_bidder("竞买人乙", BIDDER_IDS[1])
    reg = services.join_lot(paid, lot.pk)
    sandbox_bank.transfer_deposit(reg.pk, bank_txn="TK-1", amount=reg.deposit_due)
    token = "tok-" + "a" * 20
    type(paid).objects.filter(pk=paid.pk).update(token_hash=services.bidders.token_digest(token))
    t = START + timedelta(hours=1)
    outcomes = services.place_token_bids(
        lot.pk,
        [
            ("nobody", "700000", t),
            ("nobody", "abc", t),
            (token, "abc", t),
            (stranger_token, "700000", t),
            (token, "700000", t + timedelta(seconds=1)),
        ],
    )
    assert outcomes[:2] == [None, None]
    assert [_seen(o) for o in outcomes[2:4]] == [
        ("refused", "出价须为金额（元）", "amount"),
        ("refused", "您尚未报名参加该标的的竞买", "lot"),
    ]
    assert _seen(outcomes[4]) == (1, reg.code, Decimal("700000"), t + timedelta(seconds=1), END)


def test_a_chain_without_its_head_row_takes_the_orm_path(people, monkeypatch) -> None:
    lot = _lot(people)
    monkeypatch.setattr(bidding, "broadcast", lambda lot_id, payload: None)
    b = bidder(0)
    reg = services.join_lot(b, lot.pk)
    sandbox_bank.transfer_deposit(reg.pk, bank_txn="H-1", amount=reg.deposit_due)
    sql = bid_pipeline._sql()
    monkeypatch.setitem(sql, "head", sql["head"].replace("WHERE chain =", "WHERE false AND chain ="))
    (outcome,) = services.place_bids(lot.pk, [(b, "700000", START + timedelta(hours=1))])
    assert _seen(outcome)[:3] == (1, reg.code, Decimal("700000"))
    assert Bid.objects.filter(lot=lot).count() == 1
    assert AuditRecord.objects.filter(action="auctions.bid", object_id=str(lot.pk)).count() == 1
    assert audit.verify_chain().ok
