"""The ability-to-pay report (被执行人履行能力分析报告) on the documents capability (issue 17, ADR 0021).

Made from one stored profile of the case's debtor: totals, the profile page's four charts as tables
(monthly income and spending, spending categories, main counterparties, the time line: the platform has
no chart library, and the PDF draws tables), the findings with their evidence lines (corrected values as
counted, with what the file said), the recommendations with their legal basis and the property leads.
Stored with its template version and hash, listed on the case, Word and PDF through `/documents/`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from zhixing.core import localtime
from zhixing.courts.queries import object_id
from zhixing.courts.roles import Cap
from zhixing.documents import fields, kinds
from zhixing.documents.kinds import Kind, NotApplicable

from . import queries
from .effective import effective, was_text
from .models import Profile

CODE = "ability_report"
EVIDENCE_ROWS = 10  # per finding, as the page's first view; the evidence bundle (CSV) has them all
CURRENCIES = {
    "CNY": "元",
    "USD": "美元",
    "HKD": "港元",
    "MOP": "澳门元",
    "EUR": "欧元",
    "JPY": "日元",
    "GBP": "英镑",
}
COUNTERPARTY_KINDS = {"related": "关联方转出", "regular_income": "固定收入来源", "payees": "固定支出对象"}
KEY_DATES = {"effective_on": "判决生效", "deadline": "履行期满", "filed_on": "立案", "notice_on": "执行通知"}


def _money(value: Any) -> str:
    try:
        return fields.yuan(Decimal(str(value if value is not None else 0)))
    except InvalidOperation:
        return str(value)


def _rows(items: list[dict[str, str]], keys: tuple[str, ...]) -> list[dict[str, str]]:
    """The table's rows, or one row saying there is nothing (a table never shows an empty gap)."""
    return items or [{keys[0]: "无", **dict.fromkeys(keys[1:], "—")}]


def _profile(case: Any, source: str) -> Profile:
    p = (
        Profile.objects.select_related("ruleset", "court", "party")
        .filter(party__case_id=case.pk, pk=object_id(source) or 0)
        .first()
    )
    if p is None:
        raise NotApplicable("请选择本案被执行人的履行能力画像")
    return p


def _amount(tx: Any) -> str:
    e = effective(tx)
    unit = CURRENCIES.get(tx.currency, f"（{tx.currency}）")
    text = f"{_money(e.amount)}{unit}"
    if not e.corrected:
        return text
    notes = ["已更正" + (f"，原为{_money(e.was_amount)}" if e.was_amount is not None else "")]
    if e.was_direction is not None:
        notes.append("原收支方向不同")
    if e.excluded:
        notes.append("不计入指标")
    return f"{text}（{'；'.join(notes)}）"


def _evidence(p: Profile) -> tuple[list[dict[str, str]], str]:
    out: list[dict[str, str]] = []
    corrected = more = 0
    for f in p.findings:
        for tx in queries.transactions(p.party_id, f["evidence"][:EVIDENCE_ROWS]):
            e = effective(tx)
            corrected += bool(e.corrected)
            out.append(
                {
                    "rule": f["label"],
                    "time": localtime.format_datetime(tx.occurred_at, localtime.MINUTE_FORMAT),
                    "amount": _amount(tx),
                    "counterparty": was_text(e.counterparty, e.was_counterparty) or "—",
                    "summary": was_text(f"{tx.summary} {e.category}".strip(), e.was_category) or "—",
                }
            )
        for trip in queries.travel_records(p.party_id, f.get("travel_evidence", [])[:EVIDENCE_ROWS]):
            out.append(
                {
                    "rule": f["label"],
                    "time": localtime.format_date(trip.start_at),
                    "amount": f"{_money(trip.amount)}元",
                    "counterparty": f"{trip.get_kind_display()} {trip.carrier}".strip(),
                    "summary": trip.seat_class or "—",
                }
            )
        more += max(0, len(f["evidence"]) - EVIDENCE_ROWS)
        more += max(0, len(f.get("travel_evidence", [])) - EVIDENCE_ROWS)
    notes = [f"每条规则列出前{EVIDENCE_ROWS}条证据。"]
    if more:
        notes.append(f"另有{more}条证据见系统画像页面和证据材料（CSV）。")
    if corrected:
        notes.append("标注“已更正”的流水按更正后的内容列示并计入指标，“原为”后是导入文件中的原始内容。")
    return _rows(out, ("rule", "time", "amount", "counterparty", "summary")), "".join(notes)


