"""Auction money from the bank only (C3) and bid amounts the columns hold (C4): the outside probe's
findings as tests. Deposits and balances are recognised only from the custody bank's notice, recorded by
the lot's court's finance officer (never a judge or director); bids are parsed by core.money and bounded;
the closing sweep goes on past a lot it cannot close; unknown lots 404 and unknown tokens 401."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta
from decimal import Decimal as D
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from tests.auctions.conftest import BIDDER_IDS, TZ, lot_input
from zhixing.auctions import services
from zhixing.auctions.models import Bid, Lot, Registration
from zhixing.auctions.services import sandbox_bank
from zhixing.courts.roles import Role
from zhixing.funds.models import AccountKind, LedgerAccount, Receipt, Transaction
from zhixing.funds.services import auction_deposits

pytestmark = pytest.mark.django_db
START = datetime(2026, 4, 9, 10, tzinfo=TZ)
END = datetime(2026, 4, 10, 10, tzinfo=TZ)
API = "/api/v1/auctions"


def _court_money(court_id: int) -> dict[str, D]:
    """The court's bank, deposits and unidentified ledger balances, and the ledger's row count."""
    out = {"rows": D(Transaction.objects.filter(court_id=court_id).count())}
    for kind in (AccountKind.BANK, AccountKind.DEPOSITS, AccountKind.UNIDENTIFIED):
        acc = LedgerAccount.objects.filter(court_id=court_id, kind=kind).first()
        out[kind] = acc.balance if acc else D("0")
    return out


def _case_balance(case_id: int) -> D:
    acc = LedgerAccount.objects.filter(kind=AccountKind.CASE, case_id=case_id).first()
    return -acc.balance if acc else D("0")


@pytest.fixture
def lot(people: dict[str, Any], house: dict[str, Any]) -> Lot:
    made = services.create_lot(people["judge"], house["asset"].pk, lot_input())
    return services.publish_lot(people["judge"], made.pk)


@pytest.fixture
def reg(lot: Lot) -> Registration:
    bidder, _ = services.register_bidder("竞买人甲", BIDDER_IDS[0])
    return services.join_lot(bidder, lot.pk)


def _api(people: dict[str, Any], who: str) -> Client:
    c = Client()
    c.force_login(people[who])
    return c


# -- C3: a deposit is recorded only from a bank notice, only by the court's finance ---------------------

DEPOSIT_MATRIX = {
    "finance": 200,
    "judge": 403,
    "director": 403,
    "assistant": 403,
    "clerk": 403,
    "president": 403,
    "operator": 403,
    "gz_director": 403,  # the higher court reads the lot but books nothing
    "yx_judge": 404,  # another court does not see the registration
}


@pytest.mark.parametrize(("who", "expected"), sorted(DEPOSIT_MATRIX.items()))
def test_deposit_endpoint_permission_matrix(people, lot, reg, who, expected):
    sandbox_bank.bank_notice(lot.court_id, "DEP-N1", "70000", date(2026, 3, 10), "竞买人甲", "保证金")
    before = _court_money(lot.court_id)
    r = _api(people, who).post(
        f"{API}/registrations/{reg.pk}/deposit", json.dumps({"bank_txn": "DEP-N1"}), "application/json"
    )
    assert r.status_code == expected, r.content
    reg.refresh_from_db()
    after = _court_money(lot.court_id)
    if expected == 200:
        assert r.json()["deposit_state"] == "paid" and reg.deposit_paid == D("70000.00")
        # The bank's 70,000 moves from 不明款 to the deposits account: the bank total is unchanged.
        assert after[AccountKind.BANK] == before[AccountKind.BANK]
        assert after[AccountKind.UNIDENTIFIED] - before[AccountKind.UNIDENTIFIED] == D("70000.00")
        assert before[AccountKind.DEPOSITS] - after[AccountKind.DEPOSITS] == D("70000.00")
        assert Receipt.objects.get(bank_txn_id="DEP-N1").status == Receipt.Status.CLAIMED
    else:
        assert reg.deposit_state == Registration.Deposit.DUE and after == before


def test_a_deposit_from_a_typed_reference_is_refused_and_books_nothing(people, lot, reg):
    """The probe's `{"bank_txn":"JUDGE-SAYS-PAID","amount":"5040.00"}`: no such notice, nothing moves."""
    before = _court_money(lot.court_id)
    c = _api(people, "finance")
    r = c.post(
        f"{API}/registrations/{reg.pk}/deposit",
        json.dumps({"bank_txn": "JUDGE-SAYS-PAID", "amount": "70000.00"}),
        "application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "bank_txn"
    assert "本院专户未收到该流水号的银行来款通知" in r.json()["detail"]
    assert _court_money(lot.court_id) == before
    reg.refresh_from_db()
    assert reg.deposit_state == Registration.Deposit.DUE


def test_a_notice_is_used_once_of_its_own_court_and_amount(people, courts, lot, reg):
    c = _api(people, "finance")
    url = f"{API}/registrations/{reg.pk}/deposit"
    # Another court's notice (越秀) is not this court's money.
    sandbox_bank.bank_notice(courts["yx"].pk, "YX-N1", "70000", date(2026, 3, 10), "某人", "")
    r = c.post(url, json.dumps({"bank_txn": "YX-N1"}), "application/json")
    assert r.status_code == 422 and r.json()["field"] == "bank_txn"
    # A notice of another amount.
    sandbox_bank.bank_notice(lot.court_id, "TH-SMALL", "7000", date(2026, 3, 10), "某人", "")
    r = c.post(url, json.dumps({"bank_txn": "TH-SMALL"}), "application/json")
    assert r.status_code == 422 and r.json()["field"] == "amount"
    # The right notice pays; naming it again for another bidder is refused (used once).
    sandbox_bank.bank_notice(lot.court_id, "TH-OK", "70000", date(2026, 3, 10), "竞买人甲", "")
    assert c.post(url, json.dumps({"bank_txn": "TH-OK"}), "application/json").status_code == 200
    other, _ = services.register_bidder("竞买人乙", BIDDER_IDS[1])
    reg2 = services.join_lot(other, lot.pk)
    held = auction_deposits.deposits_held(lot.court_id)
    r = c.post(
        f"{API}/registrations/{reg2.pk}/deposit", json.dumps({"bank_txn": "TH-OK"}), "application/json"
    )
    assert r.status_code == 409 and r.json()["field"] == "bank_txn"
    assert auction_deposits.deposits_held(lot.court_id) == held == D("70000.00")
    # A receipt already booked to a case (the case's own money) cannot be re-used as a deposit.
    sandbox_bank.bank_notice(lot.court_id, "TH-OK2", "70000", date(2026, 3, 10), "竞买人乙", "")
    Receipt.objects.filter(bank_txn_id="TH-OK2").update(status=Receipt.Status.BOOKED)
    r = c.post(
        f"{API}/registrations/{reg2.pk}/deposit", json.dumps({"bank_txn": "TH-OK2"}), "application/json"
    )
    assert r.status_code == 409


def test_the_portal_sandbox_deposit_goes_through_the_banks_notice(settings, lot, reg):
    settings.ZHIXING_AUCTIONS = {"sandbox_payments": True}
    c = Client()
    session = c.session
    session["auction_bidder"] = reg.bidder_id
    session.save()
    before = _court_money(lot.court_id)
    assert c.post(reverse("auctions_pay_deposit", args=[lot.pk])).status_code == 302
    reg.refresh_from_db()
    assert reg.deposit_state == Registration.Deposit.PAID
    rec = Receipt.objects.get(bank_txn_id__startswith="SANDBOX-DEP-")
    assert (rec.source, rec.status, rec.amount) == ("notice", Receipt.Status.CLAIMED, D("70000.00"))
    after = _court_money(lot.court_id)
    assert after[AccountKind.BANK] - before[AccountKind.BANK] == D("70000.00")  # the bank got it
    assert before[AccountKind.DEPOSITS] - after[AccountKind.DEPOSITS] == D("70000.00")
    settings.ZHIXING_AUCTIONS = {"sandbox_payments": False}
    other, _ = services.register_bidder("竞买人乙", BIDDER_IDS[1])
    services.join_lot(other, lot.pk)
    session["auction_bidder"] = other.pk
    session.save()
    assert c.post(reverse("auctions_pay_deposit", args=[lot.pk])).status_code == 404


# -- C3: the balance, on the clerk's lot page --------------------------------------------------------


@pytest.fixture
def sold(people: dict[str, Any], lot: Lot, reg: Registration, _frozen: Any) -> Lot:
    sandbox_bank.transfer_deposit(reg.pk, bank_txn="SOLD-DEP", amount=reg.deposit_due)
    _frozen.move_to(END - timedelta(hours=1))
    services.place_bid(reg.bidder, lot.pk, "700000")
    _frozen.move_to(END + timedelta(minutes=1))
    services.close_due()
    lot.refresh_from_db()
    assert lot.status == Lot.Status.SOLD
    return lot


BALANCE_MATRIX = {
    "finance": 302,
    "judge": 403,
    "director": 403,
    "assistant": 403,
    "clerk": 403,
    "gz_director": 403,
    "yx_judge": 404,
}


@pytest.mark.parametrize(("who", "expected"), sorted(BALANCE_MATRIX.items()))
def test_balance_action_permission_matrix(people, sold, who, expected):
    sandbox_bank.bank_notice(sold.court_id, "BAL-N1", "630000", date(2026, 4, 10), "竞买人甲", "尾款")
    case_before, money_before = _case_balance(sold.case_id), _court_money(sold.court_id)
    c = Client()
    c.force_login(people[who])
    r = c.post(reverse("auctions_lot_action", args=[sold.pk, "balance"]), {"bank_txn": "BAL-N1"})
    assert r.status_code == expected
    sold.refresh_from_db()
    if expected == 302:
        assert sold.status == Lot.Status.PAID and sold.balance_txn == "BAL-N1"
        assert _case_balance(sold.case_id) - case_before == D("700000.00")  # balance + deposit
        after = _court_money(sold.court_id)
        assert after[AccountKind.BANK] == money_before[AccountKind.BANK]  # nothing new in the bank
    else:
        assert sold.status == Lot.Status.SOLD and _case_balance(sold.case_id) == case_before
        assert _court_money(sold.court_id) == money_before


def test_a_balance_from_a_typed_reference_is_refused(people, sold):
    """The probe's judge booking `JUDGE-BAL`: now finance only, and only an arrived notice counts."""
    c = Client()
    c.force_login(people["finance"])
    before = _court_money(sold.court_id)
    r = c.post(
        reverse("auctions_lot_action", args=[sold.pk, "balance"]), {"bank_txn": "JUDGE-BAL"}, follow=True
    )
    assert "本院专户未收到该流水号的银行来款通知" in r.content.decode()
    sold.refresh_from_db()
    assert sold.status == Lot.Status.SOLD and _court_money(sold.court_id) == before


def test_a_balance_paid_into_the_cases_sub_account_is_recognised_once(people, sold):
    from zhixing.funds.services.accounts import case_account
    from zhixing.funds.services.receipts import book_receipt

    number = case_account(sold.case).number
    book_receipt(
        idempotency_key="SUB-BAL",
        amount="630000",
        value_date=date(2026, 4, 10),
        to_account=number,
        source="notice",
    )
    before = _case_balance(sold.case_id)
    services.pay_balance(people["finance"], sold.pk, bank_txn="SUB-BAL")
    sold.refresh_from_db()
    assert sold.status == Lot.Status.PAID
    assert _case_balance(sold.case_id) - before == D("70000.00")  # only the deposit moves now
    assert Receipt.objects.filter(bank_txn_id="SUB-BAL").count() == 1


# -- C4: bid amounts ----------------------------------------------------------------------------------


@pytest.fixture
def bidding(lot: Lot, reg: Registration, _frozen: Any) -> dict[str, Any]:
    sandbox_bank.transfer_deposit(reg.pk, bank_txn="BID-DEP", amount=reg.deposit_due)
    _frozen.move_to(START + timedelta(minutes=5))
    return {"lot": lot, "reg": reg}


BAD_AMOUNTS = ["1e20", "1E6", "7e5", "NaN", "Infinity", "-700000", "700000.001", "10000000000000", "0x10", ""]


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_a_bid_amount_the_money_parser_refuses_is_422_naming_amount(bidding, amount):
    lot, reg = bidding["lot"], bidding["reg"]
    c = Client()
    session = c.session
    session["auction_bidder"] = reg.bidder_id
    session.save()
    token_client = Client()
    b, token = services.register_bidder("竞买人丙", BIDDER_IDS[2])
    services.join_lot(b, lot.pk)
    Registration.objects.filter(bidder=b).update(deposit_state=Registration.Deposit.EXEMPT)
    r = token_client.post(
        f"{API}/lots/{lot.pk}/bids",
        json.dumps({"amount": amount}),
        "application/json",
        HTTP_X_BIDDER_TOKEN=token,
    )
    assert r.status_code == 422 and r.json()["field"] == "amount"
    # The portal form refuses it too (a message, no bid).
    c.post(reverse("auctions_bid", args=[lot.pk]), {"amount": amount})
    assert Bid.objects.filter(lot=lot).count() == 0
    lot.refresh_from_db()
    assert lot.current_price is None
    # The lot still reads and lists (the probe's 500s).
    assert Client().get(f"{API}/lots/{lot.pk}").status_code == 200
    assert Client().get(f"{API}/lots").status_code == 200


def test_the_bid_amount_parser_accepts_plain_and_full_width_amounts(bidding):
    lot, reg = bidding["lot"], bidding["reg"]
    assert services.place_bid(reg.bidder, lot.pk, "７００，０００").amount == D("700000.00")
    assert services.place_bid(reg.bidder, lot.pk, "705,000.00").amount == D("705000.00")


def test_unknown_lot_is_404_and_unknown_token_is_401(bidding):
    lot = bidding["lot"]
    _, token = services.register_bidder("竞买人丙", BIDDER_IDS[2])
    r = Client().post(
        f"{API}/lots/999999/bids",
        json.dumps({"amount": "700000"}),
        "application/json",
        HTTP_X_BIDDER_TOKEN=token,
    )
    assert r.status_code == 404 and r.json()["detail"] == "标的不存在"
    r = Client().post(
        f"{API}/lots/{lot.pk}/bids",
        json.dumps({"amount": "700000"}),
        "application/json",
        HTTP_X_BIDDER_TOKEN="x" * 32,
    )
    assert r.status_code == 401
    assert r.json()["detail"] == "竞买凭证无效，请核对注册时获得的竞买凭证"


def test_the_closing_sweep_goes_on_past_a_lot_it_cannot_close(people, house, _frozen, caplog):
    from tests.auctions.conftest import priced_house

    first = services.publish_lot(
        people["judge"], services.create_lot(people["judge"], house["asset"].pk, lot_input()).pk
    )
    other = priced_house(people)
    second = services.publish_lot(
        people["judge"],
        services.create_lot(people["judge"], other.pk, lot_input(ends_at=END + timedelta(hours=1))).pk,
    )
    _frozen.move_to(END + timedelta(hours=2))
    real = services.close_lot

    def broken(lot_id: int, now: Any = None) -> Lot:
        if lot_id == first.pk:
            raise ArithmeticError("decimal.InvalidOperation reading the lot")
        return real(lot_id, now)

    with mock.patch("zhixing.auctions.services.settlement.close_lot", broken), caplog.at_level(logging.ERROR):
        assert services.close_due() == 1
    assert Lot.objects.get(pk=first.pk).status == Lot.Status.ANNOUNCED  # retried by the next sweep
    assert Lot.objects.get(pk=second.pk).status == Lot.Status.FAILED
    assert f"auction lot {first.pk} could not be closed" in caplog.text
    assert services.close_due() == 1  # the next sweep closes the first one
    assert Lot.objects.get(pk=first.pk).status == Lot.Status.FAILED


def test_roles_that_may_record_auction_money_are_finance_only():
    from zhixing.auctions.services.bank_money import require_finance
    from zhixing.core.errors import NotPermitted

    for role in Role:  # the matrix tests above cover the endpoints; this pins the rule itself
        user = mock.Mock(role=role.value, is_authenticated=True)
        if role != Role.FINANCE:
            with pytest.raises(NotPermitted):
                require_finance(user, mock.Mock())
