"""PostgreSQL: receipts, costs and holds racing on one case leave its clocks equal to its balance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from zhixing.core.audit import verify_chain
from zhixing.core.errors import Conflict
from zhixing.funds import queries, services
from zhixing.funds.models import PayoutClock
from zhixing.funds.services import holds

from .conftest import receive
from .test_concurrency_pg import run_threads

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def only_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL (SQLite serialises writers itself)")


def test_concurrent_receipts_costs_and_a_hold_keep_clocks_equal_to_the_balance(case, people):
    receive(case, "1000.00", "K0", on=date(2026, 3, 1))
    fns = [lambda i=i: receive(case, "100.00", f"K{i + 1}", on=date(2026, 3, 2)) for i in range(6)]
    fns += [lambda: services.book_costs(people["judge"], case, "150.00", "费用") for _ in range(4)]

    def hold() -> None:
        holds.place_hold(
            people["judge"], case, reason="frozen_elsewhere", start=date(2026, 3, 5), amount="50.00"
        )

    fns.append(hold)
    errors = run_threads(fns)
    assert not [e for e in errors if not isinstance(e, Conflict)]
    opened = sum(PayoutClock.objects.filter(case=case).values_list("open_amount", flat=True), Decimal("0"))
    # one clock per receipt (the 50 held may have been split off one of them)
    assert PayoutClock.objects.filter(case=case, part=0).count() == 7
    assert opened == queries.balance(case.pk)
    assert all(0 <= c.open_amount <= c.amount for c in PayoutClock.objects.filter(case=case))
    assert verify_chain().ok