def _timeline(p: Profile) -> list[dict[str, str]]:
    kd = p.key_dates or {}
    marks = [(date.fromisoformat(kd[k]), v) for k, v in KEY_DATES.items() if kd.get(k)]
    marks += [(date.fromisoformat(v["day"]), "限制消费期间消费") for v in p.indicators.get("violations", [])]
    marks = sorted((d, v) for d, v in marks if p.period_start <= d <= p.period_end)
    return _rows([{"day": fields.cn_date(d), "event": v} for d, v in marks], ("day", "event"))


def ability_report(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    p = _profile(case, source)
    ind, labels = p.indicators or {}, p.ruleset.config.get("category_labels", {})
    totals = ind.get("totals", {})
    categories = [
        {"label": labels.get(k, k), "net": _money(v.get("net")), "n": str(v.get("n") or 0)}
        for k, v in sorted(ind.get("categories", {}).items(), key=lambda kv: -float(kv[1].get("net") or 0))
    ]
    categories += [
        {
            "label": f"{labels.get(k, k)}（出行记录）",
            "net": _money(v.get("amount")),
            "n": str(v.get("n") or 0),
        }
        for k, v in ind.get("travel", {}).items()
    ]
    counterparties = [
        {"name": str(r["counterparty"]), "kind": label, "total": _money(r.get("total"))}
        for key, label in COUNTERPARTY_KINDS.items()
        for r in ind.get(key, [])
        if r.get("counterparty")
    ]
    evidence, note = _evidence(p)
    leads = [
        {
            "counterparty": lead.counterparty,
            "kind": lead.lead_type or lead.get_kind_display(),
            "months": str(lead.months),
            "total": _money(lead.total),
            "state": lead.get_state_display() + (f"：{lead.outcome}" if lead.outcome else ""),
        }
        for lead in queries.leads_of(p)
    ]
    return {
        "court": p.court.name,
        "document_number": f"{case.number}之履行能力分析{p.pk}",
        "case_number": case.number,
        "debtor": p.party.name,
        "period": f"{fields.cn_date(p.period_start)}至{fields.cn_date(p.period_end)}",
        "ruleset": f"第{p.ruleset.version}版",
        "score": f"{p.score}分（满分100分）",
        "total_in": _money(totals.get("total_in")),
        "total_out": _money(totals.get("total_out")),
        "refunds": _money(totals.get("refunds")),
        "foreign_lines": str(totals.get("foreign_lines") or 0),
        "monthly": _rows(
            [
                {
                    "month": str(m["month"]),
                    "amount_in": _money(m["amount_in"]),
                    "amount_out": _money(m["amount_out"]),
                }
                for m in ind.get("monthly", [])
            ],
            ("month", "amount_in", "amount_out"),
        ),
        "categories": _rows(categories, ("label", "net", "n")),
        "counterparties": _rows(counterparties, ("name", "kind", "total")),
        "timeline": _timeline(p),
        "findings": _rows(
            [
                {"label": f["label"], "weight": str(f["weight"]), "detail": f.get("detail") or "—"}
                for f in p.findings
            ],
            ("label", "weight", "detail"),
        ),
        "evidence": evidence,
        "evidence_note": note,
        "recommendations": _rows(
            [{"title": r["title"], "basis": r["basis"]} for r in p.recommendations], ("title", "basis")
        ),
        "leads": _rows(leads, ("counterparty", "kind", "months", "total", "state")),
        "date": fields.cn_date(p.computed_at),
    }


def profile_sources(case: Any) -> list[tuple[str, str]]:
    rows = Profile.objects.filter(party__case_id=case.pk).select_related("party").order_by("-pk")[:200]
    return [(str(p.pk), f"{p.party.name} {p.period_start}至{p.period_end}（评分{p.score}）") for p in rows]


def install() -> None:
    """Register this domain's kind (called from AnalyticsConfig.ready)."""
    kinds.register(
        Kind(
            CODE,
            "被执行人履行能力分析报告",
            ability_report,
            Cap.ANALYTICS_PROFILE,
            profile_sources,
            "履行能力画像",
        )
    )
