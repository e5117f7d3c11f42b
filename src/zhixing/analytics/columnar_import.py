"""A statement's lines staged in DuckDB for an import that never builds a `Line` for the common lines.

`columnar_layout.load` computes, in one query per file, what the compiled reader computes per line.
This module goes on from there in SQL: it turns the query's texts into the typed values a
`Transaction` row stores (the amount, its direction, the kind after a refund marker), the time as the
database stores it (the day's UTC shift, looked up once per day of the file), and the duplicate
*content key* of `dedup.content_key` — for every line it is sure of. Every other line (a shape the
query does not accept, a foreign currency, a day with a time-zone change, a zero amount, …) is read
by the compiled reader and then `parsing.normalise_row`, converted like any other line, and its
values are added to the same table: so the staged table holds exactly the lines (and the row
errors) the per-line path gives, in file order.

From the staged table, `dedup_sql`, `shape_sql` and `totals_sql` give what `dedup.decide`,
`preview.warnings` and the totals check need as aggregates, and the service writes the rows from it
(`services/columnar_rows.py`). No Django here: the time adaptation comes in as two functions.
"""

# ruff: noqa: S608  (SQL built from this module's own names and escaped literals only)

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb

from . import columnar_layout, dedup, store
from .amounts import currency_code
from .columnar_layout import _lit
from .compiled_layout import _CURRENCY
from .store import insert

PYWS = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())  # what `str.strip()` strips
TWO = Decimal("0.01")
LIMITS = {"counterparty": 200, "account": 64, "merchant": 200, "summary": 200, "category": 64}
LIMITS |= {"txn": 80, "status": 32}
# the staged table: one row per valid line (the write's values as text where the database takes text)
STAGED_COLUMNS = [
    ("k", "BIGINT"),  # the row's index in the file's body: file order
    ("row_no", "BIGINT"),
    ("ts", "TIMESTAMP"),  # the statement's wall-clock time
    ("db_time", "VARCHAR"),  # the stored time, as the database takes it
    ("amount", "DECIMAL(18, 2)"),
    ("currency", "VARCHAR"),
    ("original_amount", "VARCHAR"),
    ("fx_rate", "VARCHAR"),
    ("direction", "VARCHAR"),
    ("kind", "VARCHAR"),
    *((name, "VARCHAR") for name in ("counterparty", "counterparty_account", "merchant", "summary")),
    ("category", "VARCHAR"),
    ("balance", "VARCHAR"),
    *((name, "VARCHAR") for name in ("txn_id", "status", "line_hash", "content")),
    ("shown", "DECIMAL(18, 2)"),  # the statement's amount (before conversion), for the totals
]
STAGED_TYPES = [t for _, t in STAGED_COLUMNS]
STAGED = f"CREATE TEMP TABLE staged ({', '.join(f'{n} {t}' for n, t in STAGED_COLUMNS)})"


@dataclass
class Staged:
    """A file's lines in DuckDB (`staged`), the row errors in file order, and the counts."""

    con: duckdb.DuckDBPyConnection
    rows: int  # data rows of the file
    good: int  # valid lines (rows of `staged`)
    bad: list[tuple[int, list[Any], str]] = field(default_factory=list)
    by_sql: int = 0  # lines read by the query alone (the rest went through the per-line readers)
    closed: bool = False

    def close(self) -> None:
        self.con.close()
        self.closed = True

    def first_row(self) -> int | None:
        """The row number of the file's first valid line."""
        got = self.con.execute("SELECT row_no FROM staged ORDER BY k LIMIT 1").fetchone()
        return None if got is None else int(got[0])


