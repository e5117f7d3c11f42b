"""The payable amount (可发金额, issue 12 item 2): one breakdown with a reason for every reserved amount,
shown on the money page and in the API, and the very number `propose` enforces."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from zhixing.core.errors import Conflict
from zhixing.funds import payable, services
from zhixing.funds.models import Payout

from .conftest import receive
from .test_payouts import applicant, approve_all, propose

pytestmark = pytest.mark.django_db
FEE = Decimal("1400.00")  # 50 + 90,000 × 1.5 % on the factory's 100,000 claim


def test_breakdown_names_every_reserved_amount(case, people):
    receive(case, "120000.00", "PB1")
    b = payable.payable_breakdown(case)
    assert b.balance == Decimal("120000.00")
    assert [(r.code, r.amount) for r in b.reserved] == [("fee", FEE)]
    assert "申请执行费" in b.reserved[0].reason and "第十四条" in b.reserved[0].reason
    assert b.payable == Decimal("118600.00")
    p = propose(case, people, "10000.00")
    b = payable.payable_breakdown(case)
    assert [(r.code, r.amount, r.ref) for r in b.reserved] == [
        ("fee", FEE, "fee"),
        ("payout", Decimal("10000.00"), f"payout:{p.pk}"),
    ]
    assert f"发款#{p.pk}" in b.reserved[1].reason and "审批中，已完成0/3级" in b.reserved[1].reason
    assert b.payable == Decimal("108600.00")


def test_payout_of_exactly_the_payable_amount_succeeds_and_one_fen_more_fails(case, people, bank):
    receive(case, "120000.00", "PB2")
    with pytest.raises(Conflict) as exc:
        propose(case, people, "118600.01")
    assert exc.value.field == "amount"
    assert "超过可发金额118,600.00元" in exc.value.message and "申请执行费1,400.00元" in exc.value.message
    p = approve_all(propose(case, people, str(payable.payable(case))), people)
    assert p.amount == Decimal("118600.00")
    p = services.send(people["finance"], p.pk)
    assert p.status == Payout.Status.PAID
    assert payable.payable(case) == 0 and payable.case_balance(case.pk) == 0


def test_refund_reserves_what_the_applicants_are_still_owed(case, people):
    # Owed: the principal 100,000.00 and the doubled delay interest to date 1,487.50 (迟延履行利息解释
    # Art 1), plus the fee; only the 100.00 beyond them goes back to the debtor.
    receive(case, "102987.50", "PB3")
    b = payable.payable_breakdown(case, payable.REFUND)
    assert [(r.code, r.amount) for r in b.reserved] == [("fee", FEE), ("claim", Decimal("101487.50"))]
    assert b.payable == Decimal("100.00")
    debtor = case.parties.get(role="debtor")
    with pytest.raises(Conflict):
        services.propose(
            people["judge"],
            case,
            party_id=debtor.pk,
            amount="100.01",
            account_name=debtor.name,
            account_no="62220200000099",
            purpose="refund",
        )
    services.propose(
        people["judge"],
        case,
        party_id=debtor.pk,
        amount="100.00",
        account_name=debtor.name,
        account_no="62220200000099",
        purpose="refund",
    )


def test_a_registered_reserver_lowers_the_payable_and_propose_enforces_it(case, people):
    receive(case, "50000.00", "PB4")

    def hold(c: Any, purpose: str) -> list[payable.Reserved]:
        return (
            [payable.Reserved("hold", "他案冻结（测试）", Decimal("20000.00"), "hold:1")]
            if c.pk == case.pk
            else []
        )

    payable.register_reserver("test-hold", hold)
    try:
        b = payable.payable_breakdown(case)
        assert b.payable == Decimal("50000.00") - FEE - Decimal("20000.00")
        with pytest.raises(Conflict) as exc:
            propose(case, people, str(b.payable + Decimal("0.01")))
        assert "他案冻结" in exc.value.message
        propose(case, people, str(b.payable))
    finally:
        payable.unregister_reserver("test-hold")


def test_money_page_shows_breakdown_and_offers_the_payable_amount(client, case, people):
    receive(case, "1234567.89", "PB5")
    propose(case, people, "1000.00")
    client.force_login(people["judge"])
    page = client.get(reverse("funds_case_money", args=[case.pk])).content.decode()
    assert 'id="m-received" data-testid="m-received">1,234,567.89<' in page
    assert 'id="m-payable" data-testid="m-payable">1,232,167.89<' in page  # − fee 1,400 − payout 1,000
    assert 'data-code="fee"' in page and 'data-code="payout"' in page
    assert "待结算的申请执行费" in page
    assert 'name="amount" id="id_amount" required value="1232167.89"' in page
    assert "银行来款通知" in page and ">notice<" not in page  # source in Chinese, id only as 流水号


@pytest.mark.parametrize(("who", "status"), [("judge", 200), ("gz_director", 200), ("yx_director", 404)])
def test_api_payable_matrix(client, people, case, who, status):
    receive(case, "5000.00", "PB6")
    client.force_login(people[who])
    r = client.get(f"/api/v1/funds/cases/{case.pk}/payable")
    assert r.status_code == status
    if status == 200:
        body = r.json()
        assert body["payable"] == "3600.00" and body["reserved"][0]["code"] == "fee"
        assert client.get(f"/api/v1/funds/cases/{case.pk}").json()["payable"] == "3600.00"
        refund = client.get(f"/api/v1/funds/cases/{case.pk}/payable?purpose=refund").json()
        assert refund["payable"] == "0.00"
        assert client.get(f"/api/v1/funds/cases/{case.pk}/payable?purpose=x").status_code == 422


def test_applicant_payable_used_by_propose_is_read_under_the_lock(case, people):
    # Two proposals that together exceed the payable amount: the second is refused.
    receive(case, "21400.00", "PB7")
    propose(case, people, "15000.00")
    with pytest.raises(Conflict):
        propose(case, people, "5000.01")
    propose(case, people, "5000.00")
    assert payable.payable(case) == 0
    assert applicant(case).pk
