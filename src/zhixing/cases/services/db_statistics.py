"""Fresh query-planner statistics, so the supervision counts and case lists keep their indexed plans.

SQLite chooses between the case and node indexes by the statistics ANALYZE stored in `sqlite_stat1`.
A database that started as the demo (a few hundred cases) and grew to a province keeps the statistics
of its first weeks, or none for an index a migration added, and the planner then walks the wrong
index (a per-court index instead of the due-date one: seconds instead of milliseconds at 1 M cases).
SQLite's own remedy is `PRAGMA optimize`, run regularly: it re-analyses a table only when one of its
indexes has no statistics yet or the table grew about 25-fold since the last ANALYZE, so on most days
it does nothing and costs milliseconds.

PostgreSQL needs nothing here: its autovacuum daemon re-analyses a table after enough of its rows
changed (autovacuum_analyze_scale_factor), including after bulk loads.

Not a domain write (no case data changes), so no audit record is written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorWrapper


@dataclass(frozen=True)
class PlannerRefresh:
    """What `refresh_planner_statistics` did: the database vendor, the tables it let SQLite consider
    (empty on PostgreSQL), the tables whose statistics changed, and the time it took."""

    vendor: str
    considered: tuple[str, ...]
    analysed: tuple[str, ...]
    seconds: float


def _indexed_tables(cur: CursorWrapper) -> dict[str, str]:
    """Each table with an index -> the first column of one of its indexes (SQLite)."""
    cur.execute(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND tbl_name NOT LIKE 'sqlite_%' "
        "ORDER BY tbl_name, name"
    )
    first: dict[str, str] = {}
    for table, index in cur.fetchall():
        if table in first:
            continue
        cur.execute(f"PRAGMA index_info({cur.db.ops.quote_name(index)})")
        columns = [row[2] for row in cur.fetchall() if row[2]]
        if columns:
            first[table] = columns[0]
    return first


def _stat_rows(cur: CursorWrapper) -> set[tuple[str, str, str]]:
    cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    if not cur.fetchall():
        return set()
    cur.execute("SELECT tbl, COALESCE(idx, ''), stat FROM sqlite_stat1")
    return {tuple(row) for row in cur.fetchall()}


def refresh_planner_statistics(using: str = DEFAULT_DB_ALIAS) -> PlannerRefresh:
    """Run `PRAGMA optimize` over every indexed table on SQLite; do nothing on PostgreSQL.

    Before SQLite 3.46, `PRAGMA optimize` looks only at tables whose statistics the *same connection's*
    planner consulted, and a worker's connection has consulted none, so each indexed table is first
    planned once (`EXPLAIN QUERY PLAN`, which reads no rows). The 0x10002 mask asks 3.46+ for the same
    (all tables, ANALYZE where it helps); older versions ignore the extra bit.
    """
    start = time.perf_counter()
    conn = connections[using]
    if conn.vendor != "sqlite":
        return PlannerRefresh(conn.vendor, (), (), time.perf_counter() - start)
    with conn.cursor() as cur:
        tables = _indexed_tables(cur)
        before = _stat_rows(cur)
        q = conn.ops.quote_name
        for table, column in tables.items():
            # Names read from sqlite_master, never from a request.
            cur.execute(f"EXPLAIN QUERY PLAN SELECT 1 FROM {q(table)} WHERE {q(column)} = %s", [None])  # noqa: S608
            cur.fetchall()
        cur.execute("PRAGMA optimize=0x10002")
        cur.fetchall()
        changed = _stat_rows(cur) - before
    analysed = tuple(sorted({table for table, _, _ in changed}))
    return PlannerRefresh(conn.vendor, tuple(sorted(tables)), analysed, time.perf_counter() - start)