def _sure_rows(con: duckdb.DuckDBPyConnection, preset: Any, time_format: str) -> None:
    """The query's lines it is sure of, typed, into `staged` (the others are left out here)."""
    out_positive = getattr(preset, "amount_sign", "in_positive") == "out_positive"
    signed = "-a" if out_positive else "a"
    cut = {name: f"left({name}, {n})" for name, n in LIMITS.items()}
    cut["counterparty"] = f"left(cp, {LIMITS['counterparty']})"
    con.execute(f"""
        INSERT INTO staged
        WITH typed AS (
            SELECT c.*, try_strptime(at_text, '%Y-%m-%d %H:%M:%S') AS ts,
                try_cast(amount_text AS DECIMAL(18, 2)) AS a,
                try_cast(balance_text AS DECIMAL(18, 2)) AS b, cur.code AS currency
            FROM cols c JOIN cur ON cur.raw = c.raw_currency
            WHERE sure AND substr(at_text, 1, 1) <> '0'
                AND substr(at_text, 1, 4) < '9999' AND NOT regexp_matches(amount_text, '\\.[0-9]{{3}}')
                AND (balance_text IS NULL OR NOT regexp_matches(balance_text, '\\.[0-9]{{3}}'))
        ), signed AS (
            SELECT *, {signed} AS v FROM typed
            WHERE ts IS NOT NULL AND a IS NOT NULL AND a <> 0 AND abs(a) < 10000000000000
                AND (balance_text IS NULL OR (b IS NOT NULL AND abs(b) < 10000000000000
                    AND NOT (b = 0 AND starts_with(balance_text, '-'))))
        ), lined AS (
            SELECT *,
                CASE WHEN kind = 'refund' THEN 'in' WHEN v > 0 THEN 'in' ELSE 'out' END AS dir,
                CASE WHEN kind = 'refund' THEN abs(v) ELSE v END AS amt
            FROM signed
        )
        SELECT k, row_no, ts, strftime(ts + to_seconds(s.secs), ?), amt, l.currency, NULL, NULL, dir, kind,
            {cut['counterparty']}, {cut['account']}, {cut['merchant']}, {cut['summary']},
            {cut['category']}, CAST(b AS VARCHAR), {cut['txn']}, {cut['status']}, digest,
            strftime(ts, '%Y%m%d%H%M%S') || '|' || CAST(amt AS VARCHAR) || '|' || l.currency || '|' || dir
                || '|' || trim({cut['counterparty']}, {_lit(PYWS)})
                || '|' || trim({cut['txn']}, {_lit(PYWS)}),
            amt
        FROM lined l JOIN shift s ON s.day = CAST(l.ts AS DATE)
    """, [time_format])  # fmt: skip


def stage(
    statement: Any,
    preset: Any,
    convert: Callable[[Any], Any],
    *,
    base: str,
    day_shift: Callable[[date], timedelta | None],
    time_format: str,
    db_time: Callable[[datetime], str],
    min_rows: int | None = None,
) -> Staged | None:
    """The file's valid lines in DuckDB and its row errors, as the per-line path reads them; None for
    a layout or file the column-wise query does not read (the caller takes the per-line path): among
    them a file whose currency lines ("币种：美元", `Table.sections`) name another currency than the
    layout's default.

    `base` is the currency `convert` leaves alone; `day_shift(day)` the shift from the statement's
    wall-clock time to the database's stored time on that day (None for a day it changes);
    `time_format` the strftime pattern of the stored time as text; `db_time(naive)` the stored time's
    text for a line read per line.
    """
    from .parsing import RowError, normalise_row

    table = statement.table
    body = table.body
    limit = columnar_layout.MIN_ROWS if min_rows is None else min_rows
    if len(body) < limit or not columnar_layout.expressible(preset):
        return None
    if any(code != preset.default_currency for _, code in getattr(table, "sections", ())):
        return None
    full = columnar_layout.full_rows(table.header, body, text_only=getattr(table, "text_only", False))
    if not full:
        return None
    con = store.shared().cursor()  # a cursor on the process's DuckDB: its TEMP tables are its own
    try:
        if not columnar_layout.load(con, table.header, body, preset, full):
            con.close()
            return None
        con.execute(STAGED)
        _currencies(con, preset, base)
        _shifts(con, day_shift)
        _sure_rows(con, preset, time_format)
        unsure = con.execute("SELECT k FROM cols ANTI JOIN staged USING (k)").fetchall()
        by_sql = len(full) - len(unsure)
    except duckdb.Error:
        con.close()
        return None
    staged = Staged(con=con, rows=len(body), good=by_sql, by_sql=by_sql)
    todo = sorted(set(range(len(body))).difference(full).union(k for (k,) in unsure))
    from .compiled_layout import compile_layout

    fast = compile_layout(table.header, preset)
    extra: list[tuple[Any, ...]] = []
    for k in todo:
        row_no, row = body[k]
        line = None
        if fast is not None:
            try:
                line = fast(row_no, row)
            except Exception:  # any doubt: the per-line reader decides (and words the error)
                line = None
        try:
            if line is None:
                line = normalise_row(row_no, table.header, row, preset, statement.period)
            line = convert(line)
        except RowError as exc:
            staged.bad.append((row_no, row, str(exc)))
            continue
        values = _values(k, line, db_time)
        if values is None:
            con.close()
            return None
        extra.append(values)
    insert(con, "staged", STAGED_TYPES, extra)
    staged.good += len(extra)
    return staged


