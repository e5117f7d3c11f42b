"""PostgreSQL: parallel clicks on 发放悬赏金, releases of one deposit and sends of one order: one payment."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from tests.funds.conftest import bank, custody, receive  # noqa: F401  (fixtures)
from tests.funds.test_concurrency_pg import run_threads
from tests.portal.test_reward_payouts import ACCOUNT, _approve, _ready
from zhixing.core.errors import Conflict
from zhixing.funds import services as funds
from zhixing.funds.models import Payout, Transaction
from zhixing.funds.services import auction_deposits
from zhixing.portal import rewards
from zhixing.portal.models import RewardOffer

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def only_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL (SQLite serialises writers itself)")


def test_parallel_pays_and_sends_of_one_reward_pay_once(
    pcase: Any,
    people: dict[str, Any],
    custody: Any,  # noqa: F811
    bank: Any,  # noqa: F811
) -> None:
    offer, tip = _ready(pcase, people)
    errors = run_threads(
        [lambda: rewards.pay(people["judge"], offer.pk, tip.pk, account_no=ACCOUNT) for _ in range(10)]
    )
    assert errors == []
    payout = Payout.objects.get()
    assert RewardOffer.objects.get(pk=offer.pk).payout_id == payout.pk
    _approve(payout, people)

    def send() -> None:
        with contextlib.suppress(Conflict):
            funds.send(people["finance"], payout.pk)

    assert run_threads([send for _ in range(8)]) == []
    assert len(bank.app.bank.payments) == 1
    assert Transaction.objects.filter(idempotency_key=f"payout-paid:{payout.pk}").count() == 1
    assert RewardOffer.objects.get(pk=offer.pk).status == "paid"


def test_parallel_releases_of_one_deposit_order_once(pcase: Any, custody: Any) -> None:  # noqa: F811
    receive(pcase, "1.00", "V-PG-DEP")  # opens the court's accounts
    auction_deposits.receive_deposit(
        None,
        court_id=pcase.court_id,
        case_id=pcase.pk,
        key="auction-deposit:1:T",
        amount=Decimal("800.00"),
        memo="x",
    )

    def release() -> None:
        auction_deposits.release_deposit(
            None,
            court_id=pcase.court_id,
            case_id=pcase.pk,
            key="auction-release:1",
            amount=Decimal("800.00"),
            payee_name="竞买人",
            payee_account=ACCOUNT,
        )

    assert run_threads([release for _ in range(10)]) == []
    assert Payout.objects.filter(source="auction-release:1").count() == 1
