"""PostgreSQL: two receipts arriving at once on one over-frozen case give one proposal that covers both."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from tests.funds.conftest import custody  # noqa: F401
from tests.funds.test_concurrency_pg import run_threads
from tests.inquiry.test_controls import account, freeze
from zhixing.cases.models import EnforcementCase
from zhixing.funds import services as funds
from zhixing.inquiry import queries as inquiry_queries
from zhixing.measures import services
from zhixing.measures.models import Proposal

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def only_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL (SQLite serialises writers itself)")


def test_concurrent_receipts_propose_releasing_every_freeze_once(
    people: dict[str, Any],
    owing: EnforcementCase,
    custody: Any,  # noqa: F811
) -> None:
    a1, a2 = account(owing, "80000", "6222-01"), account(owing, "50000", "6222-02")
    freeze(people, a1, "80000")
    freeze(people, a2, "20000")
    number = funds.case_account(owing).number

    def receipt(txn: str) -> Any:
        return lambda: funds.book_incoming(
            funds.Incoming(
                txn_id=txn,
                amount="50000.00",
                value_date=date(2026, 3, 10),
                to_account=number,
                payer_name="张三",
            ),
            source="notice",
        )

    assert run_threads([receipt("T1"), receipt("T2")]) == []
    owing.refresh_from_db()
    assert owing.paid_amount == Decimal("100000.00")
    assert inquiry_queries.case_claim(owing).outstanding == Decimal("0.00")
    open_ = list(Proposal.objects.filter(case=owing, measure="freeze", status="open"))
    assert len(open_) == 1 and open_[0].event == "paid_in_full"
    assert sorted(open_[0].targets) == sorted([[a1.pk, None], [a2.pk, None]])
    # The first receipt's part-payment proposal (50,000 excess) was superseded, never left open beside it.
    assert set(Proposal.objects.filter(case=owing, measure="freeze").values_list("status", flat=True)) <= {
        "open",
        "superseded",
    }
    services.accept(people["judge"], open_[0])
    assert Proposal.objects.filter(case=owing, status="open", measure="freeze").count() == 0
