"""Layout options end to end: defined through the API and the 流水版式 page, imported with a period,
the file's preamble/footer kept as notes on the import and its own totals checked (issue 16)."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhixing.analytics import services
from zhixing.analytics.models import ImportJob, StatementPreset, Transaction
from zhixing.core.errors import ServiceError

from .xls_writer import xls_bytes

API = "/api/v1/analytics/presets"

# A credit card statement as card issuers send it: the period in the preamble, month/day dates, positive
# spending, a currency prefix, a note in brackets, and totals in the footer.
CARD_LAYOUT = {
    "name": "某银行信用卡账单",
    "code": "card",
    "institution": "某银行",
    "header_marker": "交易日",
    "date_column": "交易日",
    "date_format": "MM/DD",
    "amount_column": "人民币金额",
    "amount_sign": "out_positive",
    "summary_column": "交易摘要",
    "refund_markers": "",
    "footer_prefixes": "本期应还|合计",
    "period_pattern": r"账单周期[:：]\s*(\S+)\s*[-至]\s*(\S+)",
    "total_out_pattern": r"本期消费\s*([\d,.]+)",
    "total_in_pattern": r"本期还款\s*([\d,.]+)",
    "total_count_pattern": r"合计\s*(\d+)\s*笔",
}
CARD = """某银行信用卡对账单
账单周期：2023/12/15-2024/01/14
交易日,记账日,交易摘要,人民币金额
12/29,12/30,超市消费,"CNY 1,131.77(已退款89.84)"
01/03,01/04,还款,-500.00
01/10,01/10,餐饮消费,20.00
"本期应还 本期消费 1,151.77 本期还款 500.00"
合计 3 笔
"""


def client(people: dict[str, Any], who: str = "judge") -> Client:
    c = Client()
    c.force_login(people[who])
    return c


def upload_api(c: Client, debtor: Any, data: bytes, **form: Any) -> Any:
    url = f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/imports"
    return c.post(url, {"file": io.BytesIO(data), "preset": "card", "mode": "strict", **form})


def test_credit_card_layout_defined_and_imported_through_the_api(
    people: dict[str, Any], debtor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = client(people)
    r = c.post(API, CARD_LAYOUT, "application/json")
    assert r.status_code == 201, r.json()
    saved = StatementPreset.objects.get(code="card", court=people["judge"].court)
    assert (saved.amount_sign, saved.date_format, saved.total_count_pattern) == (
        "out_positive",
        "MM/DD",
        r"合计\s*(\d+)\s*笔",
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = upload_api(c, debtor, CARD.encode())
    assert r.status_code == 201, r.json()
    job = ImportJob.objects.get(pk=r.json()["id"])
    assert (job.status, job.imported) == ("done", 3)
    txs = Transaction.objects.filter(job=job).order_by("row_no")
    assert [(timezone.localtime(t.occurred_at).date(), t.amount, t.direction) for t in txs] == [
        (date(2023, 12, 29), Decimal("-1131.77"), "out"),
        (date(2024, 1, 3), Decimal("500.00"), "in"),
        (date(2024, 1, 10), Decimal("-20.00"), "out"),
    ]
    body = c.get(f"/api/v1/analytics/jobs/{job.pk}").json()
    assert [(n["row"], n["kind"], n["level"]) for n in body["notes"]] == [
        (1, "preamble", "info"),
        (2, "preamble", "info"),
        (4, "amount", "info"),  # "CNY 1,131.77(已退款89.84)": the note read past, kept
        (7, "footer", "info"),
        (8, "footer", "info"),
        (0, "totals", "info"),
    ]
    assert body["notes"][-1]["text"] == "文件自身的合计与导入结果一致"


def test_totals_that_differ_are_a_warning_on_the_import_page(
    people: dict[str, Any], debtor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The symptom of issue 16: a layout with the sign the wrong way round no longer passes silently."""
    judge = people["judge"]
    wrong = services.save_preset(judge, {**CARD_LAYOUT, "amount_sign": "in_positive"})
    job = services.create_import(
        judge, debtor, kind="statement", file_name="card.csv", data=CARD.encode(), preset=wrong
    )
    job = services.run_import(job.pk)
    assert job.status == "done"
    assert [n["text"] for n in job.notes if n["level"] == "warning"] == [
        "收入合计与文件不符：文件记载 500.00，实际读取 1,151.77，请核对版式（收支方向、金额列）",
        "支出合计与文件不符：文件记载 1,151.77，实际读取 500.00，请核对版式（收支方向、金额列）",
        # the two worded lines both say the opposite of the sign read (none agrees): said too
        "2行的摘要与读出的收支方向相反（如第4行“超市消费”含“消费”却读为收入；相符的仅0行）："
        "请确认金额正负号或收支列的取值是否读反（信用卡账单多以正数表示消费）",
    ]
    html = client(people).get(reverse("analytics:job", args=[job.pk])).content.decode()
    assert 'class="banner warn totals-warning">支出合计与文件不符' in html
    assert "第8行（表尾/合计）：合计 3 笔" in html and "第1行（前言）：某银行信用卡对账单" in html
    assert "账单期间" not in html  # none was given at import; the file's own period was used


