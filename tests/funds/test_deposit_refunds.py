"""Auction deposit refunds are bank payment orders (finding M4): ordered at release, approved by finance
(also in bulk), sent with the payouts' order key; the deposit account pays out only when the bank paid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.funds import queries_work, services
from zhixing.funds.models import AccountKind, LedgerAccount, Payout, Transaction
from zhixing.funds.services import auction_deposits, deposit_refunds

from .conftest import receive

pytestmark = pytest.mark.django_db
D = Decimal


def _deposit(case: Any, n: int, amount: str = "5000.00") -> None:
    auction_deposits.receive_deposit(
        None,
        court_id=case.court_id,
        case_id=case.pk,
        key=f"auction-deposit:{n}:T{n}",
        amount=D(amount),
        memo=f"保证金 {n}",
    )


def _release(case: Any, n: int, account: str = "", amount: str = "5000.00") -> Payout:
    return auction_deposits.release_deposit(
        None,
        court_id=case.court_id,
        case_id=case.pk,
        key=f"auction-release:{n}",
        amount=D(amount),
        payee_name=f"竞买人{n}",
        payee_account=account,
    )


def _bank_balance(court_id: int) -> Decimal:
    return LedgerAccount.objects.get(court_id=court_id, kind=AccountKind.BANK).balance


def test_a_release_is_an_order_finance_approves_and_the_bank_pays_once(case, people, bank):
    _deposit(case, 1)
    _deposit(case, 2)
    bank_before = _bank_balance(case.court_id)
    first = _release(case, 1, account="6222020000001")
    assert _release(case, 1, account="6222020000001").pk == first.pk  # a retried close orders once
    second = _release(case, 2)  # the deposit record had no account: finance enters it
    assert (first.purpose, first.status, first.chain, first.proposed_by_id) == (
        "deposit",
        "proposed",
        ["finance"],
        None,
    )
    # Ordering moved no money: both deposits are still held, the bank balance unchanged.
    assert auction_deposits.deposits_held(case.court_id) == D("10000.00")
    assert _bank_balance(case.court_id) == bank_before
    # Not case money: the case's payable amount and its commitments ignore it.
    assert services.payouts.committed(case.pk) == D("0.00")
    # Only finance approves: it is the bidder's own money, no judge, director or president.
    for who in ("judge2", "director", "president"):
        with pytest.raises(NotPermitted):
            services.decide(people[who], first.pk)
    _, refused = deposit_refunds.approve_refunds(people["judge"], [first.pk])
    assert refused == {first.pk: "只有本院财务人员可以办理保证金退还"}
    approved, refused = deposit_refunds.approve_refunds(people["finance"], [first.pk, second.pk, first.pk])
    assert [p.pk for p in approved] == [first.pk]
    assert refused == {second.pk: "收款账户尚未登记，请先核对来款流水并填写原汇款账户"}
    with pytest.raises(NotPermitted):
        deposit_refunds.set_refund_account(
            people["judge"], second.pk, account_name="竞买人2", account_no="6222020000002"
        )
    deposit_refunds.set_refund_account(
        people["finance"], second.pk, account_name="竞买人2", account_no="6222020000002"
    )
    # Who typed the account never approves the payment to it: the court's only finance officer typed
    # it, so the director approves.
    second.refresh_from_db()
    assert (second.proposed_by_id, second.chain) == (people["finance"].pk, ["director"])
    _, refused = deposit_refunds.approve_refunds(people["finance"], [second.pk])
    assert refused == {second.pk: "本级审批需由本院执行局局长办理"}
    approved, refused = deposit_refunds.approve_refunds(people["director"], [second.pk])
    assert [p.pk for p in approved] == [second.pk] and refused == {}
    with pytest.raises(Conflict):
        deposit_refunds.set_refund_account(
            people["finance"], second.pk, account_name="他人", account_no="6222020000003"
        )
    for p in (first, second):
        assert services.send(people["finance"], p.pk).status == "paid"
        with pytest.raises(Conflict):
            services.send(people["finance"], p.pk)  # paid: a second click orders nothing
    assert len(bank.app.bank.payments) == 2
    assert {x["account_no"] for x in bank.app.bank.payments.values()} == {"6222020000001", "6222020000002"}
    assert auction_deposits.deposits_held(case.court_id) == D("0.00")
    assert _bank_balance(case.court_id) == bank_before - D("10000.00")
    keys = set(Transaction.objects.filter(kind="payout").values_list("idempotency_key", flat=True))
    assert keys == {f"payout-paid:{first.pk}", f"payout-paid:{second.pk}"}  # no reservation of case money
    assert AuditRecord.objects.filter(action="funds.deposit_refund_order").count() == 2
    assert AuditRecord.objects.filter(action="funds.deposit_refund_account").count() == 1


def test_a_refund_the_bank_returns_stays_in_the_deposit_account(case, people, bank):
    _deposit(case, 3)
    p = _release(case, 3, account="000099998888")  # the sandbox bank refuses 0000… accounts
    deposit_refunds.approve_refunds(people["finance"], [p.pk])
    done = services.send(people["finance"], p.pk)
    assert done.status == "failed" and auction_deposits.deposits_held(case.court_id) == D("5000.00")
    # Finance sees it on its page and orders it again to a corrected account (the source is free again).
    assert [x.pk for x in queries_work.returned_refunds(people["finance"])] == [p.pk]
    with pytest.raises(NotPermitted):
        deposit_refunds.reorder_refund(
            people["judge"], p.pk, account_name="竞买人3", account_no="6222020000003"
        )
    again = deposit_refunds.reorder_refund(
        people["finance"], p.pk, account_name="竞买人3", account_no="6222020000003"
    )
    assert again.pk != p.pk and again.status == "proposed" and again.source == p.source
    assert queries_work.returned_refunds(people["finance"]) == []
    with pytest.raises(Conflict):  # one live order per registration
        deposit_refunds.reorder_refund(
            people["finance"], p.pk, account_name="竞买人3", account_no="6222020000004"
        )
    assert again.chain == ["director"]  # finance typed the corrected account: someone else approves
    deposit_refunds.approve_refunds(people["director"], [again.pk])
    assert services.send(people["finance"], again.pk).status == "paid"
    assert auction_deposits.deposits_held(case.court_id) == D("0.00")


@pytest.mark.parametrize("purpose", ["reward", "deposit"])
def test_the_payout_form_cannot_make_a_reward_or_a_deposit_refund(case, people, purpose):
    """Those are proposed only by their own services, tied to the offer or registration they settle."""
    receive(case, "9000.00", f"V-PURPOSE-{purpose}")
    party = case.parties.get(role="applicant")
    with pytest.raises(ServiceError) as exc:
        services.propose(
            people["judge"],
            case,
            party_id=party.pk,
            amount="100.00",
            account_name=party.name,
            account_no="6222020000001",
            purpose=purpose,
        )
    assert exc.value.field == "purpose" and not Payout.objects.exists()


# -- pages: who may enter an account, approve in bulk, order again (views_refunds) -----------------------

WHO = [
    "judge",
    "assistant",
    "clerk",
    "finance",
    "director",
    "president",
    "gz_director",
    "yx_director",
    "anon",
]


def _status(resp: Any) -> str:
    if resp.status_code == 302 and resp["Location"].startswith("/login/"):
        return "L"
    return str(resp.status_code)


#                         judge asst clerk fin  dir  pres gz   yx   anon
PAGE_MATRIX = [
    ("refund_account", "403 403 403 302 403 403 403 404 L"),
    ("approve_refunds", "302 302 302 302 302 302 302 302 L"),  # refusals are shown, nothing approved
    ("reorder_refund", "403 403 403 302 403 403 403 404 L"),
]


@pytest.mark.parametrize(("action", "expected"), PAGE_MATRIX, ids=[m[0] for m in PAGE_MATRIX])
def test_refund_pages_permission_matrix(
    action: str, expected: str, case: Any, people: dict[str, Any]
) -> None:
    _deposit(case, 7)
    p = _release(case, 7, account="" if action == "refund_account" else "6222020000007")
    if action == "reorder_refund":
        services.cancel(people["director"], p.pk, reason="账户有误")
    url = {
        "refund_account": reverse("funds_refund_account", args=[p.pk]),
        "approve_refunds": reverse("funds_approve_refunds"),
        "reorder_refund": reverse("funds_reorder_refund", args=[p.pk]),
    }[action]
    data = {"payout": str(p.pk), "account_name": "竞买人7", "account_no": "6222020000077"}
    got, approved_by = [], []
    for who in WHO:
        sid = transaction.savepoint()
        client = Client()
        if who != "anon":
            client.force_login(people[who])
        got.append(_status(client.post(url, data)))
        p.refresh_from_db()
        if p.status == "approved":
            approved_by.append(who)
        transaction.savepoint_rollback(sid)
    assert " ".join(got) == expected
    if action == "approve_refunds":
        assert approved_by == ["finance"]  # an account from the deposit's record: finance's one step
