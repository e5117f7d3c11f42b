"""End to end over real HTTP: one-click inquiry → register; freeze with approval; deduct → receivable."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from zhixing.inquiry import services
from zhixing.inquiry.models import Asset, DeductionReceivable, InquiryRequest

pytestmark = pytest.mark.django_db

S = InquiryRequest.Status


def run_inquiry(people: dict[str, Any], case: Any, categories: list[str] | None = None) -> None:
    services.start_inquiry(people["judge"], case, categories or ["deposit", "real_estate", "population"])
    services.dispatch_due()


def test_one_click_inquiry_fills_register(people: dict[str, Any], case: Any, sandbox: Any) -> None:
    run_inquiry(people, case)
    reqs = InquiryRequest.objects.filter(case=case)
    assert reqs.count() == 3
    assert set(reqs.values_list("status", flat=True)) == {S.DONE}
    assert Asset.objects.filter(case=case, kind=Asset.Kind.INFO).exists()  # population register
    assert sandbox.stats()["duplicated_keys"] == 0
    # Deterministic: the same debtor again yields the same refs.
    refs = sorted(Asset.objects.filter(case=case).values_list("ref", flat=True))
    from zhixing.partners.sandbox.holdings import holdings

    party = case.parties.get(role="debtor")
    expected = sorted(
        [h.ref for code in ("BANK-ICBC", "REG-ESTATE") for h in holdings(code, party.id_number)] + ["info"]
    )
    assert refs == expected


def test_freeze_needs_approval_then_lands(people: dict[str, Any], case: Any, sandbox: Any) -> None:
    run_inquiry(people, case, ["deposit", "online_payment", "internet_bank", "financial_product"])
    account = Asset.objects.filter(case=case, kind="account", state="none", value__gt=10).first()
    if account is None:
        pytest.skip("this synthetic debtor holds no open account")
    amount = min(account.value, Decimal("50.00"))
    req = services.request_control(people["judge"], account, "freeze", amount=str(amount))
    assert req.status == S.AWAITING_APPROVAL
    services.dispatch_due()
    assert InquiryRequest.objects.get(pk=req.pk).status == S.AWAITING_APPROVAL  # not sent before approval
    services.approve(people["director"], req)
    services.dispatch_due()
    account.refresh_from_db()
    assert account.state == Asset.State.FROZEN
    assert account.frozen_amount == amount
    assert account.control_expires is not None
    deduct = services.request_control(people["judge"], account, "deduct", amount=str(amount))
    services.approve(people["director"], deduct)
    services.dispatch_due()
    account.refresh_from_db()
    assert account.deducted_amount == amount and account.frozen_amount == 0
    receivable = DeductionReceivable.objects.get(case=case)
    assert receivable.amount == amount and receivable.idempotency_key.startswith("ded-")


def test_confirmed_deduction_books_once_into_the_case_account(
    people: dict[str, Any], case: Any, sandbox: Any
) -> None:
    from zhixing.funds.models import Receipt
    from zhixing.funds.queries import balance, case_money
    from zhixing.funds.services import set_custody_account
    from zhixing.funds.services.receipts import book_deductions

    set_custody_account(
        None,
        case.court,
        bank_name="沙箱托管银行",
        account_name=case.court.name,
        account_no="44001000106",
        sub_prefix="880106",
    )
    run_inquiry(people, case, ["deposit", "online_payment", "internet_bank", "financial_product"])
    account = Asset.objects.filter(case=case, kind="account", state="none", value__gt=10).first()
    if account is None:
        pytest.skip("this synthetic debtor holds no open account")
    amount = min(account.value, Decimal("40.00"))
    for action in ("freeze", "deduct"):
        req = services.request_control(people["judge"], account, action, amount=str(amount))
        services.approve(people["director"], req)
        services.dispatch_due()
    receivable = DeductionReceivable.objects.get(case=case)
    # Confirmed at 07:30 in Beijing (23:30 UTC the day before): booked on the Beijing day (finding 12).
    confirmed = datetime(2026, 1, 5, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    DeductionReceivable.objects.filter(pk=receivable.pk).update(created_at=confirmed)
    assert book_deductions() == 1
    assert book_deductions() == 0  # marked booked: nothing twice
    receipt = Receipt.objects.get(bank_txn_id=receivable.idempotency_key)
    assert (receipt.amount, receipt.case_id, receipt.source) == (amount, case.pk, "deduction")
    assert receipt.value_date == date(2026, 1, 5)
    receivable.refresh_from_db()
    assert receivable.booked is True
    # A crash after booking but before marking: the next run finds the receipt by its key, books nothing new.
    DeductionReceivable.objects.filter(pk=receivable.pk).update(booked=False)
    assert book_deductions() == 1
    assert Receipt.objects.filter(bank_txn_id=receivable.idempotency_key).count() == 1
    assert case_money(case).received == amount
    assert balance(case.pk) == amount
