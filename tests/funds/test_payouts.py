"""Payout flow: propose, approval chain rules, payment order over HTTP, booking once, refusals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests import factories
from zhixing.cases.models import Party
from zhixing.core.audit import verify_chain
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.roles import Role
from zhixing.funds import queries, services
from zhixing.funds.models import Payout, Transaction
from zhixing.funds.services import faults

from .conftest import receive

pytestmark = pytest.mark.django_db


def applicant(case: Any) -> Party:
    return case.parties.get(role="applicant")


def approve_all(p: Payout, people: dict[str, Any]) -> Payout:
    by_role = {
        Role.JUDGE: people["judge2"],
        Role.DIRECTOR: people["director"],
        Role.PRESIDENT: people["president"],
    }
    for role in p.chain[p.step :]:
        p = services.decide(by_role[role], p.pk)
    return p


def propose(case: Any, people: dict[str, Any], amount: str = "50000.00", **kw: Any) -> Payout:
    a = applicant(case)
    return services.propose(
        people["judge"],
        case,
        party_id=a.pk,
        amount=amount,
        account_name=kw.pop("account_name", a.name),
        account_no=kw.pop("account_no", "6222020000001"),
        **kw,
    )


def test_full_payout_books_once_and_settles_fee(case, people, bank):
    receive(case, "120000.00", "T1")
    p = approve_all(propose(case, people), people)
    assert p.status == "approved"
    p = services.send(people["finance"], p.pk)
    assert p.status == "paid" and p.bank_payment_id
    money = queries.case_money(case)
    fee = Decimal("1400.00")  # 50 + 90,000 × 1.5 %
    assert money.fees == fee
    assert money.balance == Decimal("120000.00") - fee - Decimal("50000.00")
    assert queries.balance(case.pk) == queries.balance_by_sum(case.pk)
    # resending is a no-op: still one payment at the bank
    with pytest.raises(Conflict):
        services.send(people["finance"], p.pk)
    assert len(bank.app.bank.payments) == 1
    assert verify_chain().ok


def test_crash_after_order_then_resume_pays_once(case, people, bank):
    receive(case, "80000.00", "T2")
    p = approve_all(propose(case, people, "30000.00"), people)
    faults.arm("payout.after_order")
    with pytest.raises(faults.Crash):
        services.send(people["finance"], p.pk)
    p.refresh_from_db()
    assert p.status == "sending"  # reserved, order sent, confirmation not booked
    assert len(bank.app.bank.payments) == 1
    assert services.resume_sending() == 1
    p.refresh_from_db()
    assert p.status == "paid"
    assert len(bank.app.bank.payments) == 1  # the same idempotency key → the same single payment
    assert Transaction.objects.filter(idempotency_key=f"payout-paid:{p.pk}").count() == 1
    assert queries.balance(case.pk) == queries.balance_by_sum(case.pk)


def test_crash_before_order_then_resume(case, people, bank):
    receive(case, "80000.00", "T3")
    p = approve_all(propose(case, people, "30000.00"), people)
    faults.arm("payout.before_order")
    with pytest.raises(faults.Crash):
        services.send(people["finance"], p.pk)
    assert bank.app.bank.payments == {}
    services.resume_sending()
    p.refresh_from_db()
    assert p.status == "paid" and len(bank.app.bank.payments) == 1


def test_bank_down_keeps_order_pending(case, people, settings):
    receive(case, "80000.00", "T4")
    p = approve_all(propose(case, people, "100.00"), people)
    settings.FUNDS_BANK_URL = "http://127.0.0.1:9/custody"
    settings.FUNDS_BANK_TIMEOUT_SECONDS = 1
    p = services.send(people["finance"], p.pk)
    assert p.status == "sending"


def test_closed_account_fails_and_money_returns(case, people, bank):
    receive(case, "80000.00", "T5")
    before = queries.balance(case.pk)
    p = approve_all(propose(case, people, "100.00", account_no="0000123456"), people)
    p = services.send(people["finance"], p.pk)
    assert p.status == "failed" and "销户" in p.fail_reason
    fee = queries.case_money(case).fees
    assert queries.balance(case.pk) == before - fee


@pytest.mark.parametrize("amount", ["1.005", "-5", "abc", "0"])
def test_bad_amounts_refused(case, people, amount):
    receive(case, "1000.00", "T6")
    with pytest.raises(ServiceError) as exc:
        propose(case, people, amount)
    assert exc.value.field == "amount"
    assert Payout.objects.count() == 0


def test_cannot_exceed_balance(case, people):
    receive(case, "1000.00", "T7")
    with pytest.raises(Conflict):
        propose(case, people, "999.00")  # the 1,400 fee is not covered either
    assert Payout.objects.count() == 0


def test_unknown_party_refused(case, people):
    receive(case, "90000.00", "T8")
    debtor = case.parties.get(role="debtor")
    with pytest.raises(ServiceError) as exc:
        services.propose(
            people["judge"], case, party_id=debtor.pk, amount="10", account_name="x", account_no="1"
        )
    assert exc.value.field == "party_id"


def test_approval_rules(case, people):
    receive(case, "90000.00", "T9")
    p = propose(case, people, "100.00")
    assert p.chain == ["judge", "director", "president"]
    with pytest.raises(NotPermitted):
        services.decide(people["judge"], p.pk)  # the proposer
    with pytest.raises(NotPermitted):
        services.decide(people["director"], p.pk)  # wrong role for step 1
    with pytest.raises(NotPermitted):
        services.decide(people["yx_judge"], p.pk)  # another court
    with pytest.raises(NotPermitted):
        services.decide(people["finance"], p.pk)
    p = services.decide(people["judge2"], p.pk)
    assert p.step == 1
    with pytest.raises(ServiceError) as err:  # a rejection says why: the proposer is told
        services.decide(people["director"], p.pk, approve=False, note="  ")
    assert err.value.field == "note" and Payout.objects.get(pk=p.pk).status == "proposed"
    p = services.decide(people["director"], p.pk, approve=False, note="收款账号与申请人不符")
    assert p.status == "rejected" and p.cancel_reason == "收款账号与申请人不符"
    with pytest.raises(Conflict):
        services.decide(people["president"], p.pk)


def test_other_name_needs_extra_step(case, people):
    receive(case, "90000.00", "T10")
    judge3 = factories.staff(case.court, Role.JUDGE, username="th_judge3")
    p = propose(case, people, "100.00", account_name="别人")
    assert p.name_mismatch and p.chain == ["judge", "judge", "director", "president"]
    p = services.decide(people["judge2"], p.pk)
    with pytest.raises(NotPermitted):
        services.decide(people["judge2"], p.pk)  # one person, one step
    p = services.decide(judge3, p.pk)
    p = services.decide(people["director"], p.pk)
    p = services.decide(people["president"], p.pk)
    assert p.status == "approved"


def test_only_finance_sends(case, people, bank):
    receive(case, "90000.00", "T11")
    p = approve_all(propose(case, people, "100.00"), people)
    with pytest.raises(NotPermitted):
        services.send(people["judge"], p.pk)


def test_refund_surplus_to_debtor(case, people, bank):
    receive(case, "110000.00", "T12")
    a = applicant(case)
    p = approve_all(
        services.propose(
            people["judge"],
            case,
            party_id=a.pk,
            amount="100000.00",
            account_name=a.name,
            account_no="6222000100",
        ),
        people,
    )
    services.send(people["finance"], p.pk)
    debtor = case.parties.get(role="debtor")
    assert queries.balance(case.pk) == Decimal("110000.00") - Decimal("1400.00") - Decimal("100000.00")
    # The applicant is still owed the doubled delay interest (2025-12-16..2026-03-10: 85 days × 17.50),
    # so only the rest of the balance is the debtor's surplus (迟延履行利息解释 Art 1; 执行工作规定 Art 34).
    free = Decimal("8600.00") - Decimal("1487.50")
    with pytest.raises(Conflict):
        services.propose(
            people["judge"],
            case,
            party_id=debtor.pk,
            amount="8600.00",
            account_name=debtor.name,
            account_no="6222000200",
            purpose="refund",
        )
    r = services.propose(
        people["judge"],
        case,
        party_id=debtor.pk,
        amount=str(free),
        account_name=debtor.name,
        account_no="6222000200",
        purpose="refund",
    )
    r = services.send(people["finance"], approve_all(r, people).pk)
    assert r.status == "paid" and queries.balance(case.pk) == Decimal("1487.50")
    # The surplus refunded to the debtor is taken back out of the performed amount.
    case.refresh_from_db()
    assert case.paid_amount == Decimal("110000.00") - free
    assert sorted(p.amount for p in case.payments.all()) == [-free, Decimal("110000.00")]
