"""Exports without a header line (`headerless_fit`, `detection`): the columns told apart by content.

The files are written for these tests in shapes institutions use (never copies of one): an overseas
account export of date, description, withdrawal, deposit and balance, newest line last or first; a
mainland account with a title line, date and time in one cell, one signed amount, balance and currency;
income and spending columns with no balance, told apart by the lines' words; a card's signed amounts
whose balance shows a positive amount is spending. A file whose first line names its columns is never
described as headerless.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from zhixing.analytics import detection, headerless_fit, preview
from zhixing.analytics.models import StatementPreset
from zhixing.analytics.presets import BUILTIN

from .layout_helpers import upload_apply_confirm

TODAY = date(2026, 12, 3)


@pytest.fixture
def layouts() -> list[Any]:
    return [StatementPreset(pk=i, code=c, builtin=True, **f) for i, (c, f) in enumerate(BUILTIN.items(), 1)]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _read(data: bytes, layouts: list[Any]) -> tuple[Any, list[tuple[str, str, str]], Any]:
    """The top proposal and the rows read with its suggestions (date, direction, amount)."""
    top = detection.propose(data, layouts)[0]
    assert top.header_row > 0 and top.covered and top.suggestions.get("headerless"), top.reasons
    pv = preview.build(data, preview.adapted(top.preset, {**top.adjustments, **top.suggestions}), today=TODAY)
    rows = [
        (f"{r.occurred_at:%Y-%m-%d}" if r.occurred_at else r.error, r.direction, str(r.amount))
        for r in pv.rows
    ]
    return top, rows, pv


def _fitted_layout(top: Any) -> dict[str, Any]:
    """The layout's fields as the suggestion leaves them (a suggestion names only what changes)."""
    return {
        f.name: top.suggestions.get(f.name, getattr(top.preset, f.name)) for f in StatementPreset._meta.fields
    }


# Oldest line first: each balance is the one before minus the withdrawal or plus the deposit.
OVERSEAS = (
    "04/28/2024,GROCERY MART #12,45.10,,954.90\n"
    "04/29/2024,PAYROLL DEPOSIT ACME,,1200.00,2154.90\n"
    "05/02/2024,E-TRANSFER SENT ***a1,300.00,,1854.90\n"
    "05/13/2024,COFFEE HOUSE 0042,4.25,,1850.65\n"
    "\n"
)


def test_an_overseas_export_without_header_is_described_by_its_content(layouts: list[Any]) -> None:
    top, rows, pv = _read(OVERSEAS.encode(), layouts)
    s = _fitted_layout(top)
    assert (s["header_row"], s["date_column"], s["date_format"]) == (0, "1", "MM/DD/YYYY")
    assert (s["out_column"], s["in_column"], s["balance_column"], s["summary_column"]) == ("3", "4", "5", "2")
    assert (s["amount_column"], s["counterparty_column"], s["time_column"]) == ("", "", "")
    assert "收入、支出两列按余额区分" in top.reasons
    assert rows == [
        ("2024-04-28", "out", "-45.10"),
        ("2024-04-29", "in", "1200.00"),
        ("2024-05-02", "out", "-300.00"),
        ("2024-05-13", "out", "-4.25"),
    ]
    assert (pv.errors, pv.file_error) == (0, "")


def test_newest_first_the_balance_still_tells_income_from_spending() -> None:
    # The deposit column comes first here; the newest line first: the balance before a line is below it.
    text = (
        "13/05/2024,COFFEE HOUSE 0042,,4.25,1850.65\n"
        "02/05/2024,E-TRANSFER SENT,,300.00,1854.90\n"
        "29/04/2024,PAYROLL DEPOSIT,1200.00,,2154.90\n"
        "28/04/2024,GROCERY MART,,45.10,954.90\n"
    )
    fitted = headerless_fit.fit(_rows(text))
    assert fitted is not None
    c = fitted.changes
    assert (c["in_column"], c["out_column"], c["balance_column"]) == ("3", "4", "5")
    assert c["date_format"] == "DD/MM/YYYY"


