"""A line that names only a currency sets the currency of the lines after it (issue 16 item 1).

华夏银行's multi-currency account export (`fixtures/hxb_sections_sample.csv`, written for these tests in
its shape, GBK): no currency column; "币种：人民币" before the header, the yuan lines, then
"币种:USD 账号:…" and the dollar lines, then "币种：港币" and the Hong Kong dollar lines. Under a layout
without a currency column each such line is a note (shown with the import) and the lines after it are
in its currency: read, previewed, converted and totalled so, by every reader.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.analytics import columnar_layout, preview, services
from zhixing.analytics.currency_sections import currency_at, section_currency
from zhixing.analytics.models import ImportJob, Transaction
from zhixing.analytics.parsing import read_statement
from zhixing.analytics.services import columnar_rows

from .conftest import FIXTURES, load
from .layout_helpers import layout, read

D = Decimal
HXB = (FIXTURES / "hxb_sections_sample.csv").read_bytes()
HXB_LAYOUT: dict[str, Any] = {
    "name": "华夏银行多币种明细",
    "code": "hxb",
    "institution": "华夏银行",
    "encoding": "gbk",
    "header_row": 0,
    "header_marker": "交易日期",
    "date_column": "交易日期",
    "time_column": "交易时间",
    "amount_column": "交易金额",
    "balance_column": "账户余额",
    "summary_column": "摘要",
    "counterparty_column": "对方户名",
    "counterparty_account_column": "对方账号",
}
# (row, amount as the file has it, currency, kind)
HXB_LINES = [
    (6, "8500.00", "CNY", "normal"),
    (7, "-235.50", "CNY", "normal"),
    (8, "-1200.00", "CNY", "normal"),
    (10, "-500.00", "USD", "normal"),
    (11, "1200.00", "USD", "normal"),
    (13, "-880.00", "HKD", "normal"),
    (14, "300.00", "HKD", "refund"),
]


# -- what such a line is -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("币种：美元", "USD"),
        ("币种: USD", "USD"),
        ("币种:USD 账号:6230****0001", "USD"),
        ("Currency: HKD", "HKD"),
        ("CURRENCY:hkd", "HKD"),
        ("币种 港币", "HKD"),  # the label and the word in two cells
        ("账户币种：欧元", "EUR"),
        ("币种：美元(USD)", "USD"),
        ("币种：美元现汇 户名：张某某", "USD"),
        ("币别：人民币", "CNY"),
        ("币种：SGD", "SGD"),
    ],
)
def test_a_line_naming_only_a_currency(text: str, code: str) -> None:
    assert section_currency(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-03 币种:USD -500.00",  # a record whose summary names a currency
        "币种：全部",  # not a currency
        "Currency: All",  # nor is a capitalised word (a code is written in capitals)
        "交易日期 币种 金额",  # a header
        "美元",  # a currency word without its label
        "币种：美元 2024-02-03",  # something unlabelled after it
        "xCurrency: USD",
    ],
)
def test_lines_that_are_not_a_currency_line(text: str) -> None:
    assert section_currency(text) == ""


def test_the_currency_of_a_row_is_the_last_currency_line_before_it() -> None:
    sections = [(4, "CNY"), (9, "USD"), (12, "HKD")]
    got = [currency_at(sections, r) for r in (3, 5, 8, 10, 12, 13, 99)]
    assert got == ["", "CNY", "CNY", "USD", "USD", "HKD", "HKD"]


# -- reading the file ---------------------------------------------------------------------------------------
def test_each_line_takes_the_currency_of_its_section_and_the_lines_are_notes() -> None:
    preset = layout(**HXB_LAYOUT)
    got = read(HXB, preset)
    assert [(x.row_no, str(x.amount), x.currency, x.kind) for x in got] == HXB_LINES
    statement = read_statement(HXB, preset)
    notes = [(n["row"], n["kind"], n.get("currency"), n["text"]) for n in statement.table.notes]
    assert notes == [
        (1, "preamble", None, "华夏银行个人账户交易明细"),
        (2, "preamble", None, "户名：张某某 账号：6230****0001"),
        (3, "preamble", None, "查询期间：2024-01-01 至 2024-03-31"),
        (4, "section", "CNY", "币种：人民币"),
        (9, "section", "USD", "币种:USD 账号:6230****0001"),
        (12, "section", "HKD", "币种：港币"),
        (15, "footer", None, "共7笔"),
    ]
    assert statement.table.sections == [(4, "CNY"), (9, "USD"), (12, "HKD")]


def test_a_currency_the_amount_names_still_decides_its_line() -> None:
    data = "日期,金额\n币种：美元\n2024-01-02,12.00\n2024-01-03,HKD 50.00\n2024-01-04,¥8.00\n"
    got = read(data, layout(amount_column="金额"))
    assert [(str(x.amount), x.currency) for x in got] == [("12.00", "USD"), ("50.00", "HKD"), ("8.00", "USD")]


def test_with_a_currency_column_the_column_decides_and_the_line_stays_a_row_error() -> None:
    """A layout with a currency column reads each line's own currency; a currency line is then not
    taken for one (as before)."""
    data = "日期,金额,币种\n币种：美元,,\n2024-01-02,12.00,人民币\n"
    preset = layout(amount_column="金额", currency_column="币种")
    statement = read_statement(data.encode(), preset)
    assert statement.table.sections == []
    got = list(statement.lines(preset))
    assert got[0][2] is None and "日期" in got[0][3]
    assert got[1][2] is not None and got[1][2].currency == "CNY"


def test_a_total_naming_a_currency_is_not_a_currency_line() -> None:
    """ "币种：美元 合计：12.00" sums a section: it does not start one (and, not starting with a summary
    word, stays the row error it was)."""
    data = "日期,金额\n币种：港币\n2024-01-02,12.00\n币种：美元 合计：12.00\n2024-01-03,5.00\n"
    preset = layout(amount_column="金额")
    statement = read_statement(data.encode(), preset)
    assert statement.table.sections == [(2, "HKD")]
    got = [
        (row_no, line.currency if line else error[:6]) for row_no, _, line, error in statement.lines(preset)
    ]
    assert got == [(3, "HKD"), (4, "“日期”不是"), (5, "HKD")]


def test_the_fast_readers_read_the_default_currency_lines_and_leave_the_others_per_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The yuan lines go through the compiled and column-wise readers, the foreign ones per line; the
    autouse check in conftest asserts each line is the per-line reader's, and the whole file is read
    three ways here."""
    monkeypatch.setattr(columnar_layout, "MIN_ROWS", 0)
    preset = layout(**HXB_LAYOUT)
    statement = read_statement(HXB, preset)
    lines = [(row_no, line) for row_no, _, line, _ in statement.lines(preset, columnar=True)]
    assert [(r, x.currency) for r, x in lines if x is not None] == [(r, c) for r, _, c, _ in HXB_LINES]


