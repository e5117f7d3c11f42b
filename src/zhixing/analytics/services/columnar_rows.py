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

import contextlib
import functools
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .. import columnar_checks, columnar_import, exchange
from .. import store as snapshot_store
from ..models import ImportJob, Transaction
from . import statement_rows

# On by default since it is exact (tests/analytics/test_columnar_import.py, SQLite and PostgreSQL) and
# faster end to end (docs/analytics.md, fifth round); the exactness test and the benchmark's
# --line-import switch it off to compare with the per-line import.
ENABLED = True
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


def _copy_csv(staged: columnar_import.Staged, sql: str) -> None:
    """The query's rows (values in `statement_rows.FIELDS` order) into the transaction table on
    PostgreSQL: written by DuckDB as CSV (NULL unquoted and empty, an empty text quoted: PostgreSQL's
    CSV reading of the two), streamed to `COPY … FROM STDIN` as they are, never a Python value each."""
    meta = Transaction._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(statement_rows._field(name).column)) for name in statement_rows.FIELDS)
    fd, name = tempfile.mkstemp(suffix=".csv")
    os.close(fd)
    path = Path(name)
    try:
        staged.con.execute(f"COPY ({sql}) TO {columnar_import._lit(name)} (FORMAT csv, HEADER false)")
        with connection.cursor() as cursor, path.open("rb") as fh:
            raw = cursor.cursor  # psycopg's own cursor
            with raw.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                while block := fh.read(1 << 20):
                    copy.write(block)
    finally:
        path.unlink(missing_ok=True)


# Fields that tell a statement's lines apart (never all alike in a file of two lines or more worth
# asking about): not compared, always bound.
VARYING = frozenset({"row_no", "occurred_at", "amount", "balance", "line_hash"})


def _same_values(staged: columnar_import.Staged, exprs: list[str], source: str) -> dict[str, Any]:
    """The fields (`statement_rows.FIELDS`, computed by `exprs`) whose value every selected line
    shares, with that value: written once into the insert statement instead of bound on every row
    (`statement_rows.write_chunks`). Only None, integers and texts an SQL literal can hold qualify;
    fewer than two lines: none (the row number tells lines apart, so some field always varies)."""
    asked = [(name, e) for name, e in zip(statement_rows.FIELDS, exprs, strict=True) if name not in VARYING]
    checks = ", ".join(f"count({e}), min({e}), max({e})" for _, e in asked)
    got = staged.con.execute(f"SELECT count(*), {checks} {source}").fetchone()
    if not got or got[0] < 2:
        return {}
    n, out = got[0], dict[str, Any]()
    for i, (name, _) in enumerate(asked):
        count, low, high = got[1 + 3 * i : 4 + 3 * i]
        if count == 0:
            out[name] = None
        elif count == n and low == high and type(low) is type(high) and _literal_safe(low):
            out[name] = low
    return out


def _literal_safe(value: Any) -> bool:
    return type(value) is int or (type(value) is str and "\x00" not in value)


def store(job: ImportJob, staged: columnar_import.Staged, notes: list[dict[str, Any]]) -> bool:
    """`statement_rows.store_statement` for the staged lines; False (nothing written) if the
    debtor's stored keys cannot be compared in DuckDB (the caller stores per line)."""
    decided = columnar_checks.decide(staged, statement_rows.stored_keys(job.party_id))
    if decided is None:
        return False
    notes.extend(decided.notes)
    new = "FROM staged s JOIN decided d USING (k) WHERE d.what NOT IN ('in_file', 'stored')"
    firsts = f"SELECT {int(job.pk)}, {int(job.party_id)}, {VALUES}, NULL, d.ordinal {new} ORDER BY k"
    if connection.vendor == "postgresql":
        _copy_csv(staged, firsts)
    else:
        exprs = [str(int(job.pk)), str(int(job.party_id)), *VALUES.split(", "), "NULL", "d.ordinal"]
        same = _same_values(staged, exprs, new)
        varying = ", ".join(
            e for e, name in zip(exprs, statement_rows.FIELDS, strict=True) if name not in same
        )
        statement_rows.write_chunks(_fetch(staged, f"SELECT {varying} {new} ORDER BY k", []), same)
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


