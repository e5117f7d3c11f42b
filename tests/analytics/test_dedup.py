"""Duplicate decisions (dedup.py) at their edges, and through a real import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from zhixing.analytics import dedup
from zhixing.analytics.models import Transaction

from .conftest import FIXTURES, load


@dataclass
class L:
    row_no: int
    occurred_at: datetime
    amount: Decimal
    txn_id: str = ""
    counterparty: str = "某商户"
    direction: str = "in"
    currency: str = "CNY"
    original_amount: Decimal | None = None


NOON = datetime(2026, 3, 5, 12, 0, 0)


def refund(row: int, at: datetime = NOON, txn: str = "") -> L:
    return L(row, at, Decimal("50.00"), txn)


def test_two_identical_lines_without_an_id_are_two_transactions() -> None:
    got = dedup.decide([refund(2), refund(3)], {})
    assert [(d.decision, d.ordinal, d.of_row) for d in got] == [("", 1, None), ("distinct", 2, 2)]
    assert "按另一笔真实交易计入" in got[1].reason


def test_same_id_and_same_time_is_one_transaction_listed_twice() -> None:
    got = dedup.decide([refund(2, txn="T1"), refund(3, txn="T1")], {})
    assert [(d.decision, d.of_row) for d in got] == [("", None), ("duplicate", 2)]
    assert "交易流水号" in got[1].reason


def test_same_id_one_second_apart_is_two_transactions_with_a_note() -> None:
    lines = [refund(2, txn="T1"), refund(3, NOON.replace(second=1), txn="T1")]
    got = dedup.decide(lines, {})
    assert [d.decision for d in got] == ["", ""]
    assert dedup.id_reuse_notes(lines, got) == [
        {"row": 3, "reason": "交易流水号 T1 与其他行相同但时间或内容不同，按不同交易处理", "level": "info"}
    ]


def test_a_different_counterparty_amount_or_direction_is_not_identical() -> None:
    lines = [refund(2), L(3, NOON, Decimal("50.00"), counterparty="他人"), L(4, NOON, Decimal("50.01"))]
    lines.append(L(5, NOON, Decimal("50.00"), direction="out"))
    assert [d.decision for d in dedup.decide(lines, {})] == ["", "", "", ""]


def test_across_imports_the_ordinal_decides() -> None:
    first = dedup.decide([refund(2), refund(3)], {})
    stored = {d.key: dedup.Stored(100 + i, 7, d.row_no) for i, d in enumerate(first)}
    # the overlapping file lists the same two refunds and a third one: two duplicates, one new line
    again = dedup.decide([refund(10), refund(11), refund(12)], stored)
    assert [(d.decision, d.of_pk, d.of_job, d.of_row) for d in again] == [
        ("duplicate", 100, 7, 2),
        ("duplicate", 101, 7, 3),
        ("distinct", None, None, 10),
    ]
    assert again[1].reason == (
        "与已导入的导入#7第3行相同（本文件同样内容的第2笔），系重叠文件中的同一笔交易，保存但不计入指标"
    )


def test_a_foreign_line_keys_on_the_statement_amount() -> None:
    a = L(2, NOON, Decimal("-712.34"), original_amount=Decimal("-100.00"), currency="USD", direction="out")
    b = L(2, NOON, Decimal("-720.00"), original_amount=Decimal("-100.00"), currency="USD", direction="out")
    assert dedup.line_content(a) == dedup.line_content(b)
    c = L(2, NOON, Decimal("-100.00"), currency="CNY", direction="out")
    assert dedup.line_content(a) != dedup.line_content(c)


def test_import_keeps_every_decision_on_the_job(debtor: Any, people: dict[str, Any], presets: Any) -> None:
    data = (FIXTURES / "cmb_sample.csv").read_text()
    doubled = data + data.splitlines()[2] + "\n"  # the 王某 transfer twice, no transaction id
    job = load(debtor, people["judge"], presets["cmb"], doubled.encode())
    assert (job.imported, job.duplicates) == (5, 0)
    assert [(d["row"], d["decision"], d["of_row"]) for d in job.dedup_decisions] == [(6, "distinct", 3)]
    assert Transaction.objects.get(job=job, row_no=6).occurrence == 2
    # an overlapping file: the first three lines again → duplicates of the stored ones, by ordinal
    again = load(debtor, people["judge"], presets["cmb"], doubled.encode())
    assert (again.imported, again.duplicates) == (0, 5)
    first = {t.row_no: t.pk for t in Transaction.objects.filter(job=job)}
    got = {t.row_no: t.duplicate_of_id for t in Transaction.objects.filter(job=again)}
    assert got == {r: first[r] for r in (2, 3, 4, 5, 6)}
    assert all(d["decision"] == "duplicate" and d["of_job"] == job.pk for d in again.dedup_decisions)


def test_job_page_and_api_list_the_decisions(
    client: Any, debtor: Any, people: dict[str, Any], presets: Any
) -> None:
    data = (FIXTURES / "cmb_sample.csv").read_text()
    job = load(debtor, people["judge"], presets["cmb"], (data + data.splitlines()[2] + "\n").encode())
    client.force_login(people["judge"])
    page = client.get(f"/analytics/jobs/{job.pk}/").content.decode()
    assert "重复判定（1）" in page and "另计一笔" in page
    body = client.get(f"/api/v1/analytics/jobs/{job.pk}").json()
    assert body["dedup_decisions"][0]["decision"] == "distinct"