def test_period_given_at_import_wins_and_is_shown(
    people: dict[str, Any], debtor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    judge = people["judge"]
    card = services.save_preset(judge, {**CARD_LAYOUT, "period_pattern": ""})
    data = CARD.replace("12/29,12/30", "01/12,01/12").encode()
    with pytest.raises(ServiceError) as exc:
        services.create_import(judge, debtor, kind="statement", file_name="c.csv", data=data, preset=card)
    assert exc.value.field == "period_start" and "账单起止日期" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        services.create_import(
            judge,
            debtor,
            kind="statement",
            file_name="c.csv",
            data=data,
            preset=card,
            period_start=date(2024, 2, 1),
            period_end=date(2024, 1, 1),
        )
    assert exc.value.field == "period_end"
    c = client(people)
    url = reverse("analytics:upload", args=[debtor.case.pk, debtor.party.pk])
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            url,
            {
                "kind": "statement",
                "preset": card.pk,
                "mode": "strict",
                "period_start": "2024-12-15",
                "period_end": "2025-01-14",
                "file": io.BytesIO(data),
            },
        )
    assert r.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.period_start, job.period_end) == ("done", date(2024, 12, 15), date(2025, 1, 14))
    years = [
        timezone.localtime(t.occurred_at).year for t in Transaction.objects.filter(job=job).order_by("row_no")
    ]
    assert years == [2025, 2025, 2025]
    html = c.get(reverse("analytics:debtor", args=[debtor.case.pk, debtor.party.pk])).content.decode()
    assert "账单期间 2024-12-15 至 2025-01-14" in html


