"""What an import decides and checks about a file's lines, in SQL over the staged lines
(`columnar_import.Staged`): the duplicate decisions of `dedup.decide`, its id-reuse notes, the
aggregates `preview.warnings` words its warnings from, and the sums the file's own totals are checked
against. Each gives what the per-line function gives for the same lines (the identity tests in
`tests/analytics/test_columnar_import.py` compare them); only the lines a decision names come back
to Python.
"""

# ruff: noqa: S608  (SQL built from this module's own names and escaped literals only)

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from . import dedup
from .columnar_import import PYWS, Staged, load_stored
from .columnar_layout import _lit
from .preview import Shape

STRIPPED = f"trim(txn_id, {_lit(PYWS)})"


@dataclass
class Decided:
    """The file's duplicate decisions: the job's `dedup_decisions` rows (file order), the id-reuse
    notes, and the counts; the decisions themselves are the TEMP table `decided` (k, ordinal, what,
    of_row, of_pk) where `what` is '' (new), 'distinct', 'in_file' or 'stored'."""

    decisions: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    firsts: int
    duplicates: int
    ignored: int


def decide(staged: Staged, stored: dict[str, dedup.Stored]) -> Decided | None:
    """`dedup.decide` and `dedup.id_reuse_notes` for the staged lines against the debtor's stored
    occurrence keys; None if the keys cannot be loaded into DuckDB verbatim."""
    con = staged.con
    if not load_stored(staged, stored):
        return None
    con.execute(f"""
        CREATE TEMP TABLE decided AS
        WITH w AS (
            SELECT k, row_no, content, kind, {STRIPPED} <> '' AS has_id,
                row_number() OVER (PARTITION BY content ORDER BY k) AS nth,
                first_value(row_no) OVER (PARTITION BY content ORDER BY k) AS first_row
            FROM staged
        ), o AS (
            SELECT *, CASE WHEN nth > 1 AND has_id THEN 1 ELSE nth END AS ordinal FROM w
        )
        SELECT o.k, o.row_no, o.kind, o.ordinal, o.first_row,
            CASE WHEN o.nth > 1 AND o.has_id THEN 'in_file' WHEN s.pk IS NOT NULL THEN 'stored'
                WHEN o.nth > 1 THEN 'distinct' ELSE '' END AS what,
            CASE WHEN o.nth > 1 AND o.has_id THEN NULL ELSE s.pk END AS of_pk,
            CASE WHEN o.nth > 1 AND o.has_id THEN NULL ELSE s.job_id END AS of_job,
            CASE WHEN o.nth > 1 AND o.has_id THEN NULL ELSE s.row_no END AS of_stored_row
        FROM o LEFT JOIN stored s ON s.key = o.content || '#' || CAST(o.ordinal AS VARCHAR)
    """)  # fmt: skip
    rows = con.execute(
        "SELECT row_no, what, ordinal, first_row, of_job, of_stored_row FROM decided WHERE what <> ''"
        " ORDER BY k"
    ).fetchall()
    decisions: list[dict[str, Any]] = []
    for row_no, what, ordinal, first_row, of_job, of_row in rows:
        if what == "in_file":
            decision = dedup.Decision(
                row_no, "", 1, dedup.DUPLICATE, dedup.listed_twice(first_row), first_row
            )
        elif what == "stored":
            reason = dedup.overlapping(of_job, of_row, ordinal)
            decision = dedup.Decision(row_no, "", ordinal, dedup.DUPLICATE, reason, of_row, of_job)
        else:
            reason = dedup.identical(first_row, ordinal)
            decision = dedup.Decision(row_no, "", ordinal, dedup.DISTINCT, reason, first_row)
        decisions.append(decision.as_dict())
    notes = [
        {"row": row_no, "reason": dedup.id_reused(tid), "level": "info"}
        for row_no, tid in con.execute(f"""
            SELECT row_no, tid FROM (
                SELECT s.k, s.row_no, s.content, {STRIPPED} AS tid,
                    first_value(s.content) OVER (PARTITION BY {STRIPPED} ORDER BY s.k) AS first_content
                FROM staged s JOIN decided d USING (k)
                WHERE d.what NOT IN ('in_file', 'stored') AND {STRIPPED} <> ''
            ) WHERE content <> first_content ORDER BY k
        """).fetchall()
    ]  # fmt: skip
    counts = con.execute(
        "SELECT count(*) FILTER (WHERE what NOT IN ('in_file', 'stored')),"
        " count(*) FILTER (WHERE what IN ('in_file', 'stored')),"
        " count(*) FILTER (WHERE what NOT IN ('in_file', 'stored') AND kind = 'ignored') FROM decided"
    ).fetchone()
    assert counts is not None
    return Decided(decisions, notes, counts[0], counts[1], counts[2])


def shape(staged: Staged, *, today: date, period: tuple[date, date] | None) -> Shape:
    """`preview.shape_of` of the staged lines."""
    con = staged.con
    counted = "kind = 'normal' AND direction IN ('in', 'out')"
    n, directions = con.execute(
        f"SELECT count(*), list(DISTINCT direction) FROM staged WHERE {counted}"
    ).fetchone() or (0, [])
    refunds = con.execute("SELECT count(*) FROM staged WHERE kind = 'refund'").fetchone()
    if refunds and refunds[0]:  # a refund is money in (`preview.shape_of`)
        directions = [*(directions or []), "in"]
    months = {
        m: (i, o)
        for m, i, o in con.execute(f"""
            SELECT strftime(ts, '%Y-%m'), coalesce(sum(abs(amount)) FILTER (WHERE direction = 'in'), 0),
                coalesce(sum(abs(amount)) FILTER (WHERE direction = 'out'), 0)
            FROM staged WHERE {counted} GROUP BY 1
        """).fetchall()
    }  # fmt: skip
    ranked = f"SELECT *, row_number() OVER (ORDER BY k) - 1 AS pos FROM staged WHERE {counted}"
    words = con.execute(f"""
        SELECT summary, category, direction, count(*), min(pos), arg_min(row_no, pos)
        FROM ({ranked}) GROUP BY summary, category, direction
    """).fetchall()  # fmt: skip

    def first(where: str, params: list[Any]) -> tuple[int, int, date] | None:
        got = con.execute(
            f"SELECT count(*), arg_min(row_no, k), arg_min(CAST(ts AS DATE), k) FROM staged WHERE {where}",
            params,
        ).fetchone()
        return (got[0], got[1], got[2]) if got and got[0] else None

    outside = None
    if period:
        outside = first("NOT (CAST(ts AS DATE) BETWEEN ? AND ?)", [period[0], period[1]])
    return Shape(
        counted=n,
        directions=frozenset(directions or []),
        months={m: (Decimal(i), Decimal(o)) for m, (i, o) in months.items()},
        words=[(s, c, d, cnt, pos, row) for s, c, d, cnt, pos, row in words],
        future=first("CAST(ts AS DATE) > ?", [today]),
        outside=outside,
    )


def totals(staged: Staged) -> tuple[Decimal, Decimal]:
    """(income, spending) as the totals check sums them: the statement amounts (the original
    currency's where converted) of every line not ignored, by direction, as positive sums."""
    got = staged.con.execute(
        "SELECT sum(abs(shown)) FILTER (WHERE direction = 'in'),"
        " sum(abs(shown)) FILTER (WHERE direction = 'out') FROM staged WHERE kind <> 'ignored'"
    ).fetchone()
    zero = Decimal("0.00")
    if got is None:
        return zero, zero
    return (got[0] if got[0] is not None else zero), (got[1] if got[1] is not None else zero)
