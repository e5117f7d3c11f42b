"""Importing a statement column-wise: read, de-duplicate, check and store without a `Line` per line.

`run_import` calls `stage` for a statement job; for a layout the column-wise query expresses
(`columnar_layout.expressible`, a CSV of at least `columnar_layout.MIN_ROWS` lines) the file's valid
lines are staged in DuckDB (`columnar_import.stage`: the common lines typed in SQL, every other one
read by the per-line readers and added), the checks are aggregates over them
(`columnar_checks`), and `store` writes the `Transaction` rows from DuckDB's tuples with the same
statements as `statement_rows` (`executemany` on SQLite, `COPY` on PostgreSQL), inside
`run_import`'s transaction. What is stored, decided, noted and refused is what the per-line path
gives (`tests/analytics/test_columnar_import.py` imports every fixture both ways and compares).
"""

# ruff: noqa: S608  (SQL built from this module's own column names)

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .. import columnar_checks, columnar_import, exchange
from ..models import ImportJob, Transaction
from . import statement_rows

# Off by default: exact (tests/analytics/test_columnar_import.py) but not measurably faster end to end
# yet (docs/analytics.md, fourth round); the tests and the benchmark's --columnar-import switch it on.
ENABLED = False
CHUNK = statement_rows.CHUNK
VALUES = (  # the staged line's values in the write's order (`statement_rows.FIELDS`, after job and party)
    "s.row_no, s.db_time, CAST(s.amount AS VARCHAR), s.currency, s.original_amount, s.fx_rate, s.direction,"
    " s.kind, s.counterparty, s.counterparty_account, s.merchant, s.summary, s.category, s.balance, s.txn_id,"
    " s.status, s.line_hash"
)


def stage(statement: Any, preset: Any, convert: Callable[[Any], Any]) -> columnar_import.Staged | None:
    """The statement's lines staged in DuckDB (None: the per-line path reads it)."""
    if not ENABLED or not settings.USE_TZ:
        return None
    tz = timezone.get_current_timezone()
    if connection.vendor == "sqlite":
        db_tz, fmt = connection.timezone, "%Y-%m-%d %H:%M:%S"
    elif connection.vendor == "postgresql":
        db_tz, fmt = UTC, "%Y-%m-%d %H:%M:%S+00"
    else:
        return None
    when = statement_rows._time_adapter(tz)

    def shift(day: date) -> timedelta | None:
        return _day_shift(day, tz, db_tz)

    def db_time(at: datetime) -> str:
        got = when(at)
        return got if isinstance(got, str) else got.isoformat(sep=" ")

    return columnar_import.stage(
        statement, preset, convert, base=exchange.BASE, day_shift=shift, time_format=fmt, db_time=db_time
    )


@functools.lru_cache(maxsize=20_000)  # a debtor's statements cover the same few years
def _day_shift(day: date, tz: Any, db_tz: Any) -> timedelta | None:
    return statement_rows.day_shift(datetime(day.year, day.month, day.day), tz, db_tz)


def _fetch(staged: columnar_import.Staged, sql: str, params: list[Any]) -> Iterator[list[tuple[Any, ...]]]:
    """The query's rows in chunks (each chunk a list of row tuples, as `executemany` takes them)."""
    cursor = staged.con.execute(sql, params)
    while chunk := cursor.fetchmany(CHUNK):
        yield chunk


def store(job: ImportJob, staged: columnar_import.Staged, notes: list[dict[str, Any]]) -> bool:
    """`statement_rows.store_statement` for the staged lines; False (nothing written) if the
    debtor's stored keys cannot be compared in DuckDB (the caller stores per line)."""
    decided = columnar_checks.decide(staged, statement_rows.stored_keys(job.party_id))
    if decided is None:
        return False
    notes.extend(decided.notes)
    firsts = f"""
        SELECT ?, ?, {VALUES}, NULL, d.ordinal FROM staged s JOIN decided d USING (k)
        WHERE d.what NOT IN ('in_file', 'stored') ORDER BY k
    """  # fmt: skip
    statement_rows.write_chunks(_fetch(staged, firsts, [job.pk, job.party_id]))
    dups = staged.con.execute(f"""
        SELECT ?, ?, {VALUES}, d.what, d.of_pk, d.first_row, d.ordinal FROM staged s JOIN decided d USING (k)
        WHERE d.what IN ('in_file', 'stored') ORDER BY k
    """, [job.pk, job.party_id]).fetchall()  # fmt: skip
    if dups:
        stored_of = dict(
            staged.con.execute("SELECT row_no, of_pk FROM decided WHERE of_pk IS NOT NULL").fetchall()
        )
        wanted = {row[-2] for row in dups if row[-4] == "in_file"}
        by_row = dict(Transaction.objects.filter(job=job, row_no__in=wanted).values_list("row_no", "pk"))

        def repeats(what: str, of_pk: int | None, first_row: int) -> int | None:
            # a line listed twice in this file points at its first listing, or at the stored line
            # that first listing repeats (a re-imported file that itself lists a line twice)
            if what == "stored":
                return of_pk
            return by_row.get(first_row, stored_of.get(first_row))

        statement_rows.write_chunks(
            [[(*row[:-4], repeats(row[-4], row[-3], row[-2]), row[-1]) for row in dups]]
        )
    job.dedup_decisions = decided.decisions
    job.imported, job.duplicates, job.ignored = decided.firsts, decided.duplicates, decided.ignored
    return True
