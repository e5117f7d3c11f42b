"""The judge's report on a profile: Word (python-docx) and PDF (Chromium prints the report HTML).

LibreOffice is not on these machines, so the PDF is the report page printed by Debian's Chromium
through Playwright (`page.pdf()`), which embeds the Noto CJK font. The Word report carries the same
SVG charts as PNG images, screenshotted by the same Chromium (no raster library is installed).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any, TypeVar

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from zhixing.core import localtime, spreadsheet

from . import charts, queries
from .effective import DIRECTION_LABELS, amount_text, effective, was_text
from .indicators import ROW_FILTERS
from .queries_rows import CATEGORY_RULE

CHROMIUM = os.environ.get("ZHIXING_CHROMIUM", "/usr/bin/chromium")
EVIDENCE_ROWS = 10
CHART_TITLES = {
    "monthly": "月度收支",
    "categories": "消费类别",
    "network": "交易对手网络",
    "timeline": "时间轴",
}
PNG_CACHE_SIZE = 32
_PNG_CACHE: dict[str, dict[str, bytes]] = {}
_PNG_LOCK = threading.Lock()
logger = logging.getLogger(__name__)
T = TypeVar("T")


def context(profile: Any, ref: queries.DebtorRef) -> dict[str, Any]:
    labels = profile.ruleset.config.get("category_labels", {})
    findings = []
    for f in profile.findings:
        rows = queries.transactions(ref.party.pk, f["evidence"][:EVIDENCE_ROWS])
        trips = queries.travel_records(ref.party.pk, f.get("travel_evidence", [])[:EVIDENCE_ROWS])
        count = len(f["evidence"]) + len(f.get("travel_evidence", []))
        more = max(0, len(f["evidence"]) - EVIDENCE_ROWS)
        rows_url = _rows_url(ref, {"profile": str(profile.pk), "rule": f["rule"]}) if f["evidence"] else ""
        findings.append(
            {**f, "rows": rows, "trips": trips, "count": count, "more": more, "rows_url": rows_url}
        )
    return {
        "profile": profile,
        "ref": ref,
        "case": ref.case,
        "party": ref.party,
        "findings": findings,
        "charts": charts.all_charts(profile, ref.party.name, labels),
        "totals": profile.indicators.get("totals", {}),
        "leads": queries.leads_of(profile),
        "labels": labels,
        "row_links": row_links(profile, ref),
        "monthly_links": monthly_links(profile, ref),
        "category_links": category_links(profile, ref, labels),
        "counterparty_links": counterparty_links(profile, ref),
    }


def _rows_url(ref: queries.DebtorRef, params: dict[str, str]) -> str:
    url = reverse("analytics:rows", args=[ref.case.pk, ref.party.pk])
    return f"{url}?{urlencode(params)}" if params else url


def monthly_links(profile: Any, ref: queries.DebtorRef) -> list[dict[str, Any]]:
    """Each month of the monthly chart with links to its income and spending rows (within the period)."""
    out = []
    for m in profile.indicators.get("monthly", []):
        first = date.fromisoformat(f"{m['month']}-01")
        last = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
        span = {
            "start": str(max(first, profile.period_start)),
            "end": str(min(last, profile.period_end)),
            "counted": "1",
        }
        out.append(
            {
                **m,
                "in_url": _rows_url(ref, {**span, **ROW_FILTERS["total_in"]}),
                "out_url": _rows_url(ref, {**span, **ROW_FILTERS["total_out"]}),
            }
        )
    return out


def category_links(profile: Any, ref: queries.DebtorRef, labels: dict[str, str]) -> list[dict[str, Any]]:
    """Each spending category of the category chart with the link to its lines (the ids the profile
    kept: the first `indicators.EVIDENCE_LIMIT` of them, which `partial` says)."""
    out = []
    cats = profile.indicators.get("categories", {})
    for cat, row in sorted(cats.items(), key=lambda kv: -float(kv[1].get("net") or 0)):
        ids = row.get("ids") or []
        if not ids:
            continue
        out.append(
            {
                "cat": cat,
                "label": labels.get(cat, cat),
                "net": row.get("net"),
                "n": row.get("n"),
                "shown": len(ids),
                "partial": len(ids) < int(row.get("n") or 0),
                "url": _rows_url(ref, {"profile": str(profile.pk), "rule": f"{CATEGORY_RULE}{cat}"}),
            }
        )
    return out


def category_finding(profile: Any, rule: str) -> dict[str, str] | None:
    """What the rows page says above a category's lines (None when `rule` names no category)."""
    if not rule.startswith(CATEGORY_RULE):
        return None
    cat = rule[len(CATEGORY_RULE) :]
    row = (profile.indicators or {}).get("categories", {}).get(cat)
    if not isinstance(row, dict):
        return None
    label = profile.ruleset.config.get("category_labels", {}).get(cat, cat)
    shown = len(row.get("ids") or [])
    detail = f"净支出 {row.get('net')} 元，共{row.get('n')}笔"
    if shown < int(row.get("n") or 0):
        detail += f"（此处列出前{shown}笔）"
    return {"label": f"消费类别：{label}", "detail": detail}


