"""A third-party objection filed while the claimed asset's lot is in bidding suspends that lot at once
(中止拍卖, R-0.15): a row of the consequence table applied by `measures.services.apply_event` in the
filing's transaction — the lot leaves bidding, bids are refused with a clear message, the public page
says so, the deposits stay held, and the consequence and the lot's audit record are written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.auctions.conftest import bidder, lot_input
from zhixing.auctions import services as auctions
from zhixing.auctions.models import Lot, Registration
from zhixing.auctions.services import sandbox_bank
from zhixing.auctions.services.bidding import SUSPENDED_MESSAGE
from zhixing.core.errors import Conflict
from zhixing.core.models import AuditRecord
from zhixing.inquiry.models import Asset
from zhixing.measures import rules as table_rules
from zhixing.measures.models import Consequence
from zhixing.objections import services

from .conftest import END, objector

pytestmark = pytest.mark.django_db


def test_the_table_suspends_the_claimed_assets_lot_with_its_article() -> None:
    rule = table_rules.DEFAULT_TABLE[table_rules.Event.THIRD_PARTY_OBJECTION_FILED][table_rules.Measure.LOT]
    assert (rule.action, rule.decider, rule.scope, rule.configurable) == (
        table_rules.Action.SUSPEND,
        table_rules.Decider.AUTO,
        "claimed",
        False,
    )
    assert rule.article.startswith("民诉法(2023)第238条")
    assert "网拍规定第28条" in rule.article
    assert rule.label() == "系统自动中止拍卖被异议财产"
    # The objection touches nothing else; only the objection's events act on a lot, only the filing
    # suspends one (its outcome resumes or withdraws it: test_lot_resumption.py).
    row = table_rules.DEFAULT_TABLE[table_rules.Event.THIRD_PARTY_OBJECTION_FILED]
    assert [m for m, r in row.items() if r.action != table_rules.Action.KEEP] == [table_rules.Measure.LOT]
    assert {
        e: r[table_rules.Measure.LOT].action
        for e, r in table_rules.DEFAULT_TABLE.items()
        if r[table_rules.Measure.LOT].action != table_rules.Action.KEEP
    } == {
        table_rules.Event.THIRD_PARTY_OBJECTION_FILED: table_rules.Action.SUSPEND,
        table_rules.Event.THIRD_PARTY_OBJECTION_CLEARED: table_rules.Action.RESUME_LOT,
        table_rules.Event.THIRD_PARTY_OBJECTION_UPHELD: table_rules.Action.CANCEL_LOT,
        table_rules.Event.THIRD_PARTY_OBJECTION_FINAL: table_rules.Action.CANCEL_LOT,
        # An objection to the asset's reference price (test_price_lot_suspension.py).
        table_rules.Event.PRICE_OBJECTION_FILED: table_rules.Action.SUSPEND,
        table_rules.Event.PRICE_OBJECTION_CLEARED: table_rules.Action.RESUME_LOT,
        table_rules.Event.PRICE_OBJECTION_UPHELD: table_rules.Action.CANCEL_LOT,
    }


def test_filing_suspends_the_lot_in_bidding_bids_are_refused_deposits_stay_held(
    people: dict[str, Any], house: Asset, clock: Any
) -> None:
    lot = auctions.publish_lot(
        people["judge"], auctions.create_lot(people["judge"], house.pk, lot_input()).pk
    )
    reg = auctions.join_lot(bidder(0), lot.pk)
    sandbox_bank.transfer_deposit(reg.pk, bank_txn="SUSP-DEP", amount=reg.deposit_due)
    clock.move_to(END - timedelta(hours=2))
    auctions.place_bid(reg.bidder, lot.pk, "700000")

    o = services.file_third_party(None, house.case, house.pk, objector())

    lot.refresh_from_db()
    assert (lot.status, lot.suspension_cause) == (Lot.Status.SUSPENDED, "third_party")
    assert lot.get_status_display() == "中止拍卖"
    with pytest.raises(Conflict) as exc:
        auctions.place_bid(reg.bidder, lot.pk, "705000")
    assert (exc.value.field, exc.value.message) == ("lot", SUSPENDED_MESSAGE)
    assert lot.bid_count == 1 and str(lot.current_price) == "700000.00"
    reg.refresh_from_db()
    assert reg.deposit_state == Registration.Deposit.PAID  # held, not refunded
    # Closing at the end time does not end a suspended lot (it is not in bidding).
    clock.move_to(END + timedelta(minutes=1))
    auctions.close_due()
    lot.refresh_from_db()
    assert lot.status == Lot.Status.SUSPENDED

    row = Consequence.objects.get(case=house.case, event="third_party_objection_filed")
    assert (row.measure, row.action, row.status) == ("lot", "suspend", Consequence.Status.APPLIED)
    assert row.key == f"third_party_objection_filed:{o.pk}:lot"
    assert row.targets == [
        {"asset": house.pk, "objection": o.pk, "ref": f"案外人异议{o.number}", "lots": [lot.pk]}
    ]
    assert row.summary == f"中止拍卖：{lot.title}（标的{lot.pk}）"
    audit = AuditRecord.objects.get(action="auctions.lot_suspend", object_id=str(lot.pk))
    assert audit.before == {"status": "announced"}
    assert audit.after["status"] == "suspended"
    assert audit.after["reason"].startswith("案外人异议立案：民诉法(2023)第238条")

    # The public lot page shows the suspension and no bid form.
    text = Client().get(reverse("auctions_lot", args=[lot.pk])).content.decode()
    assert 'data-testid="lot-suspended" data-cause="third_party"' in text
    assert "本标的已中止拍卖：案外人对拍卖财产提出异议（民事诉讼法第238条）" in text
    assert 'data-testid="bid-panel"' not in text


def test_filing_without_a_lot_in_bidding_suspends_nothing(people: dict[str, Any], house: Asset) -> None:
    draft = auctions.create_lot(people["judge"], house.pk, lot_input())
    services.file_third_party(None, house.case, house.pk, objector())
    draft.refresh_from_db()
    assert draft.status == Lot.Status.DRAFT
    assert not Consequence.objects.filter(event="third_party_objection_filed").exists()
