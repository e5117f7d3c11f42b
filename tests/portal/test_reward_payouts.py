"""Rewards (悬赏金) leave the custody account only through a payout: approvals, finance's order, the bank.

Finding C2/M4 of the outside test: a reward used to post case → bank in the ledger on one judge's click.
Now paying proposes a payout of purpose 悬赏金; the offer is `paying` until that payout ends and the
consequence table `rewards.PAYOUT_OUTCOMES` (applied by `rewards.apply_payout_outcome`, the receiver of
`funds.events.payout_settled`) marks it paid, or payable again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.funds.conftest import bank, custody, receive  # noqa: F401  (fixtures)
from tests.portal.test_services_public import _tip_data
from zhixing.core.errors import Conflict, NotPermitted
from zhixing.courts.roles import Role
from zhixing.funds import queries as funds_queries
from zhixing.funds import services as funds
from zhixing.funds.models import Payout
from zhixing.funds.services import rewards as funds_rewards
from zhixing.portal import rewards, tips_services
from zhixing.portal.models import RewardOffer, Tip

pytestmark = pytest.mark.django_db
ACCOUNT = "6222020000009"


def _ready(pcase: Any, people: dict[str, Any], amount: str = "3000") -> tuple[RewardOffer, Tip]:
    receive(pcase, "10000.00", f"V-RW-{amount}")
    offer = rewards.offer(people["judge"], pcase, amount=amount, terms="提供线索执行到位")
    tip = tips_services.submit(_tip_data(pcase))
    tips_services.act(people["judge"], tip.pk, "核查属实")
    tips_services.close(people["judge"], tip.pk, "recovered")
    return offer, tip


def _approve(payout: Payout, people: dict[str, Any]) -> None:
    for who in ("judge2", "director", "president"):
        funds.decide(people[who], payout.pk)


@pytest.mark.parametrize("end", ["rejected", "cancelled", "failed"])
def test_a_payout_that_does_not_pay_leaves_the_offer_payable(
    end: str,
    pcase: Any,
    people: dict[str, Any],
    custody: Any,  # noqa: F811
    bank: Any,  # noqa: F811
) -> None:
    offer, tip = _ready(pcase, people)
    account = "000012345678" if end == "failed" else ACCOUNT  # the sandbox bank refuses 0000… accounts
    row = rewards.pay(people["judge"], offer.pk, tip.pk, account_no=account)
    payout = Payout.objects.get(pk=row.payout_id)
    if end == "rejected":
        funds.decide(people["judge2"], payout.pk, approve=False, note="举报人身份未核实")
    elif end == "cancelled":
        funds.cancel(people["judge"], payout.pk, reason="账号有误")
    else:
        _approve(payout, people)
        assert funds.send(people["finance"], payout.pk).status == "failed"
    again = RewardOffer.objects.get(pk=offer.pk)
    assert (again.status, again.payout_id, again.paid_tip_id) == ("offered", None, None)
    assert funds_queries.case_money(pcase).balance == Decimal("10000.00")  # nothing left the case
    # Payable again: a new payout to a corrected account, which pays.
    row = rewards.pay(people["judge"], offer.pk, tip.pk, account_no=ACCOUNT)
    second = Payout.objects.get(pk=row.payout_id)
    assert second.pk != payout.pk and row.status == "paying"
    _approve(second, people)
    funds.send(people["finance"], second.pk)
    assert RewardOffer.objects.get(pk=offer.pk).status == "paid"
    assert funds_queries.case_money(pcase).balance == Decimal("7000.00")


def test_one_live_payout_per_offer_whatever_the_retries(
    pcase: Any,
    people: dict[str, Any],
    custody: Any,  # noqa: F811
) -> None:
    offer, _tip = _ready(pcase, people)
    args = {"offer_id": offer.pk, "amount": Decimal("3000.00"), "tipster": "李群众", "reference": "x"}
    first, made = funds_rewards.propose_reward(
        people["judge"], pcase, account_name="李群众", account_no=ACCOUNT, **args
    )
    second, made_again = funds_rewards.propose_reward(
        people["judge"], pcase, account_name="李群众", account_no=ACCOUNT, **args
    )
    assert made and not made_again and first.pk == second.pk
    # The database itself refuses a second live payout of the same source (two racing transactions).
    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.create(
            court_id=pcase.court_id,
            case=pcase,
            purpose="reward",
            amount=Decimal("3000.00"),
            account_name="李群众",
            account_no=ACCOUNT,
            proposed_by=people["judge"],
            order_key="payout-race",
            source=first.source,
        )
    # An outcome of some other payout, or an outcome applied twice, changes nothing.
    assert rewards.apply_payout_outcome(first, "paid") is not None
    assert RewardOffer.objects.get(pk=offer.pk).status == "offered"  # the offer never linked this payout


def test_a_payee_name_other_than_the_tipster_needs_the_extra_approval(
    pcase: Any,
    people: dict[str, Any],
    custody: Any,  # noqa: F811
) -> None:
    offer, tip = _ready(pcase, people)
    factories.staff(pcase.court, Role.JUDGE, username="th_judge3")  # the extra step needs a third judge
    row = rewards.pay(people["judge"], offer.pk, tip.pk, account_name="张三", account_no=ACCOUNT)
    payout = Payout.objects.get(pk=row.payout_id)
    assert payout.name_mismatch and payout.chain == ["judge", "judge", "director", "president"]


# -- who may offer, pay and withdraw a reward (access_public.may_reward), pages --------------------------

WHO = [
    "judge",
    "judge2",
    "assistant",
    "clerk",
    "finance",
    "director",
    "president",
    "gz_director",
    "yx_director",
]


def _offer_post(pcase: Any, offer: RewardOffer, tip: Tip) -> tuple[str, dict[str, str]]:
    return reverse("portal_case_action", args=[pcase.pk, "reward"]), {"amount": "1000", "terms": "悬赏"}


def _pay_post(pcase: Any, offer: RewardOffer, tip: Tip) -> tuple[str, dict[str, str]]:
    return reverse("portal_row_action", args=["rewards", offer.pk, "pay"]), {
        "tip": str(tip.pk),
        "account_no": ACCOUNT,
    }


def _withdraw_post(pcase: Any, offer: RewardOffer, tip: Tip) -> tuple[str, dict[str, str]]:
    return reverse("portal_row_action", args=["rewards", offer.pk, "withdraw"]), {}


#                 judge judge2 asst clerk fin  dir  pres gz   yx
MATRIX = [
    ("offer", _offer_post, "302 403 403 403 403 302 403 403 404"),
    ("pay", _pay_post, "302 403 403 403 403 302 403 403 404"),
    ("withdraw", _withdraw_post, "302 403 403 403 403 302 403 403 404"),
]


@pytest.mark.parametrize(("label", "setup", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_reward_permission_matrix(
    label: str,
    setup: Any,
    expected: str,
    pcase: Any,
    people: dict[str, Any],
    custody: Any,  # noqa: F811
) -> None:
    offer, tip = _ready(pcase, people)
    if label == "offer":
        rewards.withdraw(people["judge"], offer.pk)
    got = []
    for who in WHO:
        sid = transaction.savepoint()
        client = Client()
        client.force_login(people[who])
        url, data = setup(pcase, offer, tip)
        got.append(str(client.post(url, data).status_code))
        transaction.savepoint_rollback(sid)
    assert " ".join(got) == expected


def test_paying_from_the_page_proposes_a_payout_and_moves_no_money(
    pcase: Any,
    people: dict[str, Any],
    custody: Any,  # noqa: F811
) -> None:
    offer, tip = _ready(pcase, people)
    client = Client()
    client.force_login(people["judge"])
    url, data = _pay_post(pcase, offer, tip)
    assert client.post(url, data).status_code == 302
    payout = Payout.objects.get()
    assert (payout.purpose, payout.status, payout.account_no) == ("reward", "proposed", ACCOUNT)
    assert funds_queries.case_money(pcase).balance == Decimal("10000.00")
    page = client.get(reverse("portal_case", args=[pcase.pk])).content.decode()
    assert "发放审批中" in page and f"发款#{payout.pk}" in page
    with pytest.raises(Conflict):
        rewards.withdraw(people["judge"], offer.pk)  # being paid: withdraw the payout first
    with pytest.raises(NotPermitted):
        funds.decide(people["judge"], payout.pk)  # the proposer never approves
