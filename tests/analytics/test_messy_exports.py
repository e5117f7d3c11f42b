"""Exports that used to come in wrong without a warning or could not be described (issue 16 #1, #2).

Every file here is written by the test: a decimal comma, debit/credit marks on the amount, a credit card
read with a bank's sign, Excel's tab-separated "Unicode text" and a semicolon-separated export. The real
samples in shared/data/statements are read in place, through the product's upload → preview → import.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.analytics import detection, preview, services
from zhixing.analytics.amounts import parse_amount, parse_marked
from zhixing.analytics.models import Transaction
from zhixing.analytics.parsing import FileError, RowError, read_table
from zhixing.analytics.services import previews

from .conftest import FIXTURES, REAL
from .layout_helpers import errors, layout, read

D = Decimal
TODAY = date(2026, 12, 4)


# -- a decimal comma is never read as a thousands separator -----------------------------------------------
@pytest.mark.parametrize("raw", ["12,5", "1 234,56", "1,234,56", "1,2345.00", "-0,99"])
def test_a_decimal_comma_is_a_row_error_not_an_amount_a_hundred_times_too_large(raw: str) -> None:
    with pytest.raises(RowError, match="千位分隔不是每三位一组"):
        parse_amount(raw, "金额")


@pytest.mark.parametrize(
    ("raw", "amount"), [("1,234", "1234.00"), ("12 345 678.5", "12345678.50"), ("1'000.00", "1000.00")]
)
def test_grouped_thousands_still_read(raw: str, amount: str) -> None:
    assert parse_amount(raw, "金额") == (D(amount), "")


def test_a_decimal_comma_row_is_named() -> None:
    data = '日期,金额\n2024-01-01,12.50\n2024-01-02,"12,50"\n'
    assert errors(data, layout(amount_column="金额")) == [
        (
            3,
            "“金额”的千位分隔不是每三位一组：'12,50'（小数点须为“.”；如为小数逗号格式，请在版式中勾选“金额以逗号作小数点”）",
        )
    ]


# -- debit/credit marks on the amount ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("1,234.56 CR", (D("1234.56"), "", "in")),
        ("1,234.56DR", (D("1234.56"), "", "out")),
        ("DR 88.00", (D("88.00"), "", "out")),
        ("cr88", (D("88.00"), "", "in")),
        ("500.00贷", (D("500.00"), "", "in")),
        ("借 12.00", (D("12.00"), "", "out")),
        ("HKD 1,000.00 DR", (D("1000.00"), "HKD", "out")),
        ("-12.00", (D("-12.00"), "", "")),
        ("CNY 12.00", (D("12.00"), "CNY", "")),
    ],
)
def test_marks(raw: str, want: tuple[Decimal, str, str]) -> None:
    assert parse_marked(raw, "金额") == want


OVERSEAS = "Date,Description,Amount\n05/01/2024,PAYMENT RECEIVED,500.00 CR\n06/01/2024,STARBUCKS,35.50\n"
OVERSEAS += "07/01/2024,REFUND,12.00CR\n08/01/2024,ANNUAL FEE,DR 300.00\n"


@pytest.mark.parametrize("sign", ["in_positive", "out_positive"])
def test_a_mark_decides_the_direction_whatever_the_sign_convention(sign: str) -> None:
    p = layout(
        date_column="Date", date_format="DD/MM/YYYY", amount_column="Amount", summary_column="Description"
    )
    p.amount_sign = sign
    got = [(x.occurred_at.day, x.amount, x.direction) for x in read(OVERSEAS, p)]
    unmarked = (6, D("35.50"), "in") if sign == "in_positive" else (6, D("-35.50"), "out")
    assert got == [(5, D("500.00"), "in"), unmarked, (7, D("12.00"), "in"), (8, D("-300.00"), "out")]


def test_a_mark_in_separate_income_and_spending_columns_is_a_row_error() -> None:
    data = "日期,收入,支出\n2024-01-01,12.00 CR,\n"
    p = layout(in_column="收入", out_column="支出")
    assert errors(data, p) == [(2, "“收入”不是有效金额：'12.00 CR'")]


# -- a sign the wrong way round is flagged by the lines' own words ------------------------------------------
CARD = """交易日期,交易摘要,金额
2024-03-01,超市消费,88.20
2024-03-02,餐饮消费,45.00
2024-03-05,ATM取现,1000.00
2024-03-08,年费,300.00
2024-03-20,还款,-1433.20
2024-03-22,退货退款,-45.00
"""
CARD_LAYOUT = {
    "name": "某行信用卡（按借记卡读）",
    "code": "card-wrong",
    "header_row": 1,
    "date_column": "交易日期",
    "amount_column": "金额",
    "summary_column": "交易摘要",
    "refund_markers": "",
}
CONTRADICTION = (
    "5行的摘要与读出的收支方向相反（如第2行“超市消费”含“消费”却读为收入；相符的仅0行）："
    "请确认金额正负号或收支列的取值是否读反（信用卡账单多以正数表示消费）"
)


def test_words_against_the_direction_warn_in_the_preview() -> None:
    wrong = preview.build(CARD.encode(), layout(**CARD_LAYOUT), today=TODAY)
    assert CONTRADICTION in wrong.warnings
    right = preview.build(CARD.encode(), layout(**CARD_LAYOUT, amount_sign="out_positive"), today=TODAY)
    assert right.warnings == []


def test_an_import_without_preview_keeps_the_warning_on_the_job(
    people: dict[str, Any], debtor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The symptom of issue 16: income and spending swapped on a card, imported straight with a preset."""
    c = Client()
    c.force_login(people["judge"])
    assert c.post("/api/v1/analytics/presets", CARD_LAYOUT, "application/json").status_code == 201
    url = f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/imports"
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url, {"file": io.BytesIO(CARD.encode()), "preset": "card-wrong", "mode": "strict"})
    assert r.status_code == 201, r.json()
    body = c.get(f"/api/v1/analytics/jobs/{r.json()['id']}").json()
    assert (body["status"], body["imported"]) == ("done", 6)
    assert body["notes"] == [{"row": 0, "kind": "shape", "level": "warning", "text": CONTRADICTION}]
    html = c.get(reverse("analytics:job", args=[body["id"]])).content.decode()
    assert f'class="banner warn totals-warning">{CONTRADICTION}</div>' in html
    assert f"读取检查：{CONTRADICTION}" in html