def test_a_mainland_export_with_a_title_line_and_one_signed_amount(layouts: list[Any]) -> None:
    text = (
        "账户明细 账号 6222 **** 1234\n"
        "2024-01-05 09:12:00,代发工资 示例公司,8000.00,12000.00,人民币\n"
        "2024-01-06 10:00:00,消费 示例超市,-120.50,11879.50,人民币\n"
        "2024-01-07 11:30:05,转账 张三,-500.00,11379.50,人民币\n"
    )
    top, rows, pv = _read(text.encode(), layouts)
    s = _fitted_layout(top)
    assert (s["header_row"], s["date_column"], s["amount_column"], s["balance_column"]) == (1, "1", "3", "4")
    assert (s["currency_column"], s["summary_column"], s["amount_sign"]) == ("5", "2", "in_positive")
    assert rows == [
        ("2024-01-05", "in", "8000.00"),
        ("2024-01-06", "out", "-120.50"),
        ("2024-01-07", "out", "-500.00"),
    ]
    assert pv.errors == 0


def test_a_card_whose_balance_falls_by_each_positive_amount_reads_them_as_spending() -> None:
    text = (
        "2024-03-01,ONLINE STORE,59.90,940.10\n"
        "2024-03-02,RESTAURANT,120.00,820.10\n"
        "2024-03-05,PAYMENT THANK YOU,-500.00,1320.10\n"
    )
    fitted = headerless_fit.fit(_rows(text))
    assert fitted is not None
    assert (fitted.changes["amount_column"], fitted.changes["amount_sign"]) == ("3", "out_positive")
    assert "金额正负按余额判断：正数为支出" in fitted.reasons


def test_without_a_balance_the_lines_words_tell_income_from_spending() -> None:
    # Income in the third column, spending in the fourth: the salary and the purchases say so.
    text = (
        "2024/02/01,SALARY FEB,5000.00,\n"
        "2024/02/03,PURCHASE BOOKSHOP,,35.00\n"
        "2024/02/04,PURCHASE PHARMACY,,12.80\n"
    )
    fitted = headerless_fit.fit(_rows(text))
    assert fitted is not None
    assert (fitted.changes["in_column"], fitted.changes["out_column"]) == ("3", "4")
    assert "收入、支出两列按摘要中的收支用语区分" in fitted.reasons


def test_with_nothing_to_tell_them_apart_spending_first_is_a_guess_said_as_such() -> None:
    text = "2024/02/01,A,5000.00,\n2024/02/03,B,,35.00\n"
    fitted = headerless_fit.fit(_rows(text))
    assert fitted is not None
    assert (fitted.changes["out_column"], fitted.changes["in_column"]) == ("3", "4")
    assert "收入、支出两列无从区分，按多数流水的列序（先支出后收入）读取，请核对" in fitted.reasons


def test_amounts_marked_debit_or_credit_take_the_way_from_their_marks(layouts: list[Any]) -> None:
    text = (
        "2024-03-01,ATM WITHDRAWAL,500.00 DR,1500.00\n"
        '2024-03-02,SALARY,"3,000.00 CR",4500.00\n'
        "2024-03-03,SUPERMARKET,45.60 DR,4454.40\n"
    )
    top, rows, _ = _read(text.encode(), layouts)
    s = _fitted_layout(top)
    assert (s["amount_column"], s["balance_column"], s["in_column"]) == ("3", "4", "")
    assert "金额带借贷标记（借/贷、DR/CR），按标记判断收支" in top.reasons
    assert rows == [
        ("2024-03-01", "out", "-500.00"),
        ("2024-03-02", "in", "3000.00"),
        ("2024-03-03", "out", "-45.60"),
    ]