def _values(k: int, line: Any, db_time: Callable[[datetime], str]) -> tuple[Any, ...] | None:
    """A line read per line as a row of `staged` (None if its amounts are not cents: not staged)."""
    for d in (line.amount, line.original_amount, line.balance):
        if d is not None and (not d.is_finite() or d.as_tuple().exponent != -2 or abs(d) >= Decimal("1e16")):
            return None
    shown = line.original_amount if line.original_amount is not None else line.amount

    def text(d: Decimal | None) -> str | None:
        return None if d is None else str(d)

    return (
        k,
        line.row_no,
        line.occurred_at,
        db_time(line.occurred_at),
        str(line.amount),
        line.currency,
        text(line.original_amount),
        text(line.fx_rate),
        line.direction,
        line.kind,
        line.counterparty,
        line.counterparty_account,
        line.merchant,
        line.summary,
        line.category,
        text(line.balance),
        line.txn_id,
        line.status,
        line.line_hash,
        dedup.line_content(line),
        str(shown),
    )


def _currencies(con: duckdb.DuckDBPyConnection, preset: Any, base: str) -> None:
    """`cur(raw, code)`: the currency words of the file that the reader maps to `base` (a line in any
    other currency is converted per line)."""
    raw = [r for (r,) in con.execute("SELECT DISTINCT raw_currency FROM cols WHERE sure").fetchall()]
    keep = []
    for word in raw:
        code = currency_code(word) if word else preset.default_currency
        if code == base and _CURRENCY.fullmatch(code or ""):
            keep.append(word)
    con.execute("CREATE TEMP TABLE cur (raw VARCHAR, code VARCHAR)")
    insert(con, "cur", ["VARCHAR", "VARCHAR"], [(w, base) for w in keep])


def _shifts(con: duckdb.DuckDBPyConnection, day_shift: Callable[[date], timedelta | None]) -> None:
    """`shift(day, secs)`: each day of the file whose stored time is its wall-clock time shifted by
    `secs` all day (a day with a time-zone change is left out: its lines are read per line)."""
    days = con.execute(
        "SELECT DISTINCT CAST(try_strptime(at_text, '%Y-%m-%d %H:%M:%S') AS DATE) AS d FROM cols"
        " WHERE sure AND substr(at_text, 1, 1) <> '0' AND d IS NOT NULL"
    ).fetchall()
    rows = []
    for (day,) in days:
        shift = day_shift(day)
        if shift is not None and shift == timedelta(seconds=int(shift.total_seconds())):
            rows.append((day, int(shift.total_seconds())))
    con.execute("CREATE TEMP TABLE shift (day DATE, secs BIGINT)")
    insert(con, "shift", ["DATE", "BIGINT"], rows)


def load_stored(staged: Staged, stored: dict[str, dedup.Stored]) -> bool:
    """The debtor's stored occurrence keys as `stored(key, pk, job_id, row_no)`; False if a key
    cannot go through DuckDB's CSV reader verbatim."""
    con = staged.con
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        (key, s.pk, s.job_id, s.row_no) for key, s in stored.items()
    )
    text = buf.getvalue()
    if "\r" in text or "\x00" in text:
        return False
    fd, path = tempfile.mkstemp(suffix=".csv")
    try:
        os.write(fd, text.encode("utf-8", "surrogatepass"))
        os.close(fd)
        con.execute(
            f"CREATE TEMP TABLE stored AS SELECT * FROM read_csv({_lit(path)}, header = false, delim = ',',"
            " quote = '\"', escape = '\"', auto_detect = false, strict_mode = true,"
            " columns = {'key': 'VARCHAR', 'pk': 'BIGINT', 'job_id': 'BIGINT', 'row_no': 'BIGINT'})"
        )
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
    got = con.execute("SELECT count(*) FROM stored").fetchone()
    return got is not None and got[0] == len(stored)
