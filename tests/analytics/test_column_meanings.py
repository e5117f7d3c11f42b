"""Suggesting, for the nearest layout, the file's columns it lacks (`column_meanings`, `detection`), and the
preview applying them on request (pages and API): exports of institutions no layout was written for."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.analytics import column_meanings, detection, preview
from zhixing.analytics.models import ImportJob, StatementPreset, Transaction
from zhixing.analytics.presets import BUILTIN
from zhixing.analytics.samples import DATA as UNKNOWN

TODAY = date(2026, 12, 3)

# Exports written for these tests, in the shapes other banks use (no layout names these columns).
SIGNED = (  # one signed amount column, a date and a time column (as 建设银行 exports)
    "交易日期,交易时间,摘要,交易金额,账户余额,对方户名,对方账号,交易渠道\n"
    "20240105,093012,工资,+8000.00,9000.00,深圳某某科技有限公司,6222000011112222,网银\n"
    "20240106,120000,消费,-35.50,8964.50,美团,,POS\n"
).encode()
FLAGGED = (  # an unsigned amount and a 借/贷 flag column
    "交易时间,交易流水号,对方户名,借贷标志,交易金额,摘要\n"
    "2024-01-05 09:30:12,A001,深圳某某科技有限公司,贷,8000.00,工资\n"
    "2024-01-06 12:00:00,A002,美团,借,35.50,消费\n"
).encode()
DEBIT_CREDIT = (  # debit and credit columns (借方发生额 is money out of the account)
    "交易日期,摘要,借方发生额,贷方发生额,余额,对方户名\n"
    "2024-01-05,工资,,8000.00,9000.00,深圳某某科技有限公司\n"
    "2024-01-06,消费,35.50,,8964.50,美团\n"
).encode()
EXPECTED_ROWS = [("in", "8000.00", "深圳某某科技有限公司"), ("out", "-35.50", "美团")]


@pytest.fixture
def layouts() -> list[Any]:
    return [StatementPreset(pk=i, code=c, builtin=True, **f) for i, (c, f) in enumerate(BUILTIN.items(), 1)]


def _rows(data: bytes, proposal: Any) -> list[tuple[str, str, str]]:
    pv = preview.build(
        data, preview.adapted(proposal.preset, {**proposal.adjustments, **proposal.suggestions}), today=TODAY
    )
    assert (pv.file_error, pv.errors, pv.warnings) == ("", 0, [])
    return [(r.direction, str(r.amount), r.counterparty) for r in pv.rows]


# -- pure --------------------------------------------------------------------------------------------


def test_suggest_takes_the_first_name_present_and_never_one_column_twice() -> None:
    columns = {
        "date_column": "记账日期",
        "time_column": "记账时间",
        "amount_column": "金额",
        "summary_column": "摘要",
    }
    header = ["交易日期", "交易时间", "摘要", "交易金额", "发生额"]
    assert column_meanings.suggest(columns, header) == {
        "date_column": "交易日期",
        "time_column": "交易时间",
        "amount_column": "交易金额",
    }
    # A lone 交易时间 is the date column (it holds the date and the time), not the time column too.
    assert column_meanings.suggest(columns, ["交易时间", "金额"]) == {"date_column": "交易时间"}
    # Width and spacing do not matter; the file's spelling is what is suggested.
    assert column_meanings.suggest({"counterparty_column": "对手信息"}, ["对方 户名"]) == {
        "counterparty_column": "对方 户名"
    }
    # A column the layout already reads is not offered for another field.
    assert column_meanings.suggest({"summary_column": "摘要", "category_column": "交易类型"}, ["摘要"]) == {}


def test_a_layout_without_a_time_or_currency_column_is_offered_the_files() -> None:
    """A layout that names no time column would read every line at 00:00: the file's 交易时间 is
    offered, but only when its values are clock times; a 币种 column only when its words are currencies."""
    preset = StatementPreset(
        date_column="交易日期", amount_column="交易金额", direction_in="", direction_out=""
    )
    cols = {"date_column": "交易日期", "amount_column": "交易金额"}
    header = ["交易日期", "交易时间", "交易金额", "币种", "对方账号", "交易流水号"]
    records = [
        ["2024-01-05", "09:30:12", "100.00", "人民币", "6222000011112222", "A1"],
        ["2024-01-05", "93015", "-5.00", "USD", "", "A2"],
    ]
    assert column_meanings.for_layout(preset, cols, records, header) == {
        "time_column": "交易时间",
        "currency_column": "币种",
        "counterparty_account_column": "对方账号",
        "txn_id_column": "交易流水号",
    }
    odd = [["2024-01-05", "上午", "100.00", "钱", "", ""]]
    assert column_meanings.for_layout(preset, cols, odd, header) == {}
    # A field the layout names keeps its own column.
    named = {**cols, "time_column": "交易时间"}
    assert "time_column" not in column_meanings.for_layout(preset, named, records, header)


@pytest.mark.parametrize(
    ("values", "words"),
    [
        (["贷", "借", "借"], ("贷", "借", "")),
        (["转入", "转出", "/"], ("转入", "转出", "/")),
        (["ＣＲ", "DR"], ("ＣＲ", "DR", "")),  # full width, as written
        (["收入", "支出", "不计收支", ""], ("收入", "支出", "不计收支")),
        (["貸", "借"], ("貸", "借", "")),  # traditional
        (["Credit", "DEBIT"], ("Credit", "DEBIT", "")),
        (["借", "借"], None),  # one direction only: which word is income is not known
        (["贷", "借", "冲正"], None),  # a word of no pair: left to the user
    ],
)
def test_direction_words(values: list[str], words: tuple[str, str, str] | None) -> None:
    assert column_meanings.direction_words(values) == words


# -- detection ---------------------------------------------------------------------------------------


def test_a_signed_export_gets_the_columns_the_nearest_layout_lacks(layouts: list[Any]) -> None:
    ranked = detection.propose(SIGNED, layouts)
    top = ranked[0]
    assert (top.usable, top.covered, top.reading) == (False, True, 1.0)
    assert _rows(SIGNED, top) == EXPECTED_ROWS
    cmb = next(p for p in ranked if p.preset.code == "cmb")
    assert (cmb.score, cmb.missing) == (33, ["记账日期", "对手信息"])
    assert {k: v for k, v in cmb.suggestions.items() if v} == {
        "date_column": "交易日期",
        "counterparty_column": "对方户名",
        "summary_column": "摘要",
        "balance_column": "账户余额",
        # not named by the layout, offered because the file has them (`column_meanings.FILLED`)
        "time_column": "交易时间",
        "counterparty_account_column": "对方账号",
    }
    assert _rows(SIGNED, cmb) == EXPECTED_ROWS
    # No name of the 中国银行 layout is in the file: its header is found by what its columns mean.
    boc = next(p for p in ranked if p.preset.code == "boc")
    assert (boc.header_row, boc.covered, boc.adjustments) == (1, True, {"header_marker": "交易日期"})
    assert boc.suggestions["time_column"] == "交易时间" and _rows(SIGNED, boc) == EXPECTED_ROWS
    # Covered layouts rank before the others; among them the ones that read the file's first lines.
    flags = [p.covered for p in ranked]
    assert flags == sorted(flags, reverse=True)


def test_a_flag_column_gets_its_words_and_a_sign_only_layout_is_not_offered(layouts: list[Any]) -> None:
    ranked = detection.propose(FLAGGED, layouts)
    top = ranked[0]
    assert (top.covered, top.reading) == (True, 1.0)
    assert _rows(FLAGGED, top) == EXPECTED_ROWS
    wechat = next(p for p in ranked if p.preset.code == "wechat")
    assert {k: v for k, v in wechat.suggestions.items() if v} == {
        "amount_column": "交易金额",
        "direction_column": "借贷标志",
        "counterparty_column": "对方户名",
        "txn_id_column": "交易流水号",
        "summary_column": "摘要",
        "direction_in": "贷",
        "direction_out": "借",
    }
    assert _rows(FLAGGED, wechat) == EXPECTED_ROWS
    # The 招商银行 layout reads the direction from the sign (借 35.50 would be income): it is given the
    # file's direction column and its words.
    cmb = next(p for p in ranked if p.preset.code == "cmb")
    assert (cmb.suggestions["direction_column"], cmb.suggestions["direction_in"]) == ("借贷标志", "贷")
    assert _rows(FLAGGED, cmb) == EXPECTED_ROWS


def test_debit_and_credit_columns_become_spending_and_income(layouts: list[Any]) -> None:
    top = detection.propose(DEBIT_CREDIT, layouts)[0]
    assert (top.covered, top.reading) == (True, 1.0)
    assert (top.suggestions["in_column"], top.suggestions["out_column"]) == ("贷方发生额", "借方发生额")
    assert _rows(DEBIT_CREDIT, top) == EXPECTED_ROWS


@pytest.mark.parametrize(
    "header",
    [
        "Transaction Date,Description,Withdrawals,Deposits,Balance,Payee",  # an overseas bank, in English
        "交易日期,摘要,提取金額,存入金額,結餘,對方戶名",  # traditional characters
    ],
)
def test_english_and_traditional_headers(layouts: list[Any], header: str) -> None:
    data = (
        f"{header}\n2024-01-05,工资,,8000.00,9000.00,深圳某某科技有限公司\n2024-01-06,消费,35.50,,8964.50,美团\n"
    ).encode()
    top = detection.propose(data, layouts)[0]
    names = header.split(",")
    assert (top.covered, top.reading) == (True, 1.0)
    read = preview.adapted(top.preset, {**top.adjustments, **top.suggestions})
    fields = ("date_column", "in_column", "out_column", "counterparty_column")
    assert [getattr(read, f) for f in fields] == [names[0], names[3], names[2], names[5]]
    assert _rows(data, top) == EXPECTED_ROWS


def test_the_real_exports_need_no_suggestion(layouts: list[Any]) -> None:
    from .conftest import REAL

    if not REAL.exists():
        pytest.skip(f"the real samples are not here: {REAL}")
    for name in (
        "alipay.csv",
        "wechat.csv",
        "icbc-debit.csv",
        "cmb-debit.csv",
        "abc-debit.csv",
        "boc-debit.csv",
    ):
        top = detection.propose((REAL / name).read_bytes(), layouts)[0]
        assert (top.usable, top.suggestions) == (True, {}), name


# -- the preview page and the API ----------------------------------------------------------------------


def _client(people: dict[str, Any], role: str) -> Client:
    c = Client()
    c.force_login(people[role])
    return c


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_page_offers_the_suggestions_and_applies_them_on_request(
    debtor: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    c = _client(people, "judge")
    case_id, party_id = debtor.case.pk, debtor.party.pk
    resp = c.post(
        reverse("analytics:preview_upload", args=[case_id, party_id]),
        {"file": _upload("建行.csv", DEBIT_CREDIT)},
    )
    page = c.get(resp["Location"])
    html = page.content.decode()
    assert page.context["draft"].preset.code == "icbc" and 'id="file-error"' in html
    assert (
        "收入金额列“贷方发生额”；支出金额列“借方发生额”；交易场所/附言列（文件中没有，不读取）"
        in html.replace("\n", "")
    )
    token, icbc = page.context["draft"].token, page.context["draft"].preset
    applied = c.get(
        reverse("analytics:preview", args=[case_id, party_id]),
        {"token": token, "preset": icbc.pk, "suggest": "1"},
    )
    html = applied.content.decode()
    assert "共 2 行，可导入 2 行，有问题 0 行" in html and 'id="layout-suggestions"' not in html
    edits = json.loads(applied.context["edits_json"])
    # The columns the layout names and the file lacks are emptied (not read), so they are not required.
    assert edits == {
        "in_column": "贷方发生额",
        "out_column": "借方发生额",
        "merchant_column": "",
        "currency_column": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        done = c.post(
            reverse("analytics:preview_confirm", args=[case_id, party_id]),
            {
                "token": token,
                "preset": icbc.pk,
                "edits": applied.context["edits_json"],
                "mode": "strict",
                "copy_name": "建行明细",
            },
        )
    assert done.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "done" and (job.preset.name, job.preset.in_column, job.preset.out_column) == (
        "建行明细",
        "贷方发生额",
        "借方发生额",
    )
    rows = Transaction.objects.filter(job=job).order_by("row_no")
    assert [(t.direction, str(t.amount)) for t in rows] == [("in", "8000.00"), ("out", "-35.50")]


def test_the_sample_export_keeps_its_fix_one_field_story(debtor: Any, people: dict[str, Any]) -> None:
    """The demo sample still needs its one field fixed; the suggestion names the field and the column."""
    c = _client(people, "judge")
    resp = c.post(
        reverse("analytics:preview_upload", args=[debtor.case.pk, debtor.party.pk]),
        {"file": _upload("招行.csv", UNKNOWN)},
    )
    draft = c.get(resp["Location"]).context["draft"]
    assert draft.changes == {"encoding": "gbk", "header_row": 3}
    assert draft.suggestions == {"counterparty_column": "对方户名"}


def test_api_returns_suggestions_and_applies_them_on_request(debtor: Any, people: dict[str, Any]) -> None:
    c = _client(people, "judge")
    base = f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/previews"
    body = c.post(base, {"file": _upload("流水.csv", FLAGGED)}).json()
    top = body["proposals"][0]
    assert (top["covered"], top["suggestions"]["direction_in"]) == (True, "贷")
    assert body["preview"]["file_error"] != ""
    reviewed = c.post(
        f"{base}/review",
        {"token": body["token"], "preset": body["preset"], "suggestions": True},
        content_type="application/json",
    ).json()
    assert reviewed["changes"] == top["suggestions"]
    assert [(r["direction"], r["amount"]) for r in reviewed["preview"]["rows"]] == [
        ("in", "8000.00"),
        ("out", "-35.50"),
    ]


def test_a_flag_column_with_codes_keeps_sign_only_layouts_out(layouts: list[Any]) -> None:
    """An Excel export whose 借贷标志 holds codes (1/2): no words to suggest, but a layout reading the
    sign alone would take every line as income; the direction layouts rank first, the user sets 1/2."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["交易时间", "交易流水号", "对方户名", "借贷标志", "交易金额", "摘要"])
    # Summaries that say nothing of the direction: only the codes do.
    ws.append(["2024-01-05 09:30:12", "A001", "深圳某某科技有限公司", 1, 8000.0, "业务甲"])
    ws.append(["2024-01-06 12:00:00", "A002", "美团", 2, 35.5, "业务乙"])
    out = io.BytesIO()
    wb.save(out)
    ranked = detection.propose(out.getvalue(), layouts)
    assert ranked[0].covered and ranked[0].suggestions["direction_column"] == "借贷标志"
    assert "direction_in" not in ranked[0].suggestions
    cmb = next(p for p in ranked if p.preset.code == "cmb")
    assert cmb.covered is False
    assert "文件的“借贷标志”列标明收支，该版式按金额正负判断，不读取该列" in cmb.reasons