# The snapshot's columns (`store.TX_COLUMNS`) from a staged line `s` joined to its stored row `i`:
# what `snapshots.rebuild_snapshot` reads back from the database and writes through a CSV whose empty
# texts DuckDB reads as NULL (hence `nullif`), the stored UTC time as local wall-clock time.
SNAPSHOT_SELECT = """
    SELECT i.id AS row_id, CAST(? AS BIGINT) AS debtor_id,
        timezone(?, CAST(s.db_time AS TIMESTAMPTZ)) AS ts, s.amount AS amount,
        nullif(s.currency, '') AS currency, nullif(s.direction, '') AS direction, nullif(s.kind, '') AS kind,
        nullif(s.counterparty, '') AS counterparty, nullif(s.counterparty_account, '') AS cp_account,
        nullif(s.counterparty || ' ' || s.merchant || ' ' || s.summary || ' ' || s.category, '') AS text,
        CAST(s.balance AS DECIMAL(18, 2)) AS balance, i.dup AS dup
    FROM staged s JOIN ids i USING (row_no) ORDER BY i.id
"""
# SQLite keeps a decimal as a REAL of 15 significant digits: a larger value is snapshotted from the database
SNAPSHOT_LIMIT = 10**13


def snapshot(job: ImportJob, staged: columnar_import.Staged) -> Path | None:
    """The debtor's Parquet snapshot written by DuckDB from the staged lines into a temporary file
    (the caller renames it into place once the import has committed: `place_snapshot`), when the
    job's lines are all the debtor has stored; None (the snapshot is rebuilt from the database as
    before) otherwise. Called inside `run_import`'s transaction, after `store`.

    The rows' ids are not read back: `store` wrote the new lines in file order, then the duplicates
    in file order, each table's ids rising in insertion order; when the job's ids are one unbroken run
    of exactly its lines (no other writer took an id in between), the n-th line written has the run's
    n-th id, and exactly the duplicates carry a link."""
    if Transaction.objects.filter(party_id=job.party_id).exclude(job_id=job.pk).exists():
        return None
    meta = Transaction._meta
    q = connection.ops.quote_name
    col = {n: q(str(statement_rows._field(n).column)) for n in ("id", "duplicate_of", "job")}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT min({col['id']}), max({col['id']}), count(*), count({col['duplicate_of']})"
            f" FROM {q(meta.db_table)} WHERE {col['job']} = %s",
            [job.pk],
        )
        low, high, n, linked = cursor.fetchone()
    con = staged.con
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ids AS
        SELECT row_no, ? - 1 + row_number() OVER (ORDER BY what IN ('in_file', 'stored'), k) AS id,
            what IN ('in_file', 'stored') AS dup
        FROM decided
    """, [low or 0])  # fmt: skip
    got = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE dup), count(DISTINCT row_no),"
        " max(greatest(abs(s.amount), abs(CAST(s.balance AS DECIMAL(18, 2)))))"
        " FROM staged s JOIN ids i USING (row_no)"
    ).fetchone()
    if (
        not n
        or high - low + 1 != n
        or got is None
        or got[:3] != (n, linked, n)
        or (got[3] or 0) >= SNAPSHOT_LIMIT
    ):
        return None
    target = snapshot_store.tx_path(job.party_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.stem}.job{job.pk}.tmp")
    con.execute("SET TimeZone = 'UTC'")  # this cursor's own setting: a time without an offset is UTC
    zone = str(settings.TIME_ZONE)
    con.execute(
        f"COPY ({SNAPSHOT_SELECT}) TO {columnar_import._lit(str(tmp))} (FORMAT parquet)", [job.party_id, zone]
    )
    return tmp


def place_snapshot(tmp: Path, party_id: int, rows: int) -> bool:
    """Rename a `snapshot` into place once its import has committed, if the debtor still has just its
    `rows` stored lines (another import committed meanwhile: False, the caller rebuilds)."""
    try:
        if Transaction.objects.filter(party_id=party_id).count() != rows:
            return False
        tmp.replace(snapshot_store.tx_path(party_id))
        return True
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
