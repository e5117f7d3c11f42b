"""A third-party objection against the auction side (CPL-2023 Art 238, R-0.12): no lot is made or
published for the claimed asset, no sale is confirmed or its ruling served, the sale's price in the case
account is held back from payouts — through the services, the clerk's page and the API (an approved
payout's sending included) — and a claim on an asset already sold (title passed) is refused, naming the
field."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.auctions.conftest import bidder, lot_input
from zhixing.auctions import services as auctions
from zhixing.auctions.models import Lot
from zhixing.auctions.services import sandbox_bank
from zhixing.core.errors import Conflict, ServiceError
from zhixing.funds import payable
from zhixing.funds.disposal import refuse_blocked
from zhixing.funds.models import Payout
from zhixing.inquiry.models import Asset
from zhixing.objections import services
from zhixing.objections.models import Objection

from .conftest import END, objector

pytestmark = pytest.mark.django_db


def _file(house: Asset) -> Objection:
    return services.file_third_party(None, house.case, house.pk, objector())


def _paid_lot(people: dict[str, Any], house: Asset, clock: Any) -> Lot:
    """Published, one bidder at the start price (700,000), closed, the balance paid: the price is in
    the case account."""
    lot = auctions.publish_lot(
        people["judge"], auctions.create_lot(people["judge"], house.pk, lot_input()).pk
    )
    reg = auctions.join_lot(bidder(0), lot.pk)
    sandbox_bank.transfer_deposit(reg.pk, bank_txn="OBJ-DEP", amount=reg.deposit_due)
    clock.move_to(END - timedelta(hours=1))
    auctions.place_bid(reg.bidder, lot.pk, "700000")
    clock.move_to(END + timedelta(minutes=1))
    auctions.close_due()
    sandbox_bank.bank_notice(lot.court_id, "OBJ-BAL", "630000", date(2026, 4, 10), "买受人", "尾款")
    return auctions.pay_balance(
        people["finance"], lot.pk, bank_txn="OBJ-BAL", amount="630000", value_date=date(2026, 4, 10)
    )


def test_no_lot_is_made_or_published_for_a_claimed_asset_until_it_is_free(
    people: dict[str, Any], house: Asset
) -> None:
    draft = auctions.create_lot(people["judge"], house.pk, lot_input())
    o = _file(house)
    reason = f"该财产暂不得处分：案外人异议{o.number}正在审查，不得处分该财产"
    with pytest.raises(Conflict) as exc:
        auctions.publish_lot(people["judge"], draft.pk)
    assert (exc.value.field, exc.value.message) == ("asset", reason)
    Lot.objects.filter(pk=draft.pk).update(status=Lot.Status.CANCELLED)
    with pytest.raises(Conflict) as exc:
        auctions.create_lot(people["judge"], house.pk, lot_input())
    assert (exc.value.field, exc.value.message) == ("asset", reason)
    assert list(Lot.objects.values_list("pk", "status")) == [(draft.pk, Lot.Status.CANCELLED)]
    services.withdraw(people["judge"], o, "异议人申请撤回")
    lot = auctions.create_lot(people["judge"], house.pk, lot_input())
    assert auctions.publish_lot(people["judge"], lot.pk).status == Lot.Status.ANNOUNCED


def test_the_clerk_page_refuses_to_publish_naming_the_objection(people: dict[str, Any], house: Asset) -> None:
    lot = auctions.create_lot(people["judge"], house.pk, lot_input())
    o = _file(house)
    c = Client()
    c.force_login(people["judge"])
    r = c.post(reverse("auctions_lot_action", args=[lot.pk, "publish"]), follow=True)
    assert r.status_code == 200
    text = r.content.decode()
    assert f"该财产暂不得处分：案外人异议{o.number}正在审查，不得处分该财产" in text
    assert 'data-testid="publish"' in text  # still a draft: the publish button stays
    lot.refresh_from_db()
    assert lot.status == Lot.Status.DRAFT
    # The form that makes a lot names the asset's block the same way, and makes nothing.
    Lot.objects.filter(pk=lot.pk).update(status=Lot.Status.CANCELLED)
    data = {
        "title": "广州市天河区某路1号房产",
        "start_price": "700000",
        "increment": "5000",
        "deposit": "70000",
        "notified_on": "2026-03-07",
        "announced_on": "2026-03-10",
        "starts_at": "2026-04-09T10:00",
        "ends_at": "2026-04-10T10:00",
        "panel": "审判长 王法官\n审判员 李法官\n审判员 赵法官",
    }
    r = c.post(reverse("auctions_new_lot", args=[house.pk]), data)
    assert r.status_code == 422
    assert f"案外人异议{o.number}正在审查" in r.content.decode()
    assert Lot.objects.count() == 1


def test_a_sold_lot_is_neither_confirmed_nor_paid_out_while_claimed(
    people: dict[str, Any], house: Asset, clock: Any
) -> None:
    lot = _paid_lot(people, house, clock)
    assert all(r.code != "disposal" for r in payable.payable_breakdown(house.case).reserved)
    o = _file(house)  # filed after the balance: the title has not passed, the seizure stands
    with pytest.raises(Conflict, match=f"案外人异议{o.number}正在审查"):
        auctions.confirm_sale(people["judge"], lot.pk)
    b = payable.payable_breakdown(house.case)
    held = [r for r in b.reserved if r.code == "disposal"]
    assert [(r.amount, r.ref) for r in held] == [(Decimal("700000.00"), f"asset:{house.pk}")]
    assert held[0].reason == (
        f"财产#{house.pk}的处分所得款暂不得发放（案外人异议{o.number}正在审查，不得处分该财产）"
    )
    with pytest.raises(Conflict) as exc:
        refuse_blocked(house.case, Decimal("0.01"))
    assert exc.value.field == "payout"
    services.withdraw(people["judge"], o, "异议人申请撤回")
    assert all(r.code != "disposal" for r in payable.payable_breakdown(house.case).reserved)
    refuse_blocked(house.case, Decimal("700000.00"))
    assert auctions.confirm_sale(people["judge"], lot.pk).status == Lot.Status.CONFIRMED


def test_the_ruling_is_not_served_while_claimed_and_a_sold_asset_cannot_be_claimed(
    people: dict[str, Any], house: Asset, clock: Any
) -> None:
    lot = auctions.confirm_sale(people["judge"], _paid_lot(people, house, clock).pk)
    o = _file(house)  # after the ruling, before its service
    with pytest.raises(Conflict, match=f"案外人异议{o.number}正在审查"):
        auctions.serve_ruling(people["judge"], lot.pk, date(2026, 4, 12))
    lot.refresh_from_db()
    assert lot.ruling_served_on is None
    services.withdraw(people["judge"], o, "异议人申请撤回")
    auctions.serve_ruling(people["judge"], lot.pk, date(2026, 4, 12))
    house.refresh_from_db()
    assert (
        house.title_passed_on == date(2026, 4, 12) and house.state == Asset.State.SEIZED
    )  # release on its way
    with pytest.raises(ServiceError) as exc:
        services.file_third_party(None, house.case, house.pk, objector())
    assert exc.value.field == "asset" and "2026-04-12处分完毕" in exc.value.message
    assert Objection.objects.count() == 1


def test_the_payout_api_keeps_a_claimed_sale_price_and_refuses_an_approved_payout(
    people: dict[str, Any], house: Asset, clock: Any
) -> None:
    """The API (the money page and `propose` share its number) and the sending of a payout approved
    before the objection: the sale price stays in the account."""
    lot = _paid_lot(people, house, clock)
    applicant = house.case.parties.get(role="applicant")
    body = {"party_id": applicant.pk, "account_name": applicant.name, "account_no": "6222020000001"}
    judge = Client()
    judge.force_login(people["judge"])
    url = f"/api/v1/funds/cases/{house.case_id}/payouts"
    r = judge.post(url, {**body, "amount": "50000.00"}, content_type="application/json")
    assert r.status_code == 201, r.content
    payout_id = r.json()["id"]
    for who in ("judge2", "director", "president"):
        c = Client()
        c.force_login(people[who])
        d = c.post(
            f"/api/v1/funds/payouts/{payout_id}/decide", {"approve": True}, content_type="application/json"
        )
        if d.json().get("status") == "approved":
            break
    assert d.status_code == 200 and d.json()["status"] == "approved", d.content
    o = _file(house)
    finance = Client()
    finance.force_login(people["finance"])
    sent = finance.post(f"/api/v1/funds/payouts/{payout_id}/send")
    assert sent.status_code == 409 and sent.json()["field"] == "payout", sent.content
    assert f"案外人异议{o.number}正在审查" in sent.json()["detail"]
    again = judge.post(url, {**body, "amount": "1.00"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["field"] == "amount", again.content
    assert f"财产#{house.pk}的处分所得款暂不得发放700,000.00元" in again.json()["detail"]
    assert list(Payout.objects.values_list("status", flat=True)) == ["approved"]
    assert Lot.objects.get(pk=lot.pk).status == Lot.Status.PAID