def test_dates_without_a_year_take_it_from_the_statement_month_in_the_title(layouts: list[Any]) -> None:
    text = (
        "信用卡对账单 2024年01月\n"
        "12/29,消费 示例超市,56.78\n"
        "12/30,转账还款,-345.67\n"
        "01/02,消费 示例餐厅,8.00\n"
    )
    top, rows, pv = _read(text.encode(), layouts)
    s = _fitted_layout(top)
    assert (s["date_format"], s["amount_sign"], s["header_row"]) == ("MM/DD", "out_positive", 1)
    assert s["period_pattern"]
    assert rows == [
        ("2023-12-29", "out", "-56.78"),
        ("2023-12-30", "in", "345.67"),
        ("2024-01-02", "out", "-8.00"),
    ]
    assert pv.errors == 0


@pytest.mark.parametrize(
    "text",
    [
        # a header of names the layouts do not know: read by its names, never as a record
        "When,What,Out,In,Left\n04/28/2024,GROCERY,45.10,,954.90\n04/29/2024,PAY,,1200.00,2154.90\n",
        # the same with a delimiter ending every record, and with one ending only the header
        "When,What,Out,In,Left\n04/28/2024,GROCERY,45.10,,954.90,\n04/29/2024,PAY,,1200.00,2154.90,\n",
        "When,What,Out,In,Left,\n04/28/2024,GROCERY,45.10,,954.90\n04/29/2024,PAY,,1200.00,2154.90\n",
        # no date on the lines
        "GROCERY,45.10,954.90\nPAY,1200.00,2154.90\n",
        # numbers but no money (reference numbers without decimals)
        "2024-01-01,10023,ABC\n2024-01-02,10024,DEF\n",
        # a single record says too little
        "2024-01-01,GROCERY,45.10,954.90\n",
    ],
)
def test_files_that_are_not_headerless_statements_get_no_description(text: str) -> None:
    assert headerless_fit.fit(_rows(text)) is None


def test_a_file_with_a_header_is_never_proposed_as_headerless(layouts: list[Any]) -> None:
    text = "交易日期,摘要,交易金额,余额\n2024-01-05,工资,8000.00,12000.00\n2024-01-06,消费,-120.50,11879.50\n"
    for proposal in detection.propose(text.encode(), layouts):
        assert not proposal.suggestions.get("headerless"), proposal.preset.code


def test_a_semicolon_file_is_described_with_its_delimiter(layouts: list[Any]) -> None:
    text = OVERSEAS.replace(",", ";")
    top, rows, _ = _read(text.encode(), layouts)
    assert top.suggestions["delimiter"] == ";"
    assert [r[1:] for r in rows] == [
        ("out", "-45.10"),
        ("in", "1200.00"),
        ("out", "-300.00"),
        ("out", "-4.25"),
    ]


@pytest.mark.django_db
def test_a_headerless_export_is_described_on_the_page_and_imported_as_previewed(
    debtor: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Upload → no header found, the content's description offered → applied with one click → confirm:
    the court's copy is saved as a headerless layout and the import stores what the preview showed."""
    from django.test import Client
    from django.utils import timezone

    from zhixing.analytics.models import ImportJob, Transaction

    c = Client()
    c.force_login(people["judge"])
    html, applied, done = upload_apply_confirm(
        c, debtor, OVERSEAS.encode(), "account.csv", "境外银行无表头", django_capture_on_commit_callbacks
    )
    assert "文件没有表头" in html and 'id="apply-suggestions"' in html
    assert "共 4 行，可导入 4 行，有问题 0 行" in applied
    assert "<td>PAYROLL DEPOSIT ACME</td>" in applied  # the description, shown as the summary
    assert done.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.preset.name, job.preset.headerless) == ("done", "境外银行无表头", True)
    stored = [
        (f"{timezone.localtime(t.occurred_at):%Y-%m-%d}", t.direction, str(t.amount), str(t.balance))
        for t in Transaction.objects.filter(job=job).order_by("row_no")
    ]
    assert stored == [
        ("2024-04-28", "out", "-45.10", "954.90"),
        ("2024-04-29", "in", "1200.00", "2154.90"),
        ("2024-05-02", "out", "-300.00", "1854.90"),
        ("2024-05-13", "out", "-4.25", "1850.65"),
    ]
