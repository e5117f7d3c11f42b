"""Money booked or paid just after midnight in Beijing belongs to that Beijing day (issue 10, finding 12).

The database keeps UTC; a payout paid at 2026-01-05 07:30 in Beijing is 2026-01-04 23:30 UTC. The
reconciliation (page and XLSX) must date it 2026-01-05, the day the bank statement shows.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhixing.funds import services
from zhixing.funds.models import Payout
from zhixing.funds.services.statements import ledger_items

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
EARLY_MORNING = datetime(2026, 1, 5, 7, 30, tzinfo=SH)  # 2026-01-04 23:30 UTC


@pytest.fixture
def paid(people: dict[str, Any], case: Any) -> Payout:
    return Payout.objects.create(
        court=case.court,
        case=case,
        party_id=case.parties.first().pk,
        amount=Decimal("10.00"),
        account_name="张三",
        account_no="6222020000000001",
        proposed_by=people["judge"],
        order_key="LOCAL-DAY-1",
        bank_payment_id="PAYLOCAL1",
        status=Payout.Status.PAID,
        paid_at=EARLY_MORNING,
    )


def test_ledger_items_date_a_payout_by_its_beijing_day(paid: Payout) -> None:
    items = ledger_items(paid.court_id, date(2026, 1, 5))
    got = [(i.ref, i.value_date, i.amount) for i in items]
    assert got == [("PAYLOCAL1", date(2026, 1, 5), Decimal("-10.00"))]


def test_reconciliation_xlsx_shows_the_beijing_day(client: Any, people: dict[str, Any], paid: Payout) -> None:
    content = "交易流水号,交易日期,金额\nR1,2026-01-05,3.00\n".encode()
    imp = services.import_statement(people["finance"], paid.court, content, "s.csv")
    client.force_login(people["finance"])
    x = client.get(reverse("funds_reconciliation", args=[imp.pk]) + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(x.content)).active.iter_rows(values_only=True))
    payout_rows = [r for r in rows if r[1] == "PAYLOCAL1"]
    assert [r[2] for r in payout_rows] == ["2026-01-05"]
