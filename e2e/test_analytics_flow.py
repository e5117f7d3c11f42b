"""End to end in Debian's Chromium: a judge imports a debtor's Alipay statement, sees the job finish,
generates the profile, sees its charts and reasons, makes the report through the documents capability
(stored on the case, issue 17), downloads it as Word (the charts as tables) and opens it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import login
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "analytics" / "fixtures"


@pytest.fixture
def setup(courts: dict[str, Any], settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    th = courts["th"]
    clerk = factories.staff(th, "clerk", username="e2e_an_clerk", full_name="李书记")
    judge = factories.staff(th, "judge", username="e2e_an_judge", full_name="张法官")
    case = factories.case(clerk)
    debtor = next(p for p in case.parties.all() if p.role == "debtor")
    return {"judge": judge, "case": case, "debtor": debtor}


def test_import_profile_and_export_report(page: Any, setup: dict[str, Any], tmp_path: Path) -> None:
    case, debtor = setup["case"], setup["debtor"]
    login(page, "e2e_an_judge", factories.PASSWORD)
    page.goto(f"/analytics/case/{case.pk}/debtor/{debtor.pk}/")
    assert page.locator("h1").inner_text() == f"履行能力分析：{debtor.name}"

    page.select_option("#id_kind", "statement")
    page.select_option("#id_preset", label="支付宝账单（GBK，含前言）")
    page.select_option("#id_mode", "strict")
    page.set_input_files("#id_file", str(FIXTURES / "alipay_sample.csv"))
    page.click("#import-form button[type=submit]")
    job = page.locator(".job").first
    job.locator("text=已完成").wait_for()
    assert "导入5行" in job.inner_text()

    page.fill("#id_start", "2024-01-01")
    page.fill("#id_end", "2024-03-31")
    page.fill("#id_restrictions", "2024-01-01 至 2024-12-31")
    page.click("#compute")
    page.wait_for_url("**/analytics/profiles/**")
    assert page.locator("#score").inner_text().isdigit()
    findings = page.locator("#findings").inner_text()
    assert "限制消费期间仍有受限消费" in findings
    assert "纳入失信被执行人名单（违反限制消费令）" in page.locator("#recommendations").inner_text()
    for chart in ("monthly", "categories", "network", "timeline"):
        assert page.locator(f"#chart-{chart} svg").count() == 1

    box = page.locator("#report-documents")
    assert box.locator("[data-testid=stored-none]").count() == 1
    box.locator("[data-testid=make-document] button").click()
    page.wait_for_selector("#report-documents [data-testid=stored-document]")
    assert "/analytics/profiles/" in page.url  # back on the profile page
    with page.expect_download() as info:
        box.locator("[data-testid=document-docx]").first.click()
    # Named for the case and the document (RFC 5987), served by the documents capability.
    assert info.value.suggested_filename == f"{case.number}-被执行人履行能力分析报告.docx"
    target = tmp_path / "report.docx"
    info.value.save_as(str(target))
    from docx import Document

    doc = Document(str(target))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "被执行人履行能力分析报告" in text and case.number in text and debtor.name in text
    assert "一、月度收支" in text and "二、消费类别" in text and "月份" in cells
    assert "限制消费期间仍有受限消费" in cells