def test_a_correctly_described_card_imports_without_warnings(people: dict[str, Any], debtor: Any) -> None:
    judge = people["judge"]
    right = services.save_preset(judge, {**CARD_LAYOUT, "code": "card", "amount_sign": "out_positive"})
    job = services.create_import(
        judge, debtor, kind="statement", file_name="card.csv", data=CARD.encode(), preset=right
    )
    job = services.run_import(job.pk)
    assert (job.status, job.imported, job.notes) == ("done", 6, [])


# -- Excel "Unicode text" (UTF-16, tabs) and other delimiters are detected ----------------------------------
ROWS = [
    ["记账日期", "货币", "交易金额", "联机余额", "交易摘要", "对手信息", "客户摘要"],
    ["2024-02-01", "CNY", "8,000.00", "9,000.00", "代发工资", "某某科技有限公司 6222000011112222", "工资"],
    ["2024-02-03", "CNY", "-120.50", "8,879.50", "快捷支付", "美团", "外卖"],
    ["2024-02-04", "CNY", "-1,000.00", "7,879.50", "ATM取款", "", "取款"],
]


def _text(delimiter: str) -> str:
    return "".join(delimiter.join(r) + "\r\n" for r in ROWS)


@pytest.mark.parametrize(
    ("data", "changes", "score"),
    [
        (_text("\t").encode("utf-16"), {"delimiter": "\t", "encoding": "utf-16"}, 95),
        (_text(";").encode("gbk"), {"delimiter": ";", "encoding": "gbk"}, 95),
        (_text("|").encode("utf-8-sig"), {"delimiter": "|"}, 100),
    ],
)
def test_other_delimiters_and_utf16_are_proposed_and_imported(
    people: dict[str, Any], debtor: Any, data: bytes, changes: dict[str, str], score: int
) -> None:
    """Excel/WPS "Unicode text" is UTF-16 with tabs; the encoding the layout does not name costs 5."""
    judge = people["judge"]
    draft = previews.start(judge, debtor, data=data, file_name="招行.txt", today=TODAY)
    assert draft.preset is not None and (draft.preset.code, draft.score) == ("cmb", score)
    assert draft.changes == changes
    assert draft.result is not None and (draft.result.valid, draft.result.warnings) == (3, [])
    job = services.run_import(
        previews.confirm(judge, debtor, token=draft.token, preset=draft.preset, today=TODAY).pk
    )
    assert (job.status, job.imported) == ("done", 3)
    got = Transaction.objects.filter(job=job).order_by("row_no")
    assert [(t.amount, t.direction, t.counterparty, t.counterparty_account) for t in got] == [
        (D("8000.00"), "in", "某某科技有限公司", "6222000011112222"),
        (D("-120.50"), "out", "美团", ""),
        (D("-1000.00"), "out", "", ""),
    ]