COUNTERPARTY_KINDS = {
    "related": ("关联方转出", "out"),
    "regular_income": ("固定收入来源", "in"),
    "payees": ("固定支出对象", "out"),
}


def counterparty_links(profile: Any, ref: queries.DebtorRef) -> list[dict[str, Any]]:
    """Each counterparty of the network chart with the link to its counted lines in the period."""
    period = {"start": str(profile.period_start), "end": str(profile.period_end), "counted": "1"}
    out = []
    for key, (label, direction) in COUNTERPARTY_KINDS.items():
        for r in profile.indicators.get(key, []):
            name = str(r.get("counterparty") or "")
            if not name:
                continue
            params = {**period, "direction": direction, "counterparty": name[:100]}
            out.append({"name": name, "kind": label, "total": r.get("total"), "url": _rows_url(ref, params)})
    return out


def row_links(profile: Any, ref: queries.DebtorRef) -> dict[str, str]:
    """Each total's link to the rows page, filtered to the rows behind it (`indicators.ROW_FILTERS`)."""
    period = {"start": str(profile.period_start), "end": str(profile.period_end), "counted": "1"}
    return {name: _rows_url(ref, {**period, **flt}) for name, flt in ROW_FILTERS.items()}


def rows_shown(ctx: dict[str, Any]) -> int:
    """How many evidence rows (lines and trips) the report carries (what its export audit records)."""
    return sum(len(f["rows"]) + len(f["trips"]) for f in ctx["findings"])


