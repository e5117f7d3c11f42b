"""The 查控日志 export (issue 10, findings 12 and 21): streamed, in Beijing time, filtered, capped, audited.

Only supervision roles export (the permission matrix is in test_permissions.py); each export writes
one audit record with who, what, the filter and the row count; the file never holds more rows than
the configured cap (and never more than one Excel worksheet can), and says so when it is capped.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.inquiry.conftest import open_case
from zhixing.core.models import AuditRecord
from zhixing.inquiry import export, services
from zhixing.inquiry.models import InquiryRequest

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
URL = "/inquiry/log.xlsx"


def director(people: dict[str, Any]) -> Client:
    c = Client()
    c.force_login(people["director"])
    return c


def sheet(resp: Any, title: str = "查控日志") -> list[list[Any]]:
    assert resp.status_code == 200 and resp.streaming
    assert resp["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    return [list(r) for r in wb[title].iter_rows(values_only=True)]


def exports() -> list[AuditRecord]:
    return list(
        AuditRecord.objects.filter(action="inquiry.export", after__what="inquiry-log.xlsx").order_by("id")
    )


def test_times_are_beijing_time_even_just_after_midnight(people: dict[str, Any], case: Any) -> None:
    services.start_inquiry(people["judge"], case, ["deposit"])
    req = InquiryRequest.objects.get(case=case)
    # 2026-01-05 00:30 and 00:45 in Beijing are 2026-01-04 16:30 and 16:45 in UTC.
    InquiryRequest.objects.filter(pk=req.pk).update(
        created_at=datetime(2026, 1, 5, 0, 30, tzinfo=SH), completed_at=datetime(2026, 1, 5, 0, 45, tzinfo=SH)
    )
    rows = sheet(director(people).get(URL))
    assert rows[0] == export.HEADER
    assert rows[1][0] == req.pk and rows[1][1] == case.number
    assert (rows[1][10], rows[1][11]) == (datetime(2026, 1, 5, 0, 30), datetime(2026, 1, 5, 0, 45))
    # A day filter is a Beijing day too: 2026-01-05 holds the request, 2026-01-04 does not.
    on_5th = sheet(director(people).get(URL, {"from": "2026-01-05", "to": "2026-01-05"}))
    on_4th = sheet(director(people).get(URL, {"from": "2026-01-04", "to": "2026-01-04"}))
    assert [r[0] for r in on_5th[1:]] == [req.pk] and on_4th[1:] == []


def test_each_export_is_audited_with_its_filter_and_rows(people: dict[str, Any], quiet: None) -> None:
    a, b = open_case(people), open_case(people)
    services.start_inquiry(people["judge"], a, ["deposit", "vehicle"])
    services.start_inquiry(people["judge"], b, ["deposit"])
    c = director(people)
    everything = sheet(c.get(URL))
    only_a = sheet(c.get(URL, {"number": a.number, "from": "2020-01-01"}))
    assert len(everything) == 4 and len(only_a) == 3
    assert {r[1] for r in only_a[1:]} == {a.number}
    recs = exports()
    assert [(r.actor_id, r.chain, r.after) for r in recs] == [
        (
            people["director"].pk,
            "粤0106",
            {"what": "inquiry-log.xlsx", "filter": {}, "rows": 3, "capped": False},
        ),
        (
            people["director"].pk,
            "粤0106",
            {
                "what": "inquiry-log.xlsx",
                "filter": {"number": a.number, "since": "2020-01-01"},
                "rows": 2,
                "capped": False,
            },
        ),
    ]


def test_a_long_log_is_capped_and_says_so(people: dict[str, Any], case: Any, settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False, "log_export_max_rows": 3}
    services.start_inquiry(people["judge"], case, ["deposit", "vehicle", "real_estate", "tax"])
    newest = list(InquiryRequest.objects.order_by("-id").values_list("id", flat=True))
    assert len(newest) == 4
    c = director(people)
    resp = c.get(URL)
    assert resp["X-Export-Capped"] == "3" and resp["X-Export-Rows"] == "3"
    rows = sheet(resp)
    assert [r[0] for r in rows[1:]] == newest[:3]  # the newest rows are kept
    note = export.capped_message(3)
    assert "最新的3行" in note and "1048576" in note
    wb = load_workbook(io.BytesIO(b"".join(c.get(URL).streaming_content)))
    assert wb["说明"]["A1"].value == note
    assert note in c.get(reverse("inquiry_log")).content.decode()  # the page says so after the download
    assert [r.after["rows"] for r in exports()] == [3, 3] and all(r.after["capped"] for r in exports())


def test_the_cap_never_exceeds_an_excel_worksheet(settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {"log_export_max_rows": 5_000_000}
    assert export.row_limit() == 1_048_575  # plus the header: 1,048,576 rows, Excel's limit
    settings.ZHIXING_INQUIRY = {}
    assert export.row_limit() == 1_000_000


@pytest.mark.parametrize(
    ("params", "field_text"),
    [
        ({"from": "2026-13-01"}, "起始日期格式应为 YYYY-MM-DD"),
        ({"to": "yesterday"}, "终止日期格式应为 YYYY-MM-DD"),
        ({"from": "2026-03-10", "to": "2026-03-01"}, "起始日期不能晚于终止日期"),
        ({"number": "号" * 65}, "案号过长"),
    ],
)
def test_a_bad_filter_is_refused_in_chinese_and_exports_nothing(
    people: dict[str, Any], case: Any, params: dict[str, str], field_text: str
) -> None:
    c = director(people)
    resp = c.get(URL, params)
    assert resp.status_code == 302 and resp["Location"] == reverse("inquiry_log")
    msgs = [str(m) for m in get_messages(resp.wsgi_request)]
    assert len(msgs) == 1 and msgs[0].startswith(field_text), msgs
    assert exports() == []


def test_the_log_page_offers_the_export_only_to_who_may_export(people: dict[str, Any], case: Any) -> None:
    for who, offered in [("director", True), ("operator", True), ("judge", False), ("clerk", False)]:
        c = Client()
        c.force_login(people[who])
        html = c.get(reverse("inquiry_log")).content.decode()
        assert ('id="log-export-form"' in html) is offered, who


def test_a_notice_download_is_audited_on_the_cases_chain(
    people: dict[str, Any], case: Any, settings: Any, tmp_path: Any
) -> None:
    """The assistance notice's Word file is a stored document (documents capability): the judge makes it
    from the notice page; a reader who may identify downloads it, audited on the case's chain."""
    from zhixing.documents.models import Document as Stored

    settings.MEDIA_ROOT = tmp_path / "media"
    services.start_inquiry(people["judge"], case, ["deposit"])
    req = InquiryRequest.objects.get(case=case)
    page = reverse("inquiry_notice", args=[req.pk])
    judge = Client()
    judge.force_login(people["judge"])
    assert 'data-testid="stored-none"' in judge.get(page).content.decode()
    form = {"kind": "assistance_notice", "source": str(req.pk), "next": page}
    made = judge.post(f"/cases/{case.pk}/documents/generate/", form)
    assert made.status_code == 302 and made["Location"] == page
    doc = Stored.objects.get(case=case, kind="assistance_notice", source=str(req.pk))
    c = Client()
    c.force_login(people["gz_director"])
    assert f'href="/documents/{doc.pk}/word/"' in c.get(page).content.decode()
    assert c.get(f"/documents/{doc.pk}/word/").status_code == 200
    rec = AuditRecord.objects.filter(action="document.download").order_by("-pk").first()
    assert rec is not None
    assert (rec.actor_id, rec.case_id, rec.chain) == (people["gz_director"].pk, case.pk, "粤0106")
    assert (rec.after["kind"], rec.after["format"]) == ("assistance_notice", "docx")
