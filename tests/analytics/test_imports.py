"""Import validation: reject whole with row numbers, or quarantine and list; never drop silently."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from zhixing.analytics import queries, services
from zhixing.analytics.models import ImportJob, QuarantinedRow, Transaction
from zhixing.core.audit import verify_chain
from zhixing.core.errors import NotPermitted, ServiceError

from .conftest import FIXTURES, load, load_travel

BAD_CMB = """记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要
2024-01-01,CNY,"12,000.00","49,800.00",代发工资,广州某科技有限公司1111111111,工资
2024-13-02,CNY,-2.00,1.00,转账汇款,王某,转账
2024-01-03,CNY,abc,1.00,一网通支付,国网电力,供电
2024-01-04,XXXX1,-1.00,1.00,一网通支付,国网电力,供电
2024-01-05,CNY,-5.00,"47,797.00",一网通支付,国网电力,供电
"""


def test_strict_rejects_the_whole_file_with_row_numbers(
    debtor: Any, people: dict[str, Any], presets: Any
) -> None:
    job = load(debtor, people["judge"], presets["cmb"], BAD_CMB.encode())
    assert job.status == "rejected"
    assert [e["row"] for e in job.errors] == [3, 4, 5]
    assert "记账日期" in job.errors[0]["reason"] and "交易金额" in job.errors[1]["reason"]
    assert "币种" in job.errors[2]["reason"]
    assert Transaction.objects.count() == 0 and QuarantinedRow.objects.count() == 0


def test_quarantine_keeps_bad_rows_and_imports_the_rest(
    debtor: Any, people: dict[str, Any], presets: Any
) -> None:
    job = load(debtor, people["judge"], presets["cmb"], BAD_CMB.encode(), mode="quarantine")
    assert (job.status, job.imported, job.quarantined) == ("done", 2, 3)
    rows = queries.quarantine_of(job)
    assert [r.row_no for r in rows] == [3, 4, 5]
    assert rows[1].raw.startswith("2024-01-03,CNY,abc")
    page = Client()
    page.force_login(people["judge"])
    html = page.get(reverse("analytics:job", args=[job.pk])).content.decode()
    assert "隔离行（3）" in html and "第4行" in html
    assert verify_chain().ok


def test_file_level_errors_are_refused_before_queueing(
    debtor: Any, people: dict[str, Any], presets: Any
) -> None:
    with pytest.raises(ServiceError, match="编码"):
        services.create_import(
            people["judge"],
            debtor,
            kind="statement",
            file_name="a.csv",
            data=b"\xff\xff\x80\n",  # not GBK (nor UTF-16: no byte-order mark)
            preset=presets["alipay"],
        )
    # UTF-16 with its byte-order mark reads whatever the layout's encoding: here its header is wrong
    with pytest.raises(ServiceError, match="表头缺少列“金额”（第1行附近）；表头为：交易时间"):
        services.create_import(
            people["judge"],
            debtor,
            kind="statement",
            file_name="a.csv",
            data="交易时间\n".encode("utf-16"),
            preset=presets["alipay"],
        )
    with pytest.raises(ServiceError, match="表头"):
        services.create_import(
            people["judge"],
            debtor,
            kind="statement",
            file_name="a.csv",
            data=b"foo,bar\n1,2\n",
            preset=presets["cmb"],
        )
    assert ImportJob.objects.count() == 0


def test_duplicate_lines_within_and_across_files(debtor: Any, people: dict[str, Any], presets: Any) -> None:
    data = (FIXTURES / "cmb_sample.csv").read_text()
    doubled = data + data.splitlines()[2] + "\n"
    job = load(debtor, people["judge"], presets["cmb"], doubled.encode())
    # issue 16 #3: an identical line without a transaction id is another real transaction
    assert (job.imported, job.duplicates) == (5, 0)
    again = load(debtor, people["judge"], presets["cmb"], data.encode())
    assert (again.imported, again.duplicates) == (0, 4)
    dup = Transaction.objects.get(job=again, row_no=3)
    assert dup.duplicate_of.row_no == 3 and dup.duplicate_of.job_id == job.pk


def test_travel_rows_are_validated(debtor: Any, people: dict[str, Any], presets: Any) -> None:
    bad = (
        "类型,开始时间,结束时间,出发地,目的地,航班车次或酒店,舱位座席或星级,金额,国家或地区\n"
        "飞机,2026-01-01 08:00:00,2026-01-01 10:00:00,广州,北京,CZ3101,经济舱,900,中国\n"
        "轮船,2026-01-02 08:00:00,2026-01-02 10:00:00,广州,北京,X,二等,1,中国\n"
        "酒店,2026-01-05 12:00:00,2026-01-04 10:00:00,,北京,某酒店,五星,1,中国\n"
    )
    job = load_travel(debtor, people["judge"], bad)
    assert job.status == "rejected" and [e["row"] for e in job.errors] == [3, 4]
    with pytest.raises(ServiceError, match="表头"):
        services.create_import(people["judge"], debtor, kind="travel", file_name="t.csv", data=b"a,b\n")


def test_preset_defined_by_a_user_and_its_validation(people: dict[str, Any], presets: Any) -> None:
    judge = people["judge"]
    with pytest.raises(ServiceError) as exc:
        services.save_preset(judge, {"name": "x", "code": "x", "date_column": "日期", "header_row": 1})
    assert exc.value.field == "amount_column"
    with pytest.raises(NotPermitted):
        services.save_preset(judge, {"name": "y"}, presets["alipay"])
    c = Client()
    c.force_login(judge)
    form = {
        "name": "某银行",
        "code": "somebank",
        "institution": "某银行",
        "file_format": "csv",
        "encoding": "gbk",
        "delimiter": ",",
        "header_row": 2,
        "date_column": "日期",
        "amount_column": "金额",
        "direction_in": "收入",
        "direction_out": "支出",
        "default_currency": "CNY",
        "refund_markers": "退款",
        "reversal_markers": "冲正",
    }
    r = c.post(reverse("analytics:presets"), form)
    assert r.status_code == 302
    assert "某银行" in c.get(reverse("analytics:presets")).content.decode()


def test_import_command_with_progress_bar(debtor: Any, people: dict[str, Any], presets: Any) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_statement",
        str(FIXTURES / "icbc_sample.csv"),
        user="th_judge",
        case=debtor.case.pk,
        party=debtor.party.pk,
        preset="icbc",
        stdout=out,
        stderr=err,
    )
    assert "导入3行" in out.getvalue()
    assert "3/3" in err.getvalue()  # tqdm's bar
    with pytest.raises(CommandError, match="表头缺少列"):
        call_command(
            "import_statement",
            str(FIXTURES / "cmb_sample.csv"),
            user="th_judge",
            case=debtor.case.pk,
            party=debtor.party.pk,
            preset="abc",
            stdout=out,
            stderr=err,
        )


def test_upload_page_polls_job_progress(
    debtor: Any, people: dict[str, Any], presets: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = Client()
    c.force_login(people["judge"])
    with django_capture_on_commit_callbacks(execute=True), (FIXTURES / "wechat_sample.xlsx").open("rb") as fh:
        r = c.post(
            reverse("analytics:upload", args=[debtor.case.pk, debtor.party.pk]),
            {"kind": "statement", "preset": presets["wechat-xlsx"].pk, "mode": "strict", "file": fh},
        )
    assert r.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.imported) == ("done", 3)
    html = c.get(reverse("analytics:debtor", args=[debtor.case.pk, debtor.party.pk])).content.decode()
    # A finished job shows its full bar and no longer polls (ADR 0012); a running one polls every second.
    assert f'hx-get="/analytics/jobs/{job.pk}/"' not in html
    assert '<progress max="100" value="100"' in html and "已处理 3/3" in html
    ImportJob.objects.filter(pk=job.pk).update(status="running", processed_rows=1)
    html = c.get(reverse("analytics:debtor", args=[debtor.case.pk, debtor.party.pk])).content.decode()
    assert f'hx-get="/analytics/jobs/{job.pk}/" hx-trigger="every 1s"' in html
    assert '<progress max="100" value="33"' in html and "已处理 1/3" in html
