"""The profile page, its server-side SVG charts, the Word report and the PDF report."""

from __future__ import annotations

import io
import shutil
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.analytics import charts, queries, report, services
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


def test_word_report_text(prof: Any, people: dict[str, Any]) -> None:
    from docx import Document

    c = Client()
    c.force_login(people["judge"])
    r = c.get(reverse("analytics:report_docx", args=[prof.pk]))
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "被执行人履行能力分析报告" in text and prof.party.name in text
    assert "纳入失信被执行人名单（违反限制消费令）" in text and "第一条第（五）项" in text


NO_CHROMIUM = not shutil.which("chromium") and not shutil.which("/usr/bin/chromium")


@pytest.mark.skipif(NO_CHROMIUM, reason="no chromium")
def test_word_report_has_the_charts_as_png_images(prof: Any, people: dict[str, Any]) -> None:
    import struct

    from docx import Document

    c = Client()
    c.force_login(people["judge"])
    doc = Document(io.BytesIO(c.get(reverse("analytics:report_docx", args=[prof.pk])).content))
    blobs = [s._inline.graphic.graphicData.pic.blipFill.blip.embed for s in doc.inline_shapes]
    assert len(blobs) == 4
    pngs = [doc.part.related_parts[rid].blob for rid in blobs]
    assert all(b.startswith(b"\x89PNG\r\n\x1a\n") for b in pngs)
    width, _height = struct.unpack(">II", pngs[0][16:24])
    assert width == 1280  # the 640-px monthly chart at 2× for print
    captions = [p.text for p in doc.paragraphs if p.text.startswith("图：")]
    assert captions == ["图：月度收支", "图：消费类别", "图：交易对手网络", "图：时间轴"]


def test_word_report_without_a_browser_says_so(
    prof: Any, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from docx import Document

    monkeypatch.setattr(report, "CHROMIUM", "/nonexistent/chromium")
    c = Client()
    c.force_login(people["judge"])
    r = c.get(reverse("analytics:report_docx", args=[prof.pk]))
    doc = Document(io.BytesIO(r.content))
    assert r.status_code == 200 and len(doc.inline_shapes) == 0
    assert any(p.text.startswith("图表未能生成") for p in doc.paragraphs)


@pytest.mark.skipif(NO_CHROMIUM, reason="no chromium")
def test_pdf_report_prints_with_chromium(prof: Any, people: dict[str, Any]) -> None:
    ref = queries.debtor(people["judge"], prof.party.case_id, prof.party_id)
    assert ref is not None
    pdf = report.pdf_bytes(report.report_html(report.context(prof, ref)))
    assert (pdf.startswith(b"%PDF") and b"FontFile" in pdf) or b"/Font" in pdf


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
