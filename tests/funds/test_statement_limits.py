"""Statement import refuses amounts, balances and dates beyond what the ledger can hold (finding H5):
a 422 naming the row and the field, nothing kept — never a 500 (quantize overflow, date overflow)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhixing.core.errors import ServiceError
from zhixing.core.models import AuditRecord
from zhixing.funds import services
from zhixing.funds.models import Receipt, Reconciliation, StatementImport, Transaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_day")]

HEADER = "交易流水号,交易日期,金额,对方户名,对方账号,收款子账号,摘要,余额\n"
GOOD = "OK1,2026-03-10,1.00,甲,6222,,还款,1.00"

CASES = [
    ("T2,2026-03-10,1e20,a,1,,m,", "金额超过上限1,000,000,000,000.00元"),
    ("T2,2026-03-10,1e30,a,1,,m,", "金额超过上限"),
    ("T2,2026-03-10,-1e30,a,1,,m,", "金额超过上限"),
    (f"T2,2026-03-10,{'9' * 40},a,1,,m,", "金额超过上限"),
    ("T2,2026-03-10,1000000000000.01,a,1,,m,", "金额超过上限"),
    ("T2,2026-03-10,1.00,a,1,,m,1e30", "余额超过上限"),
    ("T2,2026-03-10,1.00,a,1,,m,-1e30", "余额超过上限"),
    ("T2,9999-12-31,1.00,a,1,,m,", "交易日期9999-12-31超出可受理的范围（1990-01-01至2099-12-31）"),
    ("T2,0001-01-01,1.00,a,1,,m,", "交易日期0001-01-01超出可受理的范围"),
    ("T2,2100-01-01,1.00,a,1,,m,", "超出可受理的范围"),
]


def counts() -> tuple[int, int, int, int, int]:
    return (
        StatementImport.objects.count(),
        Reconciliation.objects.count(),
        Receipt.objects.count(),
        Transaction.objects.count(),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize(("line", "reason"), CASES)
def test_out_of_range_line_is_refused_naming_the_row(case, people, line, reason):
    before = counts()
    content = (HEADER + GOOD + "\n" + line + "\n").encode()
    with pytest.raises(ServiceError) as exc:
        services.import_statement(people["finance"], case.court, content, "s.csv", book_missing=True)
    assert exc.value.field == "file"
    assert "第3行" in exc.value.message and reason in exc.value.message, exc.value.message
    assert counts() == before


@pytest.mark.parametrize(("line", "reason"), CASES[:1] + CASES[5:6] + CASES[7:9])
def test_api_answers_422_not_500(client, case, people, line, reason):
    client.force_login(people["finance"])
    before = counts()
    content = (HEADER + GOOD + "\n" + line + "\n").encode()
    r = client.post(
        "/api/v1/funds/statements",
        {"book_missing": "true", "file": SimpleUploadedFile(f"s{time.time_ns()}.csv", content)},
    )
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "file" and "第3行" in r.json()["detail"] and reason in r.json()["detail"]
    assert counts() == before


def test_limits_themselves_are_accepted(case, people: Any):
    content = (
        HEADER + "L1,1990-01-01,1000000000000.00,a,1,,m,\n" + "L2,2099-12-31,-1000000000000.00,a,1,,m,0.00\n"
    ).encode()
    imp = services.import_statement(people["finance"], case.court, content, "s.csv")
    assert imp.statement_date.isoformat() == "2099-12-31"
