"""Foreign-currency statement lines: converted to yuan with the dated rate table, original kept.

Rates (conftest `rates`): USD 7.1234 from 2020-01-01 and 7.2 from 2026-03-21; HKD 0.91; no EUR.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from zhixing.analytics import services
from zhixing.analytics.exchange import RateTable, to_cny
from zhixing.analytics.models import ExchangeRate, ImportJob, QuarantinedRow, Transaction
from zhixing.analytics.parsing import Line, RowError
from zhixing.core.errors import ServiceError
from zhixing.core.models import AuditRecord

from .conftest import load
from .test_indicators import GENERIC, HEADER

FOREIGN = (
    HEADER
    + """2026-03-20 23:59:59,-100.00,DFS,,境外消费,USD,,F01
2026-03-21 00:00:01,-100.00,DFS,,境外消费,美元,1000.00,F02
2026-03-22 10:00:00,-333.33,莎莎,,境外消费,港币,,F03
2026-03-23 10:00:00,-50.00,Galeries Lafayette,,境外消费,EUR,,F04
2026-03-24 10:00:00,-88.00,某超市,,消费,CNY,,F05
"""
)


def line(amount: str, currency: str, when: datetime) -> Line:
    return Line(
        row_no=2,
        occurred_at=when,
        amount=Decimal(amount),
        currency=currency,
        direction="out",
        kind="normal",
        counterparty="",
        counterparty_account="",
        merchant="",
        summary="",
        category="",
        balance=None,
        txn_id="",
        status="",
        line_hash="h",
    )


def test_rate_in_force_is_the_latest_not_after_the_day() -> None:
    table = RateTable(
        [("USD", date(2026, 3, 21), Decimal("7.2")), ("usd", date(2020, 1, 1), Decimal("7.1234"))]
    )
    assert table.rate_on("USD", date(2019, 12, 31)) is None
    assert table.rate_on("USD", date(2026, 3, 20)) == Decimal("7.1234")
    assert table.rate_on("USD", date(2026, 3, 21)) == Decimal("7.2")
    assert table.rate_on("CNY", date(1990, 1, 1)) == Decimal(1)
    assert table.rate_on("EUR", date(2026, 3, 21)) is None


def test_conversion_rounds_half_up_to_the_fen_and_keeps_the_original() -> None:
    assert to_cny(Decimal("-0.05"), Decimal("0.91")) == Decimal("-0.05")  # -0.0455 → -0.05
    assert to_cny(Decimal("1.25"), Decimal("0.91")) == Decimal("1.14")  # 1.1375 → 1.14
    got = RateTable([("HKD", date(2020, 1, 1), Decimal("0.91"))]).convert(
        line("-333.33", "HKD", datetime(2026, 3, 22, 10))
    )
    assert (got.amount, got.original_amount, got.fx_rate, got.currency) == (
        Decimal("-303.33"),
        Decimal("-333.33"),
        Decimal("0.91"),
        "HKD",
    )
    with pytest.raises(RowError, match="币种EUR在2026-03-23没有可用汇率"):
        RateTable().convert(line("-50.00", "EUR", datetime(2026, 3, 23, 10)))


@pytest.fixture
def generic(people: dict[str, Any], presets: dict[str, Any]) -> Any:
    return services.save_preset(people["judge"], dict(GENERIC))


def test_strict_import_rejects_the_file_naming_the_row_without_a_rate(
    debtor: Any, people: dict[str, Any], generic: Any
) -> None:
    job = load(debtor, people["judge"], generic, FOREIGN.encode())
    assert job.status == ImportJob.Status.REJECTED
    assert job.errors == [
        {
            "row": 5,
            "reason": "币种EUR在2026-03-23没有可用汇率，无法折算为人民币"
            "（请财务人员或执行局局长在“分析 › 折算汇率”页补录该币种汇率）",
        }
    ]
    assert not Transaction.objects.filter(party_id=debtor.party.pk).exists()


def test_quarantine_import_converts_lines_and_quarantines_the_row_without_a_rate(
    debtor: Any, people: dict[str, Any], generic: Any
) -> None:
    job = load(debtor, people["judge"], generic, FOREIGN.encode(), mode="quarantine")
    assert (job.status, job.imported, job.quarantined) == ("done", 4, 1)
    (q,) = QuarantinedRow.objects.filter(job=job)
    assert q.row_no == 5 and q.reason.startswith("币种EUR在2026-03-23没有可用汇率")
    got = {
        t.txn_id: (t.amount, t.currency, t.original_amount, t.fx_rate, t.balance)
        for t in Transaction.objects.filter(job=job)
    }
    assert got == {
        "F01": (Decimal("-712.34"), "USD", Decimal("-100.00"), Decimal("7.123400"), None),
        "F02": (Decimal("-720.00"), "USD", Decimal("-100.00"), Decimal("7.200000"), Decimal("7200.00")),
        "F03": (Decimal("-303.33"), "HKD", Decimal("-333.33"), Decimal("0.910000"), None),
        "F05": (Decimal("-88.00"), "CNY", None, None, None),
    }
    prof = services.compute_profile(people["judge"], debtor, start=date(2026, 3, 1), end=date(2026, 3, 31))
    t = prof.indicators["totals"]
    assert (Decimal(t["total_out"]), t["foreign_lines"]) == (Decimal("1823.67"), 3)
    assert Decimal(prof.indicators["categories"]["abroad"]["net"]) == Decimal("1735.67")


def test_reimport_after_a_rate_change_is_still_a_duplicate(
    debtor: Any, people: dict[str, Any], generic: Any
) -> None:
    text = HEADER + "2026-03-20 20:00:00,-100.00,DFS,,境外消费,USD,,D01\n"
    first = load(debtor, people["judge"], generic, text.encode())
    services.set_exchange_rate(people["director"], currency="USD", valid_from=date(2026, 3, 1), rate="7.3")
    again = load(debtor, people["judge"], generic, text.encode(), name="again.csv")
    assert (first.imported, again.imported, again.duplicates) == (1, 0, 1)
    dup = Transaction.objects.get(job=again)
    assert (dup.amount, dup.duplicate_of_id) == (Decimal("-730.00"), Transaction.objects.get(job=first).pk)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"currency": "US", "rate": "7.1"}, "currency"),
        ({"currency": "CNY", "rate": "1"}, "currency"),
        ({"currency": "EUR", "rate": "0"}, "rate"),
        ({"currency": "EUR", "rate": "七点八"}, "rate"),
    ],
)
def test_bad_rate_names_the_field_and_changes_nothing(
    people: dict[str, Any], rates: Any, kw: dict[str, str], field: str
) -> None:
    before = (ExchangeRate.objects.count(), AuditRecord.objects.count())
    with pytest.raises(ServiceError) as e:
        services.set_exchange_rate(people["director"], valid_from=date(2026, 1, 1), **kw)
    assert e.value.field == field
    assert (ExchangeRate.objects.count(), AuditRecord.objects.count()) == before


def test_setting_a_rate_is_audited_and_corrects_the_same_day(people: dict[str, Any], rates: Any) -> None:
    r = services.set_exchange_rate(
        people["director"], currency="eur", valid_from=date(2026, 1, 1), rate="7.81", note="中间价"
    )
    r2 = services.set_exchange_rate(
        people["director"], currency="EUR", valid_from=date(2026, 1, 1), rate="7.8"
    )
    assert r2.pk == r.pk and r2.rate == Decimal("7.800000")
    rec = AuditRecord.objects.filter(action="analytics.rate.set").order_by("-id").first()
    assert rec is not None and rec.before["rate"] == "7.810000" and rec.after["rate"] == "7.800000"


def test_admin_edits_the_rate_table_with_audit_and_field_errors(admin_client: Any) -> None:
    url = "/admin/analytics/exchangerate/add/"
    bad = admin_client.post(url, {"currency": "CNY", "valid_from": "2026-01-01", "rate": "1", "note": ""})
    assert bad.status_code == 200 and "人民币无需设置汇率" in bad.content.decode()
    assert not ExchangeRate.objects.exists()
    r = admin_client.post(
        url, {"currency": "EUR", "valid_from": "2026-01-01", "rate": "7.8123", "note": "中间价"}
    )
    assert r.status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.valid_from, rate.rate) == ("EUR", date(2026, 1, 1), Decimal("7.812300"))
    rec = AuditRecord.objects.filter(action="admin.add", object_type="analytics.ExchangeRate").get()
    assert rec.after["rate"] == "7.8123"  # as entered in the form


def test_the_rows_api_gives_the_original_amount_beside_the_yuan(
    debtor: Any, people: dict[str, Any], generic: Any, client: Any
) -> None:
    """`amount` is always yuan; a foreign line also carries its own amount and the rate it was taken at."""
    load(debtor, people["judge"], generic, FOREIGN.encode(), mode="quarantine")
    client.force_login(people["judge"])
    url = f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/transactions"
    items = {i["row_no"]: i for i in client.get(url).json()["items"]}
    usd, cny = items[2], items[6]
    assert (usd["amount"], usd["currency"], usd["original_amount"], usd["fx_rate"]) == (
        "-712.34",
        "USD",
        "-100.00",
        "7.123400",
    )
    assert (cny["amount"], cny["currency"], cny["original_amount"], cny["fx_rate"]) == (
        "-88.00",
        "CNY",
        None,
        None,
    )
