"""PostgreSQL: several bookers drain the notice inbox at once; each notice is booked exactly once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count

from tests import factories
from zhixing.core.audit import verify_chain
from zhixing.core.models import AuditRecord
from zhixing.funds import queries, services
from zhixing.funds.models import BankNotice, Receipt, Transaction
from zhixing.funds.services import inbox

from .test_concurrency_pg import _subprocess, run_threads

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.usefixtures("bank_day"),
]
DAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def only_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED and real concurrency need PostgreSQL (SQLite admits one writer)")


def fill(cases: list[Any], n: int, tag: str) -> None:
    numbers = [services.case_account(c).number for c in cases]
    for i in range(n):
        inbox.receive_notice(
            services.Incoming(
                txn_id=f"{tag}{i}",
                amount="10.00",
                value_date=DAY,
                to_account=numbers[i % len(numbers)],
                custody_account_no="44001000106",
            ),
            business_date=DAY,
        )


@pytest.fixture
def two(case: Any, people: dict[str, Any]) -> list[Any]:
    from zhixing.core import work

    work.install(inbox.KICK, lambda: None)  # no kick: the test's drainers do all the booking
    yield [case, factories.case(people["clerk"])]
    from zhixing.funds import tasks

    tasks.install_hooks()


def test_two_drainers_at_once_book_each_notice_once(two):
    fill(two, 240, "T")
    taken: list[int] = []

    def drainer() -> None:
        while n := inbox.drain(limit=20):  # small batches: the drainers interleave many times
            taken.append(n)

    assert run_threads([drainer, drainer, drainer]) == []
    assert sum(taken) == 240  # SKIP LOCKED: no notice was taken by two drainers
    assert BankNotice.objects.filter(status="booked").count() == 240
    assert Receipt.objects.count() == 240
    keys = Transaction.objects.filter(kind="receipt").values("idempotency_key").annotate(n=Count("id"))
    assert keys.count() == 240 and not keys.filter(n__gt=1).exists()
    assert [queries.balance(c.pk) for c in two] == [Decimal("1200.00"), Decimal("1200.00")]
    assert [queries.balance(c.pk) for c in two] == [queries.balance_by_sum(c.pk) for c in two]
    assert AuditRecord.objects.filter(action="funds.receipt").count() == 240
    assert verify_chain().ok


def test_a_drainer_racing_the_batch_endpoint_books_once(two):
    """The same transfers arrive as single notices (inbox) and in a batch notice at the same time."""
    fill(two, 100, "R")
    numbers = [services.case_account(c).number for c in two]
    items = [
        services.Incoming(f"R{i}", "10.00", DAY, numbers[i % 2], custody_account_no="44001000106")
        for i in range(100)
    ]

    def drainer() -> None:
        inbox.drain_all(limit=25)

    def batch() -> None:
        services.book_incoming_batch(items, source="notice")

    assert run_threads([drainer, batch, drainer]) == []
    assert BankNotice.objects.filter(status="booked").count() == 100
    assert Receipt.objects.count() == 100 and Transaction.objects.filter(kind="receipt").count() == 100
    assert sum(queries.balance(c.pk) for c in two) == Decimal("1000.00")
    assert verify_chain().ok


def test_a_killed_booker_loses_and_doubles_nothing(two):
    fill(two, 50, "K")
    code = "from zhixing.funds.services import inbox; inbox.drain()"
    assert _subprocess(code, crash_at="receipt_batch.before_commit") == -9  # SIGKILL before its commit
    assert BankNotice.objects.filter(status="received").count() == 50  # every acknowledged one still there
    assert Receipt.objects.count() == 0
    assert _subprocess("from zhixing.funds.services import inbox; inbox.drain_all()") == 0
    assert BankNotice.objects.filter(status="booked").count() == 50
    assert Transaction.objects.filter(kind="receipt").count() == 50
    assert verify_chain().ok