def docx_bytes(ctx: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    p, case, party = ctx["profile"], ctx["case"], ctx["party"]
    doc.add_heading("被执行人履行能力分析报告", level=0)
    doc.add_paragraph(f"案号：{case.number}")
    doc.add_paragraph(f"被执行人：{party.name}")
    doc.add_paragraph(f"分析期间：{p.period_start} 至 {p.period_end}；规则版本：v{p.ruleset.version}")
    doc.add_paragraph(f"履行能力评分：{p.score} / 100")
    t = ctx["totals"]
    doc.add_paragraph(
        f"收入合计：{t.get('total_in', 0)}元；支出合计：{t.get('total_out', 0)}元；"
        f"退款：{t.get('refunds', 0)}元；境外币种交易：{t.get('foreign_lines', 0)}笔"
    )
    _add_charts(doc, ctx["charts"])
    doc.add_heading("一、命中规则及证据", level=1)
    if not ctx["findings"]:
        doc.add_paragraph("未命中任何规则。")
    for f in ctx["findings"]:
        doc.add_heading(f"{f['label']}（权重 {f['weight']}）", level=2)
        doc.add_paragraph(f["detail"])
        if f["rows"]:
            table = doc.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, ["时间", "金额", "交易对方", "摘要"], strict=True):
                cell.text = text
            for tx in f["rows"]:
                # The corrected values, as the indicators count them, with what the file said.
                e = effective(tx)
                cells = table.add_row().cells
                cells[0].text = localtime.format_datetime(tx.occurred_at, localtime.MINUTE_FORMAT)
                cells[1].text = amount_text(e, tx.currency)
                cells[2].text = was_text(e.counterparty, e.was_counterparty)
                cells[3].text = was_text(f"{tx.summary} {e.category}".strip(), e.was_category)
            if any(effective(tx).corrected for tx in f["rows"]):
                doc.add_paragraph(
                    "标注“已更正”的流水按更正后的内容列示并计入指标，“原为”后是导入文件中的原始内容。"
                )
        for trip in f["trips"]:
            doc.add_paragraph(
                f"{trip.get_kind_display()} {localtime.format_date(trip.start_at)} "
                f"{trip.carrier} {trip.seat_class}"
            )
        if f["more"]:
            doc.add_paragraph(f"另有{f['more']}条证据流水，见系统画像页面。")
    doc.add_heading("二、处置建议及法律依据", level=1)
    for r in p.recommendations:
        doc.add_paragraph(f"{r['title']}。依据：{r['basis']}", style="List Bullet")
    if not p.recommendations:
        doc.add_paragraph("暂无处置建议。")
    doc.add_heading("三、财产线索", level=1)
    for lead in ctx["leads"]:
        doc.add_paragraph(
            f"{lead.counterparty}（{lead.lead_type}）{lead.months}个月，累计{lead.total}元；"
            f"{lead.get_state_display()}{'：' + lead.outcome if lead.outcome else ''}",
            style="List Bullet",
        )
    if not ctx["leads"]:
        doc.add_paragraph("暂无。")
    doc.add_paragraph("本报告由智执履行能力分析模块依据导入的流水自动生成，供承办法官参考，不替代法官判断。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _add_charts(doc: Any, svgs: dict[str, str]) -> None:
    from docx.shared import Cm

    doc.add_heading("图表", level=1)
    images = chart_pngs(svgs)
    if not images:
        doc.add_paragraph("图表未能生成（服务器浏览器组件不可用），请在系统画像页面查看。")
        return
    for name, png in images.items():
        doc.add_picture(io.BytesIO(png), width=Cm(16))
        doc.add_paragraph(f"图：{CHART_TITLES.get(name, name)}")


BUNDLE_HEADER = [
    "规则",
    "交易时间",
    "金额",
    "币种",
    "交易对方",
    "对方账号",
    "摘要",
    "文件行号",
    "导入文件",
    # A corrected line: its amount, counterparty and category above are the corrected ones (as counted);
    # these say why, whether it is counted, and what the file said where the correction changed it.
    "更正理由",
    "不计入指标",
    "原金额",
    "原收支",
    "原交易对方",
    "原分类",
]


def bundle_rows(ctx: dict[str, Any]) -> Iterator[list[Any]]:
    """Every evidence row of every finding (header first), for the core CSV writer.

    Values are passed raw: amounts as numbers, times as datetimes; `zhixing.core.spreadsheet` writes
    them in Beijing time and neutralises text a spreadsheet would run as a formula.
    """
    party_id = ctx["party"].pk
    yield BUNDLE_HEADER
    for f in ctx["profile"].findings:
        for tx in queries.transactions(party_id, f["evidence"]):
            e = effective(tx)
            yield [
                f["label"],
                tx.occurred_at,
                e.amount,
                tx.currency,
                e.counterparty,
                tx.counterparty_account,
                f"{tx.summary} {e.category}".strip(),
                tx.row_no,
                tx.job_id,
                e.reason,
                "是" if e.excluded else "",
                "" if e.was_amount is None else e.was_amount,
                DIRECTION_LABELS.get(e.was_direction, e.was_direction) if e.was_direction else "",
                "" if e.was_counterparty is None else e.was_counterparty,
                "" if e.was_category is None else e.was_category,
            ]
        for trip in queries.travel_records(party_id, f.get("travel_evidence", [])):
            yield [
                f["label"],
                trip.start_at,
                trip.amount,
                "CNY",
                f"{trip.get_kind_display()} {trip.carrier}",
                "",
                f"{trip.seat_class} {trip.country}",
                trip.row_no,
                trip.job_id,
                *[""] * 6,
            ]


def bundle_csv(ctx: dict[str, Any]) -> tuple[bytes, int]:
    """The evidence bundle as CSV (UTF-8 with BOM so Excel opens it) and its number of data rows."""
    rows = spreadsheet.Counted(bundle_rows(ctx))
    return spreadsheet.csv_bytes(rows), rows.count - 1


def report_html(ctx: dict[str, Any]) -> str:
    return render_to_string("analytics/report_print.html", ctx)


@contextmanager
def _browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright (no network access needed)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            yield browser
        finally:
            browser.close()


def _outside_event_loop(fn: Callable[..., T], *args: Any) -> T:
    """Run `fn` in a fresh thread when this thread already runs an asyncio loop.

    Playwright's sync API refuses to start inside a running loop (an ASGI server's own thread, a
    caller that drives Playwright itself); a plain worker thread has none. Elsewhere `fn` runs here.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def pdf_bytes(html: str) -> bytes:
    """Print the report HTML to PDF with Debian's Chromium (embeds the Noto CJK font)."""
    return _outside_event_loop(_pdf_bytes, html)


def _pdf_bytes(html: str) -> bytes:
    with _browser() as browser:
        page = browser.new_page()
        page.set_content(html, wait_until="load")
        return bytes(
            page.pdf(
                format="A4",
                print_background=True,
                margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
            )
        )


def _screenshots(html: str, names: list[str]) -> dict[str, bytes]:
    with _browser() as browser:
        page = browser.new_page(device_scale_factor=2, viewport={"width": 660, "height": 800})
        page.set_content(html, wait_until="load")
        return {
            name: bytes(page.locator(f"#chart-{i} svg").screenshot(type="png"))
            for i, name in enumerate(names)
        }


def chart_pngs(svgs: dict[str, str]) -> dict[str, bytes]:
    """The SVG charts as PNG images (2× for print), rendered by Chromium in one page load.

    No raster library (Pillow, cairo) is installed, and Chromium already draws these SVGs with the
    CJK font for the PDF, so Word gets exactly the charts the profile page shows. Returns {} when
    Chromium cannot be started; the caller then says so in the document instead of failing. A
    profile never changes once computed, so the last few renderings are kept in memory by content
    (a judge downloading the same report again does not start the browser again).
    """
    if not svgs:
        return {}
    key = hashlib.sha256(repr((CHROMIUM, sorted(svgs.items()))).encode()).hexdigest()
    if key in _PNG_CACHE:
        return _PNG_CACHE[key]
    body = "".join(
        f'<div id="chart-{i}" style="width:640px">{svg}</div>' for i, svg in enumerate(svgs.values())
    )
    html = f'<!doctype html><meta charset="utf-8"><body style="margin:0;background:#fff">{body}</body>'
    try:
        images = _outside_event_loop(_screenshots, html, list(svgs))
    except Exception as exc:
        logger.warning("chart rendering for the Word report failed: %s", exc)
        return {}
    with _PNG_LOCK:
        while len(_PNG_CACHE) >= PNG_CACHE_SIZE:
            _PNG_CACHE.pop(next(iter(_PNG_CACHE)))
        _PNG_CACHE[key] = images
    return images
