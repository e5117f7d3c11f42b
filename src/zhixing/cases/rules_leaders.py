"""Pure arithmetic behind the leaders' pages: subtotals up the court tree, overdue age buckets, the
months of a trend and the chart series the browser draws. No ORM, no Django: `queries_leaders` reads
the rows, these functions shape them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

# -- subtotals up the court tree --------------------------------------------------------------------


def subtotals(
    parents: Mapping[int, int | None], own: Mapping[int, Mapping[str, int]], keys: Sequence[str]
) -> dict[int, dict[str, int]]:
    """Each court's figures summed with every court below it (a high court's row is its province total).

    `parents` maps every court in view to its parent (None or a court outside the view for the top);
    `own` holds the court's own figures (a court missing from `own` counts 0). A court's subtotal is
    its own figure plus the subtotals of its children; the walk is iterative, deepest first, so a
    tree of any depth sums in one pass. A cycle in `parents` is an error, never an endless loop.
    """
    children: dict[int, list[int]] = {c: [] for c in parents}
    for court, parent in parents.items():
        if parent is not None and parent in parents:
            children[parent].append(court)
    depth: dict[int, int] = {}
    for court in parents:
        d, seen, p = 0, {court}, parents[court]
        while p is not None and p in parents:
            if p in seen:
                raise ValueError(f"法院层级存在循环：{court}")
            seen.add(p)
            d += 1
            p = parents[p]
        depth[court] = d
    result: dict[int, dict[str, int]] = {}
    for court in sorted(parents, key=lambda c: -depth[c]):
        figures = {k: int(own.get(court, {}).get(k, 0)) for k in keys}
        for child in children[court]:
            for k in keys:
                figures[k] += result[child][k]
        result[court] = figures
    return result


# -- overdue nodes by age ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeBucket:
    """Overdue for `low`..`high` days (inclusive; `high` None: and more), with its label and code."""

    code: str
    label: str
    low: int
    high: int | None


AGE_BUCKETS: tuple[AgeBucket, ...] = (
    AgeBucket("1-7", "超期1–7天", 1, 7),
    AgeBucket("8-30", "超期8–30天", 8, 30),
    AgeBucket("31-90", "超期31–90天", 31, 90),
    AgeBucket("91-", "超期90天以上", 91, None),
)


def days_overdue(due_on: date, today: date) -> int:
    """Calendar days a deadline is past: due yesterday is 1 day overdue, due today is 0 (not overdue)."""
    return max(0, (today - due_on).days)


def age_bucket(days: int) -> AgeBucket | None:
    """The bucket of a node overdue `days` days, or None when it is not overdue (0 or fewer)."""
    for b in AGE_BUCKETS:
        if days >= b.low and (b.high is None or days <= b.high):
            return b
    return None


def bucket_by_code(code: str) -> AgeBucket | None:
    return next((b for b in AGE_BUCKETS if b.code == code), None)


def due_range(bucket: AgeBucket, today: date) -> tuple[date | None, date]:
    """The due dates of the nodes in `bucket` on `today`: (earliest or None, latest), both inclusive."""
    latest = today - timedelta(days=bucket.low)
    earliest = today - timedelta(days=bucket.high) if bucket.high is not None else None
    return earliest, latest


def bucket_counts(due_dates: Iterable[tuple[date, int]], today: date) -> dict[str, int]:
    """How many nodes fall in each bucket, from (due date, number of nodes due that day) pairs.

    Dates not yet overdue are left out; every bucket is present (0 when empty), in `AGE_BUCKETS` order.
    """
    counts = {b.code: 0 for b in AGE_BUCKETS}
    for d, n in due_dates:
        b = age_bucket(days_overdue(d, today))
        if b is not None:
            counts[b.code] += n
    return counts


# -- months of a trend ------------------------------------------------------------------------------


def last_months(today: date, n: int = 12) -> list[tuple[int, int]]:
    """The `n` calendar months ending with today's month, oldest first, as (year, month)."""
    y, m = today.year, today.month
    out: list[tuple[int, int]] = []
    for _ in range(n):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def month_label(ym: tuple[int, int]) -> str:
    return f"{ym[0]}-{ym[1]:02d}"


def monthly(
    values: Iterable[tuple[date, Any]], months: Sequence[tuple[int, int]], zero: Any = 0
) -> list[Any]:
    """Sum `values` (date, amount) into `months`; dates outside the months are left out."""
    index = {ym: i for i, ym in enumerate(months)}
    out = [zero for _ in months]
    for d, v in values:
        i = index.get((d.year, d.month))
        if i is not None:
            out[i] = out[i] + v
    return out


# -- the chart payload the browser draws ------------------------------------------------------------


def chart(
    title: str,
    kind: str,
    categories: Sequence[str],
    series: Sequence[Mapping[str, Any]],
    *,
    unit: str = "",
) -> dict[str, Any]:
    """The JSON one `<div data-chart>` draws: a category axis and named series; a series may carry per
    category the URL of the list its figure counts (the table fallback and a click on a bar open it).

    Decimal amounts become strings with two places (exact), counts stay integers.
    """
    if kind not in ("line", "bar"):
        raise ValueError(f"unknown chart kind {kind}")
    out_series = []
    for s in series:
        data = list(s["data"])
        if len(data) != len(categories):
            raise ValueError(f"series {s['name']} has {len(data)} values for {len(categories)} categories")
        out_series.append(
            {
                "name": s["name"],
                "data": [f"{v:.2f}" if isinstance(v, Decimal) else v for v in data],
                **({"axis": s["axis"]} if "axis" in s else {}),
                **({"kind": s["kind"]} if "kind" in s else {}),
                **({"links": _links(s["links"], len(categories))} if "links" in s else {}),
            }
        )
    payload: dict[str, Any] = {
        "title": title,
        "kind": kind,
        "unit": unit,
        "categories": list(categories),
        "series": out_series,
    }
    return payload


def _links(links: Sequence[str | None], n: int) -> list[str | None]:
    if len(links) != n:
        raise ValueError("one link per category")
    return list(links)


def to_wan(amount: Decimal) -> Decimal:
    """Yuan to 万元 with two places (leaders read money in 万元)."""
    return (amount / Decimal(10000)).quantize(Decimal("0.01"))
