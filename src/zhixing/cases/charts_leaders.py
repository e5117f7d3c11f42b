"""The leaders' chart payloads (JSON the browser draws with the platform's ECharts) and the URLs of the
lists each figure opens. Shared by the pages (`views_leaders`) and the API (`api_supervision`).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from zhixing.courts.models import Court

from . import queries_leaders
from . import rules_leaders as rl


def nodes_url(court: Court, *, tree: bool = True, **extra: Any) -> str:
    params = {"court": court.code, **({"tree": "1"} if tree else {}), **extra}
    return f"{reverse('supervision_nodes')}?{urlencode(params)}"


def cases_url(court: Court, kind: str, *, tree: bool = True, **extra: Any) -> str:
    params = {"court": court.code, "kind": kind, **({"tree": "1"} if tree else {}), **extra}
    return f"{reverse('supervision_cases')}?{urlencode(params)}"


def trend_chart(court: Court, today: date) -> dict[str, Any]:
    t = queries_leaders.trend(court, today)
    labels = [rl.month_label(m) for m in t.months]
    return rl.chart(
        f"{court.name}近12个月收结案与执行到位金额",
        "line",
        labels,
        [
            {
                "name": "收案（件）",
                "data": t.filed,
                "links": [cases_url(court, "filed", month=x) for x in labels],
            },
            {
                "name": "结案（件）",
                "data": t.closed,
                "links": [cases_url(court, "closed", month=x) for x in labels],
            },
            {"name": "执行到位（万元）", "data": [rl.to_wan(v) for v in t.paid], "axis": 1, "kind": "bar"},
        ],
        unit="件",
    )


def courts_chart(user: Any, court: Court, today: date) -> dict[str, Any]:
    rows = queries_leaders.comparison(user, court, today)
    labels = [c.name + ("" if subtotal else "（本院）") for c, _, subtotal in rows]
    series = []
    for key, name in (
        ("open_cases", "在办案件"),
        ("overdue_nodes", "超期节点"),
        ("term_overdue", "超执行期限案件"),
    ):
        links = [
            nodes_url(c, tree=subtotal)
            if key == "overdue_nodes"
            else cases_url(c, "open" if key == "open_cases" else "term_overdue", tree=subtotal)
            for c, _, subtotal in rows
        ]
        series.append({"name": name, "data": [figs[key] for _, figs, _ in rows], "links": links})
    return rl.chart(f"{court.name}及下级法院对比", "bar", labels, series, unit="件")


def age_chart(court: Court, today: date) -> dict[str, Any]:
    counts = queries_leaders.age_counts(court, today)
    return rl.chart(
        f"{court.name}超期节点（按超期时长）",
        "bar",
        [b.label for b in rl.AGE_BUCKETS],
        [
            {
                "name": "超期节点",
                "data": [counts[b.code] for b in rl.AGE_BUCKETS],
                "links": [nodes_url(court, age=b.code) for b in rl.AGE_BUCKETS],
            }
        ],
        unit="个",
    )


CHARTS = ("trend", "courts", "age")


def chart_payload(user: Any, name: str, court: Court, today: date) -> dict[str, Any]:
    if name == "trend":
        return trend_chart(court, today)
    if name == "courts":
        return courts_chart(user, court, today)
    return age_chart(court, today)