def test_the_reason_names_the_delimiter(presets: dict[str, Any]) -> None:
    ranked = detection.propose(_text(";").encode(), list(presets.values()))
    assert ranked[0].preset.code == "cmb"
    assert "文件以分号分隔各列，版式为逗号，按文件读取" in ranked[0].reasons


# -- the real samples, through the product's upload → preview → import --------------------------------------
REAL_FILES = {
    "alipay": "alipay.csv",
    "wechat": "wechat.csv",
    "wechat-xlsx": "wechat.xlsx",
    "icbc": "icbc-debit.csv",
    "cmb": "cmb-debit.csv",
    "abc": "abc-debit.csv",
    "boc": "boc-debit.csv",
}
EXPECTED = json.loads((FIXTURES / "real_samples_expected.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(
    not REAL.is_dir(), reason="shared/data/statements (real sample exports) not on this machine"
)
@pytest.mark.parametrize("code", sorted(REAL_FILES))
def test_real_samples_import_exactly_through_the_product(
    people: dict[str, Any], debtor: Any, code: str
) -> None:
    clerk = people["clerk"]
    data = (REAL / REAL_FILES[code]).read_bytes()
    draft = previews.start(clerk, debtor, data=data, file_name=REAL_FILES[code], today=TODAY)
    assert draft.preset is not None and (draft.preset.code, draft.score, draft.changes) == (code, 100, {})
    job = services.run_import(
        previews.confirm(clerk, debtor, token=draft.token, preset=draft.preset, today=TODAY).pk
    )
    assert job.status == "done" and job.quarantined == 0
    stored = Transaction.objects.filter(job=job).order_by("row_no")
    want = [(r[0], r[2], r[3], r[4]) for r in EXPECTED[code]]
    assert [(t.row_no, str(t.amount), t.direction, t.kind) for t in stored] == want
    # no sample reads against its own words
    assert not [n for n in job.notes if "收支方向相反" in n["text"]]


def test_a_debit_account_spending_more_than_it_earns_is_not_flagged_when_its_words_agree() -> None:
    """The month check prompts to verify the sign; lines whose own words confirm it need no prompt."""
    rows = "".join(
        f"2024-0{m}-01,工资,100\n2024-0{m}-02,消费,-300\n2024-0{m}-03,ATM取款,-50\n" for m in (1, 2, 3)
    )
    p = layout(amount_column="金额", summary_column="摘要")
    assert preview.build(f"日期,摘要,金额\n{rows}".encode(), p, today=TODAY).warnings == []
    plain = rows.replace("工资", "甲").replace("消费", "乙").replace("ATM取款", "丙")
    assert preview.build(f"日期,摘要,金额\n{plain}".encode(), p, today=TODAY).warnings == [
        "每个月的支出都大于收入（3个月）：如为信用卡账单，请确认消费与还款的正负号"
    ]


# -- automatic dates: milliseconds and ISO times with an offset ----------------------------------------------
@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("2024-01-05 09:05:00.123", datetime(2024, 1, 5, 9, 5, 0, 123000)),
        ("2024/01/05 09:05:00.000", datetime(2024, 1, 5, 9, 5)),
        ("2024-01-05T09:05:00+08:00", datetime(2024, 1, 5, 9, 5)),
        ("2024-01-05T01:05:00Z", datetime(2024, 1, 5, 9, 5)),
        ("2024-01-04T20:05:00-05:00", datetime(2024, 1, 5, 9, 5)),  # the Beijing time of that moment
    ],
)
def test_automatic_dates_with_milliseconds_and_offsets(raw: str, want: datetime) -> None:
    [line] = read(f"日期,金额\n{raw},1\n", layout(amount_column="金额"))
    assert line.occurred_at == want


# -- a column name the header gives twice is never guessed -----------------------------------------------
def test_a_named_column_given_twice_is_a_file_error() -> None:
    data = "日期,摘要,金额,金额\n2024-01-01,工资,100.00,\n".encode()
    with pytest.raises(FileError) as exc:
        read_table(data, layout(amount_column="金额", summary_column="摘要"))
    assert str(exc.value) == (
        "表头中“金额”出现2次（第3、4列，第1行附近），无法确定读取哪一列：请把版式设为“无表头”并按列序号填写列名"
    )
    # a repeated column the layout does not read is harmless
    read_table("日期,金额,备注,备注\n2024-01-01,1,,\n".encode(), layout(amount_column="金额"))
