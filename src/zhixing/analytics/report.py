"""The profile page's context (findings with their evidence, charts, links to the rows behind each figure)
and the evidence bundle (CSV).

The report as a document (Word and PDF) is the documents capability's kind `ability_report`
(`analytics.documents_kinds`, issue 17): stored with its template version and hash, listed on the case.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from zhixing.core import spreadsheet

from . import charts, queries
from .effective import DIRECTION_LABELS, effective
from .indicators import ROW_FILTERS
from .queries_rows import CATEGORY_RULE

EVIDENCE_ROWS = 10


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
