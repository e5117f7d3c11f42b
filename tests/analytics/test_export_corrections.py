"""The evidence CSV and the Word report carry the user's corrections, with the imported values beside them."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.analytics import report, services
from zhixing.analytics.effective import amount_text, effective, was_text
from zhixing.analytics.models import Transaction, TransactionCorrection
from zhixing.analytics.services import corrections

from .conftest import FIXTURES, load


def test_effective_values_of_a_line_with_and_without_correction() -> None:
    tx = Transaction(amount=Decimal("12000.00"), direction="in", counterparty="某公司", category="")
    plain = effective(tx)
    assert (plain.amount, plain.corrected, plain.was_amount) == (Decimal("12000.00"), False, None)
    assert amount_text(plain, "CNY") == "12000.00 CNY"
    tx.correction = TransactionCorrection(
        direction="neutral",
        amount=Decimal("9500.00"),
        counterparty="某公司",
        category="报销",
        excluded=True,
        reason="含报销",
    )
    got = effective(tx)
    assert (got.amount, got.direction, got.was_amount, got.was_direction) == (
        Decimal("9500.00"),
        "neutral",
        Decimal("12000.00"),
        "in",
    )
    assert (got.was_counterparty, got.was_category, got.reason) == (None, "", "含报销")
    assert amount_text(got, "CNY") == "9500.00 CNY（已更正，原为 12000.00；原为收入；不计入指标）"
    assert was_text(got.counterparty, got.was_counterparty) == "某公司"
    assert was_text(got.category, got.was_category) == "报销（原为 空）"


@pytest.fixture
def corrected(
    debtor: Any, people: dict[str, Any], presets: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> tuple[Any, Transaction]:
    """A profile, and one of its evidence lines corrected after the profile was computed."""
    load(debtor, people["judge"], presets["alipay"], (FIXTURES / "alipay_sample.csv").read_bytes())
    prof = services.compute_profile(
        people["judge"],
        debtor,
        start=date(2024, 1, 1),
        end=date(2024, 3, 31),
        restrictions=[(date(2024, 1, 1), None)],
    )
    finding = next(f for f in prof.findings if f["rule"] == "restriction_violation")
    tx = Transaction.objects.get(pk=finding["evidence"][0])
    with django_capture_on_commit_callbacks(execute=True):
        corrections.correct_transaction(
            people["clerk"],
            tx,
            direction="out",
            amount="100",
            counterparty="某航空代理",
            category=tx.category,
            excluded=False,
            reason="票款含他人机票",
        )
    return prof, tx


def test_evidence_csv_has_the_corrected_values_and_the_original(
    corrected: tuple[Any, Transaction], people: dict[str, Any]
) -> None:
    prof, tx = corrected
    c = Client()
    c.force_login(people["judge"])
    r = c.get(reverse("analytics:bundle", args=[prof.pk]))
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == report.BUNDLE_HEADER
    at = rows[0].index
    line = next(row for row in rows[1:] if row[at("文件行号")] == str(tx.row_no))
    assert (line[at("金额")], line[at("交易对方")], line[at("更正理由")], line[at("不计入指标")]) == (
        "-100.00",
        "某航空代理",
        "票款含他人机票",
        "",
    )
    assert (line[at("原金额")], line[at("原收支")], line[at("原交易对方")], line[at("原分类")]) == (
        str(tx.amount),
        "",
        tx.counterparty,
        "",
    )


def test_word_report_has_the_corrected_values_and_the_original(
    corrected: tuple[Any, Transaction], people: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    """The stored report (documents capability, kind ability_report) lists the corrected line as counted,
    with what the file said."""
    from docx import Document

    from zhixing.documents import queries as document_queries
    from zhixing.documents import services as document_services

    settings.MEDIA_ROOT = tmp_path / "media"
    prof, tx = corrected
    stored = document_services.generate(people["judge"], prof.party.case, "ability_report", str(prof.pk))
    doc = Document(io.BytesIO(document_queries.content(stored)))
    cells = [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]
    line = next(row for row in cells if len(row) == 5 and row[2].startswith("-100.00"))
    assert line[2:4] == [f"-100.00元（已更正，原为{tx.amount:.2f}）", f"某航空代理（原为 {tx.counterparty}）"]
    texts = "".join(p.text for p in doc.paragraphs)
    assert "标注“已更正”的流水按更正后的内容列示并计入指标，“原为”后是导入文件中的原始内容。" in texts
