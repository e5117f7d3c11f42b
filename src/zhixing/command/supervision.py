"""执行监督: a higher court's view of its subordinate courts' overdue and irregular items.

Irregular items come from the domains that hold them, through their queries: controls let lapse on
open cases (inquiry), case money held past its payout deadline (funds), 终本 closings without their
preconditions (a registered source of cases, 未接入 until it exists), overdue nodes (cases). 督办 are
the existing ones of `zhixing.cases` (issued from the case page's panel, listed on /supervision/orders/);
this view counts them per court — open, overdue, replied — and links there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zhixing.cases import queries_quality
from zhixing.courts.models import Court
from zhixing.funds import queries_command as funds_q
from zhixing.inquiry import queries_command as inquiry_q

from . import sources

KINDS = {
    "lapsed_control": "控制措施失效",
    "money_held": "案款超期未发放",
    "dormant_irregular": "终本不符合条件",
}


@dataclass
class CourtLine:
    court: Court
    overdue_nodes: int = 0
    items: dict[str, int] = field(default_factory=dict)
    orders: dict[str, int] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[str, int | None]]:
        """(kind, count) in KINDS order; None where the kind's source is not registered (未接入)."""
        return [(k, self.items.get(k)) for k in KINDS]


@dataclass
class Overview:
    lines: list[CourtLine]
    items: list[dict[str, Any]]
    dormant_source: bool


def overview(court: Court, today: date, kind: str = "", limit: int = 200) -> Overview:
    """Per court of `court`'s subtree: overdue nodes, irregular items by kind, 督办 counts; and the items
    (of `kind`, or all) oldest first, at most `limit` per kind."""
    courts = list(Court.objects.filter(path__startswith=court.path).order_by("path"))
    ids = [c.pk for c in courts]
    by_kind: dict[str, list[dict[str, Any]]] = {
        "lapsed_control": inquiry_q.lapsed_controls(ids, today, limit),
        "money_held": funds_q.held_too_long(ids, today, limit),
    }
    reader = sources.get("dormant_without_preconditions")
    if reader is not None:
        start = date(today.year, 1, 1)
        by_kind["dormant_irregular"] = [
            {
                **r,
                "court": next((c.name for c in courts if c.pk == r["court_id"]), ""),
                "what": f"终本结案缺少：{r['missing']}",
                "since": r["closed_on"],
            }
            for r in reader(ids, start, today)
        ][:limit]
    nodes = queries_quality.overdue_nodes_by_court(ids, today)
    orders = queries_quality.order_counts_by_court(ids, today)
    lines = []
    for c in courts:
        counts = {k: sum(1 for r in rows if r["court_id"] == c.pk) for k, rows in by_kind.items()}
        lines.append(
            CourtLine(
                c, nodes.get(c.pk, 0), counts, orders.get(c.pk, {"open": 0, "overdue": 0, "replied": 0})
            )
        )
    items = [
        {**r, "kind": k, "kind_label": KINDS[k]}
        for k, rows in by_kind.items()
        if not kind or kind == k
        for r in rows
    ]
    items.sort(key=lambda r: (r["since"], r["number"]))
    return Overview(lines, items, reader is not None)
