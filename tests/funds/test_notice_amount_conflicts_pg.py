"""PostgreSQL: a single notice and a batch notice name the same txn id with two amounts at the same
moment (finding H1). The first to record it wins; the other answers 409; the money is booked once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from zhixing.core.audit import verify_chain
from zhixing.core.errors import Conflict
from zhixing.funds import queries, services
from zhixing.funds.models import BankNotice, Receipt, Transaction
from zhixing.funds.services import inbox
from zhixing.funds.services.inbox_batches import receive_batch

from .test_concurrency_pg import run_threads

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.usefixtures("bank_day"),
]
DAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def only_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (SQLite admits one writer)")


@pytest.fixture
def quiet() -> Any:
    from zhixing.core import work

    work.install(inbox.KICK, lambda: None)
    yield
    from zhixing.funds import tasks

    tasks.install_hooks()


def test_single_and_batch_racing_with_two_amounts_book_one(case, quiet):
    acc = services.case_account(case).number
    rounds = 12
    outcomes: dict[str, list[str]] = {}
    for n in range(rounds):
        txn = f"RACE{n}"

        def one(txn: str = txn) -> None:
            try:
                inbox.receive_notice(
                    services.Incoming(txn, "5.00", DAY, acc, custody_account_no="44001000106"),
                    business_date=DAY,
                )
                outcomes.setdefault(txn, []).append("single")
            except Conflict:
                pass

        def many(txn: str = txn) -> None:
            try:
                receive_batch(
                    [services.Incoming(txn, "500.00", DAY, acc, custody_account_no="44001000106")],
                    business_date=DAY,
                )
                outcomes.setdefault(txn, []).append("batch")
            except Conflict:
                pass

        assert run_threads([one, many]) == []
    inbox.drain_all()
    expected = Decimal("0.00")
    for n in range(rounds):
        txn = f"RACE{n}"
        assert len(outcomes[txn]) == 1, outcomes  # exactly one message won, the other got 409
        amount = Decimal("5.00") if outcomes[txn] == ["single"] else Decimal("500.00")
        expected += amount
        assert Receipt.objects.get(bank_txn_id=txn).amount == amount
        notice = BankNotice.objects.get(txn_id=txn)
        assert (notice.amount, notice.status) == (amount, "booked")
        assert Transaction.objects.filter(idempotency_key=f"receipt:{txn}").count() == 1
    assert queries.balance(case.pk) == expected == queries.balance_by_sum(case.pk)
    assert verify_chain().ok