def test_xls_upload_through_the_page(
    people: dict[str, Any], debtor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    judge = people["judge"]
    xls = services.save_preset(
        judge,
        {
            "name": "某银行 Excel 97-2003 明细",
            "code": "xls",
            "file_format": "xls",
            "header_row": 2,
            "date_column": "交易日期",
            "in_column": "收入金额",
            "out_column": "支出金额",
            "summary_column": "摘要",
            "footer_prefixes": "合计",
        },
    )
    data = xls_bytes(
        [
            ["账号：6222****0001"],
            ["交易日期", "摘要", "收入金额", "支出金额"],
            [datetime(2024, 5, 1, 8, 0), "工资", 9000.0, ""],
            ["2024-05-02", "消费", "", "1,200.00"],
            ["合计", "", 9000.0, 1200.0],
        ]
    )
    c = client(people)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            reverse("analytics:upload", args=[debtor.case.pk, debtor.party.pk]),
            {"kind": "statement", "preset": xls.pk, "mode": "strict", "file": io.BytesIO(data)},
        )
    assert r.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.imported) == ("done", 2)
    assert sorted(Transaction.objects.values_list("amount", flat=True)) == [
        Decimal("-1200.00"),
        Decimal("9000.00"),
    ]
    assert [n["text"] for n in job.notes] == ["账号：6222****0001", "合计 9000 1200"]
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            reverse("analytics:upload", args=[debtor.case.pk, debtor.party.pk]),
            {"kind": "statement", "preset": xls.pk, "mode": "strict", "file": io.BytesIO(data[:1500])},
        )
    page = c.get(reverse("analytics:debtor", args=[debtor.case.pk, debtor.party.pk]), follow=True)
    assert "另存为" in page.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date_format": "YYYY"}, "date_format"),
        ({"time_format": "mm"}, "time_format"),
        ({"amount_sign": "sideways"}, "amount_sign"),
        ({"period_pattern": r"期间(\S+)"}, "period_pattern"),
        ({"total_in_pattern": "收入(("}, "total_in_pattern"),
        ({"total_count_pattern": r"共\d+笔"}, "total_count_pattern"),
        ({"direction_keywords_in": "工资", "summary_column": ""}, "direction_text_column"),
        ({"headerless": True, "header_marker": "交易日", "header_row": 0}, "header_marker"),
    ],
)
def test_bad_layout_options_are_refused_naming_the_field(
    people: dict[str, Any], presets: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    r = client(people).post(API, {**CARD_LAYOUT, **change}, "application/json")
    assert r.status_code == 422 and r.json()["field"] == field, r.json()
    assert not StatementPreset.objects.filter(court=people["judge"].court).exists()


def test_the_layout_page_offers_the_new_options(people: dict[str, Any], presets: dict[str, Any]) -> None:
    c = client(people)
    html = c.get(reverse("analytics:presets")).content.decode()
    for label in ("日期格式", "金额正负含义", "收入关键词", "文件没有表头行", "收入合计规则", "账单期间规则"):
        assert label in html
    assert '<datalist id="date-formats">' in html and '<option value="MM/DD">' in html
    assert 'list="date-formats"' in html
    form = {
        **CARD_LAYOUT,
        "file_format": "csv",
        "encoding": "utf-8",
        "delimiter": ",",
        "header_row": 0,
        "direction_in": "收入",
        "direction_out": "支出",
        "default_currency": "CNY",
        "reversal_markers": "",
    }
    r = c.post(reverse("analytics:presets"), form)
    assert r.status_code == 302
    saved = StatementPreset.objects.get(code="card")
    assert (saved.amount_sign, saved.date_format, saved.headerless, saved.refund_markers) == (
        "out_positive",
        "MM/DD",
        False,
        "",
    )
    r = c.post(
        reverse("analytics:presets"), {**form, "code": "card2", "name": "另一版式", "date_format": "YYYY"}
    )
    assert r.status_code == 200 and "须含月（MM）与日（DD）" in r.content.decode()


def test_import_command_takes_the_period(people: dict[str, Any], debtor: Any, tmp_path: Any) -> None:
    services.save_preset(people["judge"], {**CARD_LAYOUT, "period_pattern": ""})
    path = tmp_path / "card.csv"
    path.write_text(CARD, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_statement",
        str(path),
        user="th_judge",
        case=debtor.case.pk,
        party=debtor.party.pk,
        preset="card",
        period=["2023-12-15", "2024-01-14"],
        stdout=out,
        stderr=err,
    )
    assert "导入3行" in out.getvalue()
    assert ImportJob.objects.get().period_start == date(2023, 12, 15)


def test_demo_card_imports_show_notes_and_a_totals_warning(people: dict[str, Any], debtor: Any) -> None:
    from zhixing.analytics import demo

    agreeing, differing = demo.card_imports(people["judge"], debtor, date(2026, 3, 10))
    assert (agreeing.status, agreeing.imported) == ("done", 3)
    assert [n["text"] for n in agreeing.notes if n["kind"] == "totals"] == ["文件自身的合计与导入结果一致"]
    assert (differing.status, differing.imported) == ("done", 3)
    assert [n["text"] for n in differing.notes if n["level"] == "warning"] == [
        "支出合计与文件不符：文件记载 2,500.00，实际读取 2,449.97，请核对版式（收支方向、金额列）"
    ]
    txs = Transaction.objects.filter(job=differing)
    dates = sorted(timezone.localtime(t.occurred_at).date() for t in txs)
    assert dates == [date(2026, 1, 1), date(2026, 1, 10), date(2026, 1, 31)]
