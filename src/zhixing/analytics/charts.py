"""Inline SVG charts rendered on the server (no JavaScript, no CDN): pure functions of profile data."""

from __future__ import annotations

import math
from datetime import date
from html import escape
from typing import Any

W, H = 640, 240
COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#be185d", "#4b5563"]


def _f(v: Any) -> float:
    try:
        return float(v or 0)
    except (TypeError, ValueError):
        return 0.0


def _svg(body: str, title: str, height: int = H) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="{W}" role="img" '
        f'style="max-width:100%;height:auto" '
        f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>'
        f'<style>text{{font:12px "Noto Sans CJK SC",sans-serif;fill:#374151}}</style>{body}</svg>'
    )


def monthly_bars(monthly: list[dict[str, Any]]) -> str:
    """Grouped bars of monthly inflow (blue) and outflow (red)."""
    if not monthly:
        return _svg('<text x="20" y="120">分析期间无流水</text>', "月度收支")
    top = max(max(_f(m["amount_in"]), _f(m["amount_out"])) for m in monthly) or 1.0
    left, bottom, plot_h = 60, H - 40, H - 70
    step = (W - left - 10) / len(monthly)
    bw = max(1.0, step * 0.4)
    parts = [
        f'<line x1="{left}" y1="{bottom}" x2="{W - 10}" y2="{bottom}" stroke="#9ca3af"/>',
        f'<text x="4" y="{bottom - plot_h + 4}">{top:,.0f}</text><text x="4" y="{bottom}">0</text>',
        '<rect x="440" y="6" width="10" height="10" fill="#2563eb"/><text x="454" y="15">收入</text>',
        '<rect x="500" y="6" width="10" height="10" fill="#dc2626"/><text x="514" y="15">支出</text>',
    ]
    label_every = max(1, math.ceil(len(monthly) / 12))
    for i, m in enumerate(monthly):
        x = left + i * step
        for j, (key, color) in enumerate((("amount_in", "#2563eb"), ("amount_out", "#dc2626"))):
            h = plot_h * max(_f(m[key]), 0) / top
            label = f"{escape(m['month'])} {'收入' if j == 0 else '支出'} {_f(m[key]):,.2f}元"
            parts.append(
                f'<rect x="{x + j * bw:.1f}" y="{bottom - h:.1f}" width="{bw:.1f}" height="{h:.1f}" '
                f'fill="{color}"><title>{label}</title></rect>'
            )
        if i % label_every == 0:
            parts.append(f'<text x="{x:.1f}" y="{bottom + 16}">{escape(m["month"][2:])}</text>')
    return _svg("".join(parts), "月度收支")


def category_bars(categories: dict[str, Any], travel: dict[str, Any], labels: dict[str, str]) -> str:
    """Horizontal bars of net spending per consumption category (statements + travel records)."""
    rows = [(labels.get(k, k), _f(v["net"])) for k, v in categories.items()]
    rows += [(labels.get(k, k) + "（出行记录）", _f(v["amount"])) for k, v in travel.items()]
    rows = sorted([r for r in rows if r[1] > 0], key=lambda r: -r[1])[:8]
    if not rows:
        return _svg('<text x="20" y="40">未发现高消费类别</text>', "消费类别", 60)
    top = rows[0][1]
    height = 30 + 28 * len(rows)
    parts = []
    for i, (label, value) in enumerate(rows):
        y = 14 + i * 28
        w = (W - 330) * value / top
        parts.append(
            f'<text x="4" y="{y + 14}">{escape(label)}</text>'
            f'<rect x="170" y="{y}" width="{w:.1f}" height="18" fill="{COLORS[i % len(COLORS)]}"/>'
            f'<text x="{176 + w:.1f}" y="{y + 14}">{value:,.2f}元</text>'
        )
    return _svg("".join(parts), "消费类别", height)