def test_the_column_wise_import_declines_a_file_with_foreign_currency_lines(
    people: dict[str, Any], presets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(columnar_layout, "MIN_ROWS", 0)
    preset = services.save_preset(people["judge"], HXB_LAYOUT)
    assert columnar_rows.stage(read_statement(HXB, preset), preset, lambda line: line) is None
    yuan_only = HXB.decode("gbk").split("币种:USD")[0].encode("gbk")  # the yuan section alone
    staged = columnar_rows.stage(read_statement(yuan_only, preset), preset, lambda line: line)
    assert staged is not None and staged.good == 3
    staged.close()


# -- the preview shows each row's currency ------------------------------------------------------------------
def test_the_preview_shows_each_rows_currency_and_the_currency_lines() -> None:
    result = preview.build(HXB, layout(**HXB_LAYOUT), today=date(2024, 6, 1))
    assert (result.total, result.valid, result.errors) == (7, 7, 0)
    assert [(r.row_no, str(r.amount), r.currency) for r in result.rows] == [
        (r, a, c) for r, a, c, _ in HXB_LINES
    ]
    assert [(r, c) for r, c, _ in result.sections] == [(4, "CNY"), (9, "USD"), (12, "HKD")]


def _client(people: dict[str, Any]) -> Client:
    c = Client()
    c.force_login(people["judge"])
    return c


def test_the_preview_page_and_api_show_the_currency_per_row(
    debtor: Any, people: dict[str, Any], presets: Any
) -> None:
    own = services.save_preset(people["judge"], HXB_LAYOUT)
    c = _client(people)
    url = f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/previews"
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = c.post(url, {"file": SimpleUploadedFile("hxb.csv", HXB, content_type="text/csv")})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["preset"] == own.code
    rows = body["preview"]["rows"]
    assert [(x["row"], x["amount"], x["currency"]) for x in rows] == [(r, a, c) for r, a, c, _ in HXB_LINES]
    assert [s["currency"] for s in body["preview"]["sections"]] == ["CNY", "USD", "HKD"]
    page = c.get(
        reverse("analytics:preview", args=[debtor.case.pk, debtor.party.pk]),
        {"token": body["token"], "preset": own.pk},
    ).content.decode()
    assert (
        "<th>币种</th>" in page
        and '<td class="currency">USD</td>' in page
        and 'id="preview-sections"' in page
    )
    assert "第9行“币种:USD 账号:6230****0001”→ USD" in page


# -- imported end to end ------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["strict", "quarantine"])
def test_the_multi_currency_export_imports_with_exact_totals_per_currency(
    debtor: Any, people: dict[str, Any], presets: Any, mode: str
) -> None:
    preset = services.save_preset(people["judge"], HXB_LAYOUT)
    job = services.create_import(
        people["judge"], debtor, kind="statement", file_name="hxb.csv", data=HXB, preset=preset, mode=mode
    )
    job = services.run_import(job.pk)
    assert (job.status, job.imported, job.quarantined, job.errors) == ("done", 7, 0, [])
    totals: dict[str, list[Decimal]] = {}
    for t in Transaction.objects.filter(job=job):
        original = t.original_amount if t.original_amount is not None else t.amount
        got = totals.setdefault(t.currency, [D(0), D(0), D(0), D(0)])
        side = 0 if t.direction == "in" else 1
        got[side] += original
        got[side + 2] += t.amount
    # currency: [income, spending as on the statement, income, spending in yuan] (USD 7.1234, HKD 0.91)
    assert totals == {
        "CNY": [D("8500.00"), D("-1435.50"), D("8500.00"), D("-1435.50")],
        "USD": [D("1200.00"), D("-500.00"), D("8548.08"), D("-3561.70")],
        "HKD": [D("300.00"), D("-880.00"), D("273.00"), D("-800.80")],
    }
    sections = [(n["row"], n["currency"]) for n in job.notes if n["kind"] == "section"]
    assert sections == [(4, "CNY"), (9, "USD"), (12, "HKD")]


def test_the_job_page_lists_the_currency_lines(debtor: Any, people: dict[str, Any], presets: Any) -> None:
    preset = services.save_preset(people["judge"], HXB_LAYOUT)
    job = load(debtor, people["judge"], preset, HXB)
    html = _client(people).get(reverse("analytics:job", args=[job.pk])).content.decode()
    assert "第9行（币种行，其后各行按USD读取）：币种:USD 账号:6230****0001" in html


def test_without_a_rate_for_a_sections_currency_the_row_is_named(
    debtor: Any, people: dict[str, Any], presets: Any
) -> None:
    data = HXB.decode("gbk").replace("币种：港币", "币种：欧元").encode("gbk")  # no EUR rate
    preset = services.save_preset(people["judge"], HXB_LAYOUT)
    job = load(debtor, people["judge"], preset, data)
    assert job.status == ImportJob.Status.REJECTED
    assert [e["row"] for e in job.errors] == [13, 14] and "EUR" in job.errors[0]["reason"]
