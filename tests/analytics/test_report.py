"""The profile page, its server-side SVG charts, and the report as a stored document (Word and PDF by the
documents capability, issue 17)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.analytics import charts, services
from zhixing.analytics.ruleconfig import DEFAULT_CONFIG
from zhixing.analytics.rules import evaluate

from .conftest import FIXTURES, load


@pytest.fixture
def prof(debtor: Any, people: dict[str, Any], presets: dict[str, Any]) -> Any:
    load(debtor, people["judge"], presets["alipay"], (FIXTURES / "alipay_sample.csv").read_bytes())
    return services.compute_profile(
        people["judge"],
        debtor,
        start=date(2024, 1, 1),
        end=date(2024, 3, 31),
        restrictions=[(date(2024, 1, 1), None)],
    )


def test_profile_page_has_reasons_and_inline_svg_charts(prof: Any, people: dict[str, Any]) -> None:
    c = Client()
    c.force_login(people["judge"])
    html = c.get(reverse("analytics:profile", args=[prof.pk])).content.decode()
    # The four charts (the top bar's bell is an <svg> too).
    assert html.count('class="chart"><svg') == 4
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "限制消费期间仍有受限消费" in html and "违反限制消费令" in html
    assert 'data-rule="restriction_violation"' in html
    assert f'/analytics/profiles/{prof.pk}/evidence/restriction_violation/">1 条</a>' in html
    evidence = c.get(reverse("analytics:evidence", args=[prof.pk, "restriction_violation"])).content.decode()
    assert "中国东方航空" in evidence


def _make_report(c: Client, prof: Any) -> Any:
    """The judge makes the report through the documents capability from the profile page's form."""
    from zhixing.documents.models import Document as Stored

    page = reverse("analytics:profile", args=[prof.pk])
    made = c.post(
        reverse("case_document_generate", args=[prof.party.case_id]),
        {"kind": "ability_report", "source": str(prof.pk), "next": page},
    )
    assert made.status_code == 302 and made["Location"] == page
    return Stored.objects.get(case_id=prof.party.case_id, kind="ability_report", source=str(prof.pk))


def test_word_report_is_a_stored_document_with_the_charts_as_tables(
    prof: Any, people: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    from docx import Document

    from zhixing.core.models import AuditRecord

    settings.MEDIA_ROOT = tmp_path / "media"
    c = Client()
    c.force_login(people["judge"])
    page = c.get(reverse("analytics:profile", args=[prof.pk])).content.decode()
    assert 'data-testid="stored-none"' in page and 'value="ability_report"' in page
    assert "/report.docx" not in page and "/report.pdf" not in page  # the old per-domain paths are gone
    doc = _make_report(c, prof)
    assert (doc.title, doc.version.number, len(doc.sha256)) == ("被执行人履行能力分析报告", 1, 64)
    rec = AuditRecord.objects.order_by("-pk").first()
    assert (rec.action, rec.object_id, rec.case_id) == ("document.generate", str(doc.pk), prof.party.case_id)
    page = c.get(reverse("analytics:profile", args=[prof.pk])).content.decode()
    assert f'href="/documents/{doc.pk}/word/"' in page and f'href="/documents/{doc.pk}/pdf/"' in page
    r = c.get(f"/documents/{doc.pk}/word/")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    word = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "被执行人履行能力分析报告" in text and prof.party.name in text
    assert f"履行能力评分：{prof.score}分（满分100分）" in text
    rows = [[cell.text for cell in row.cells] for t in word.tables for row in t.rows]
    assert ["月份", "收入（元）", "支出（元）"] in rows
    months = [m["month"] for m in prof.indicators["monthly"]]
    assert months and all(any(row[0] == m for row in rows) for m in months)
    assert ["建议", "法律依据"] in rows
    assert any(
        "纳入失信被执行人名单（违反限制消费令）" in row[0] and "第一条第（五）项" in row[1] for row in rows
    )
    assert any("限制消费期间仍有受限消费" in row[0] for row in rows)  # the finding, with its evidence lines
    assert any("中国东方航空" in " ".join(row) for row in rows)
    assert not word.inline_shapes  # no images: the PDF draws tables, and the platform has no chart library


def test_report_pdf_is_drawn_from_the_stored_word_file(
    prof: Any, people: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    from zhixing.documents import pdf

    if pdf.support():
        pytest.skip("no CJK font")
    settings.MEDIA_ROOT = tmp_path / "media"
    c = Client()
    c.force_login(people["judge"])
    doc = _make_report(c, prof)
    r = c.get(f"/documents/{doc.pk}/pdf/")
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and r["Content-Type"] == "application/pdf"


def test_minor_is_never_recommended_for_listing() -> None:
    ind = {
        "regular_income": [
            {
                "counterparty": "张某华",
                "period_days": 30,
                "avg_amount": 9000,
                "months": 6,
                "ids": [1],
                "total": 54000,
            }
        ],
        "totals": {"total_in": 200000},
    }
    out = evaluate(ind, DEFAULT_CONFIG, {"claim": 100000, "is_minor": True})
    codes = [r["code"] for r in out["recommendations"]]
    assert "no_listing_minor" in codes and "list_able" not in codes
    adult = evaluate(ind, DEFAULT_CONFIG, {"claim": 100000})
    assert [r["code"] for r in adult["recommendations"]] == ["list_able"]
    assert adult["score"] == 50  # regular 20 + third-party payer 15 + inflow ≥ claim 15


def test_charts_are_plain_svg() -> None:
    svg = charts.monthly_bars([{"month": "2024-01", "amount_in": "100", "amount_out": "50"}])
    assert svg.startswith("<svg") and "<script" not in svg
    assert "分析期间无流水" in charts.monthly_bars([])