def network(debtor: str, edges: list[tuple[str, float, str]]) -> str:
    """Star network: the debtor in the centre, counterparties around, line width by amount.

    `edges` are (counterparty, amount, kind) with kind in related / income / payee.
    """
    if not edges:
        return _svg('<text x="20" y="40">无显著交易对手</text>', "交易对手网络", 60)
    edges = sorted(edges, key=lambda e: -e[1])[:12]
    cx, cy, r = W / 2, 150, 115
    top = max(e[1] for e in edges) or 1.0
    color = {"related": "#dc2626", "income": "#16a34a", "payee": "#d97706"}
    parts = []
    for i, (name, amount, kind) in enumerate(edges):
        a = 2 * math.pi * i / len(edges) - math.pi / 2
        x, y = cx + r * 1.9 * math.cos(a), cy + r * math.sin(a)
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{color.get(kind, "#6b7280")}" '
            f'stroke-width="{1 + 6 * amount / top:.1f}" opacity="0.7"><title>{escape(name)} {amount:,.2f}元'
            f'</title></line><circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{color.get(kind, "#6b7280")}"/>'
            f'<text x="{x + 7:.1f}" y="{y + 4:.1f}">{escape(name[:12])}</text>'
        )
    parts.append(
        f'<circle cx="{cx}" cy="{cy}" r="22" fill="#111827"/>'
        f'<text x="{cx - 18}" y="{cy + 4}" style="fill:#fff">{escape(debtor[:3])}</text>'
    )
    legend = '<text x="4" y="290">红：关联人　绿：定期收入来源　橙：定期付款对象</text>'
    return _svg("".join(parts) + legend, "交易对手网络", 300)


def timeline(start: date, end: date, marks: list[tuple[date, str]], events: list[tuple[date, str]]) -> str:
    """Analysis period with the case's key dates (marks) and flagged events (dots)."""
    span = max((end - start).days, 1)
    left, right = 20, W - 20

    def x(d: date) -> float:
        return left + (right - left) * min(max((d - start).days, 0), span) / span

    parts = [
        f'<line x1="{left}" y1="70" x2="{right}" y2="70" stroke="#374151" stroke-width="2"/>',
        f'<text x="{left}" y="92">{start}</text><text x="{right - 70}" y="92">{end}</text>',
    ]
    for i, (d, label) in enumerate(sorted(marks)):
        xx = x(d)
        parts.append(
            f'<line x1="{xx:.1f}" y1="40" x2="{xx:.1f}" y2="78" stroke="#2563eb"/>'
            f'<text x="{xx + 2:.1f}" y="{30 - (i % 2) * 14 + 14}">{escape(label)} {d:%Y-%m-%d}</text>'
        )
    for d, label in events[:200]:
        parts.append(
            f'<circle cx="{x(d):.1f}" cy="70" r="4" fill="#dc2626">'
            f"<title>{escape(label)} {d}</title></circle>"
        )
    return _svg("".join(parts), "时间轴", 110)


def all_charts(profile: Any, debtor_name: str, labels: dict[str, str]) -> dict[str, str]:
    ind = profile.indicators
    edges: list[tuple[str, float, str]] = [
        (r["counterparty"], _f(r["total"]), "related") for r in ind.get("related", [])
    ]
    edges += [(r["counterparty"], _f(r["total"]), "income") for r in ind.get("regular_income", [])]
    edges += [(r["counterparty"], _f(r["total"]), "payee") for r in ind.get("payees", [])]
    kd = profile.key_dates or {}
    names = {"effective_on": "判决生效", "deadline": "履行期满", "filed_on": "立案", "notice_on": "执行通知"}
    marks = [(date.fromisoformat(kd[k]), v) for k, v in names.items() if kd.get(k)]
    marks = [(d, v) for d, v in marks if profile.period_start <= d <= profile.period_end]
    events = [(date.fromisoformat(v["day"]), "限消期间消费") for v in ind.get("violations", [])]
    return {
        "monthly": monthly_bars(ind.get("monthly", [])),
        "categories": category_bars(ind.get("categories", {}), ind.get("travel", {}), labels),
        "network": network(debtor_name, edges),
        "timeline": timeline(profile.period_start, profile.period_end, marks, events),
    }
