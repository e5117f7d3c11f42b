"""Every date and time an export shows is Beijing time (issue 10, finding 12).

The database keeps UTC; a line booked at 2026-01-05 00:30 in Beijing is 2026-01-04 16:30 UTC. Each
export is produced with a timestamp just after midnight and must show 2026-01-05 (and never the UTC
day): the evidence CSV, the Word report and the page the PDF is printed from, the inquiry log (XLSX),
the assistance notice (HTML and Word), the approvals a control order carries (JSON), and the
distribution plan (Word).
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests import factories
from tests.inquiry.test_permissions import _asset
from zhixing.analytics.models import Transaction, TravelRecord
from zhixing.documents.models import Document as Stored
from zhixing.inquiry import services as inq_services
from zhixing.inquiry.models import InquiryRequest

from .test_exports_injection import body, csv_cells, evidence_profile, login

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
JUST_AFTER_MIDNIGHT = datetime(2026, 1, 5, 0, 30, tzinfo=SH)  # 2026-01-04 16:30 UTC


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def profile(people: dict[str, Any], settings: Any, tmp_path: Path, monkeypatch: Any) -> Any:
    prof = evidence_profile(people, settings, tmp_path)
    settings.MEDIA_ROOT = tmp_path / "media"  # the stored report (documents capability)
    first = prof.findings[0]["evidence"][0]
    Transaction.objects.filter(pk=first).update(occurred_at=JUST_AFTER_MIDNIGHT)
    return prof


def test_evidence_csv(profile: Any, people: dict[str, Any]) -> None:
    cells = csv_cells(body(login(people, "judge").get(reverse("analytics:bundle", args=[profile.pk]))))
    assert "2026-01-05 00:30:00" in cells and "2026-01-04 16:30:00" not in cells
    # The sample's date-only lines are local midnights: 2024-01-02 00:00, not 2024-01-01 16:00.
    assert "2024-01-02 00:00:00" in cells and "2024-01-01 16:00:00" not in cells


def test_word_report_and_the_printed_page(profile: Any, people: dict[str, Any]) -> None:
    from zhixing.documents import services as document_services

    c = login(people, "judge")
    doc = document_services.generate(people["judge"], profile.party.case, "ability_report", str(profile.pk))
    text = docx_text(body(c.get(reverse("document_docx", args=[doc.pk]))))
    assert "2026-01-05 00:30" in text and "2026-01-04 16:30" not in text and "2024-01-01 16:00" not in text
    page = c.get(reverse("analytics:report_print", args=[profile.pk])).content.decode()  # the print sheet
    assert "2026-01-05 00:30" in page and "2026-01-04 16:30" not in page


def test_travel_rows_in_the_evidence_csv(profile: Any, people: dict[str, Any]) -> None:
    tx = Transaction.objects.get(pk=profile.findings[0]["evidence"][0])
    trip = TravelRecord.objects.create(
        job=tx.job,
        party_id=tx.party_id,
        row_no=2,
        kind="flight",
        start_at=JUST_AFTER_MIDNIGHT,
        end_at=JUST_AFTER_MIDNIGHT,
        origin="广州",
        destination="北京",
        carrier="CZ3101",
        seat_class="头等舱",
        amount=3000,
        country="中国",
    )
    finding = {**profile.findings[0], "travel_evidence": [trip.pk]}
    type(profile).objects.filter(pk=profile.pk).update(findings=[finding])
    cells = csv_cells(body(login(people, "judge").get(reverse("analytics:bundle", args=[profile.pk]))))
    assert cells.count("2026-01-05 00:30:00") == 2  # the line and the trip


def test_inquiry_log_notice_and_approvals(people: dict[str, Any], settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the stored notice (documents capability)
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}
    asset = _asset(people)
    with time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False):
        req = inq_services.request_control(people["judge"], asset, "freeze", amount="10")
        director = login(people, "director")
        approved = director.post(f"/api/v1/inquiry/requests/{req.pk}/approve")
    assert approved.status_code == 200
    assert [a["at"] for a in approved.json()["approvals"]] == ["2026-01-05T00:30:00+08:00"] * 2
    InquiryRequest.objects.filter(pk=req.pk).update(completed_at=JUST_AFTER_MIDNIGHT)
    director = login(people, "director")  # a fresh session: the one above was opened in January
    wb = load_workbook(io.BytesIO(body(director.get(reverse("inquiry_log_export")))))
    row = next(r for r in wb["查控日志"].iter_rows(values_only=True) if r[0] == req.pk)
    assert (row[10], row[11]) == (datetime(2026, 1, 5, 0, 30), datetime(2026, 1, 5, 0, 30))
    judge = login(people, "judge")
    html = judge.get(reverse("inquiry_notice", args=[req.pk])).content.decode()
    form = {"kind": "assistance_notice", "source": str(req.pk)}
    made = judge.post(f"/cases/{req.case_id}/documents/generate/", form)
    assert made.status_code == 302
    stored = Stored.objects.get(kind="assistance_notice", source=str(req.pk))
    word = docx_text(body(judge.get(f"/documents/{stored.pk}/word/")))
    for text in (html, word):  # the notice is dated as court documents are (issue 17: 2026年01月05日)
        assert "2026年01月05日" in text and "2026年01月04日" not in text


def test_distribution_plan_word(people: dict[str, Any], settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the stored plan (documents capability)
    from zhixing.funds import services as funds

    court = people["judge"].court
    funds.set_custody_account(
        None,
        court,
        bank_name="沙箱托管银行",
        account_name=court.name,
        account_no="44001000106",
        sub_prefix="880106",
    )
    case = factories.case(people["clerk"])
    with time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False):
        funds.book_receipt(
            idempotency_key="PLAN-WORD", amount="1000.00", value_date=JUST_AFTER_MIDNIGHT.date(), case=case
        )
        plan = funds.create_plan(
            people["judge"],
            case,
            proceeds="1000.00",
            costs="0",
            first_seizing_court=court.name,
            claims=[
                {
                    "creditor": "甲",
                    "creditor_id_number": factories.VALID_CREDIT,
                    "amount": "500.00",
                    "applied_on": case.filed_on,
                    "basis": "（2025）粤0104民初8号",
                }
            ],
        )
    resp = Client()
    resp.force_login(people["judge"])
    form = {"kind": "distribution_plan", "source": str(plan.pk)}
    assert resp.post(f"/cases/{plan.case_id}/documents/generate/", form).status_code == 302
    stored = Stored.objects.get(kind="distribution_plan", source=str(plan.pk))
    text = docx_text(body(resp.get(f"/documents/{stored.pk}/word/")))
    assert "2026年01月05日" in text and "2026年01月04日" not in text
