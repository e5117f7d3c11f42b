"""Parquet snapshots of each debtor's flows under DATA_DIR, and DuckDB connections over them.

Imports write rows to the database (the record) and rebuild the debtor's Parquet snapshot (what
DuckDB reads); large batches and the benchmark read Parquet directly, never through the ORM.
"""

# ruff: noqa: S608  (SQL assembled from constants and rule-set configuration, never request data)

from __future__ import annotations

import csv
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings

TX_COLUMNS = {
    "row_id": "BIGINT",
    "debtor_id": "BIGINT",
    "ts": "TIMESTAMP",
    "amount": "DECIMAL(18,2)",
    "currency": "VARCHAR",
    "direction": "VARCHAR",
    "kind": "VARCHAR",
    "counterparty": "VARCHAR",
    "cp_account": "VARCHAR",
    "text": "VARCHAR",
    "balance": "DECIMAL(18,2)",
    "dup": "BOOLEAN",
}
TRAVEL_COLUMNS = {
    "row_id": "BIGINT",
    "debtor_id": "BIGINT",
    "kind": "VARCHAR",
    "start_ts": "TIMESTAMP",
    "end_ts": "TIMESTAMP",
    "carrier": "VARCHAR",
    "seat_class": "VARCHAR",
    "country": "VARCHAR",
    "amount": "DECIMAL(18,2)",
}


@dataclass
class DebtorInput:
    """What the indicator SQL needs to know about one debtor besides the flows."""

    debtor_id: int
    p_start: date
    p_end: date
    effective_on: date | None = None
    deadline: date | None = None
    filed_on: date | None = None
    notice_on: date | None = None
    claim: float = 0.0
    name: str = ""  # the debtor's own name: a counterparty that is the debtor is no related party


def root() -> Path:
    path = Path(settings.DATA_DIR) / "analytics"
    path.mkdir(parents=True, exist_ok=True)
    return path


def tx_path(party_id: int) -> Path:
    return root() / "tx" / f"party_{party_id}.parquet"


def travel_path(party_id: int) -> Path:
    return root() / "travel" / f"party_{party_id}.parquet"


def _columns_sql(cols: dict[str, str]) -> str:
    return "{" + ", ".join(f"'{k}': '{v}'" for k, v in cols.items()) + "}"


def write_parquet(
    rows: Iterable[Sequence[Any]], cols: dict[str, str], target: Path, *, utc: Sequence[str] = ()
) -> int:
    """Write rows (tuples in `cols` order) to Parquet through a temporary CSV read by DuckDB.

    Columns named in `utc` are given as UTC timestamps (text, with or without an offset, as the
    database returns them) and stored as the platform's local wall-clock time (`TIME_ZONE`), the
    conversion done by DuckDB for the whole file rather than per value in Python.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", encoding="utf-8", delete=False) as fh:
        writer = csv.writer(fh)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
            n += 1
        tmp = fh.name
    con = duckdb.connect()
    try:
        tmp_target = target.with_suffix(".tmp")
        if n:
            read = {k: ("VARCHAR" if k in utc else v) for k, v in cols.items()}
            source = (
                f"read_csv('{tmp}', header=false, auto_detect=false, delim=',', quote='\"', escape='\"',"
                f" columns={_columns_sql(read)}, nullstr='')"
            )
            if utc:
                con.execute("SET TimeZone = 'UTC'")  # a timestamp without an offset is UTC
                zone = str(settings.TIME_ZONE).replace("'", "")
                select = ", ".join(
                    f"timezone('{zone}', CAST({k} AS TIMESTAMPTZ)) AS {k}" if k in utc else k for k in cols
                )
                source = f"(SELECT {select} FROM {source})"
        else:
            con.execute(f"CREATE TEMP TABLE empty_rows ({', '.join(f'{k} {v}' for k, v in cols.items())})")
            source = "empty_rows"
        con.execute(f"COPY (SELECT * FROM {source}) TO '{tmp_target}' (FORMAT parquet)")
        tmp_target.replace(target)
    finally:
        con.close()
        Path(tmp).unlink(missing_ok=True)
    return n


def insert(
    con: duckdb.DuckDBPyConnection, table: str, types: list[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert rows into a DuckDB table in one statement, each column passed as one list of its type
    (DuckDB's `executemany` runs a statement per row: ≈ 0.1–0.6 ms each, 1.3 s for 2,309 debtors' rows)."""
    if not rows:
        return
    columns = ", ".join(f"unnest(CAST(? AS {t}[]))" for t in types)
    con.execute(f"INSERT INTO {table} SELECT {columns}", [list(c) for c in zip(*rows, strict=True)])


def _create(con: Any, name: str, cols: dict[str, str], paths: list[Path]) -> None:
    existing = [str(p) for p in paths if p.exists()]
    if existing:
        listed = ", ".join(f"'{p}'" for p in existing)
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet([{listed}])")
    else:
        body = ", ".join(f"{k} {v}" for k, v in cols.items())
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({body})")


_DB: Any = None
_DB_PID = 0
_DB_LOCK = threading.Lock()


def shared() -> Any:
    """The process's in-memory DuckDB database, created on first use (again after a fork)."""
    global _DB, _DB_PID
    with _DB_LOCK:
        if _DB is None or os.getpid() != _DB_PID:
            _DB = duckdb.connect()
            _DB.execute("SET enable_progress_bar = false")
            _DB_PID = os.getpid()
        return _DB


def connect(
    debtors: list[DebtorInput],
    *,
    tx_files: list[Path],
    travel_files: list[Path],
    related: Sequence[tuple[Any, ...]] = (),  # (debtor id, name[, account])
    restrictions: list[tuple[int, date, date | None]] = (),  # type: ignore[assignment]
    freezes: list[tuple[int, date]] = (),  # type: ignore[assignment]
    permits: list[tuple[int, str, date, date, str]] = (),  # type: ignore[assignment]
) -> Any:
    """A DuckDB connection with the relations `indicators.compute` reads (as TEMP objects).

    The connection is a cursor on one in-memory database per process: TEMP tables and views are
    private to each connection and dropped when it is closed, and a cursor costs a fraction of a new
    database (about 20 ms of CPU per profile saved, see docs/analytics.md "Performance").
    """
    con = shared().cursor()
    _create(con, "tx", TX_COLUMNS, tx_files)
    _create(con, "travel", TRAVEL_COLUMNS, travel_files)
    load_context(
        con,
        debtors,
        related=list(related),
        restrictions=list(restrictions),
        freezes=list(freezes),
        permits=list(permits),
    )
    return con


def load_context(
    con: Any,
    debtors: list[DebtorInput],
    *,
    related: Sequence[tuple[Any, ...]],
    restrictions: list[tuple[int, date, date | None]],
    freezes: list[tuple[int, date]],
    permits: list[tuple[int, str, date, date, str]] | None = None,
) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE debtors (debtor_id BIGINT, p_start DATE, p_end DATE, effective_on DATE,"
        " deadline DATE, filed_on DATE, notice_on DATE, claim DOUBLE, name VARCHAR)"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE related (debtor_id BIGINT, name VARCHAR, account VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE restrictions (debtor_id BIGINT, start_d DATE, end_d DATE)")
    con.execute("CREATE OR REPLACE TEMP TABLE freezes (debtor_id BIGINT, d DATE)")
    # approved private / necessary consumption: one row per screening code of a window
    con.execute(
        "CREATE OR REPLACE TEMP TABLE permits (debtor_id BIGINT, code VARCHAR, from_d DATE, until_d DATE,"
        " purpose VARCHAR)"
    )
    insert(
        con,
        "debtors",
        ["BIGINT", "DATE", "DATE", "DATE", "DATE", "DATE", "DATE", "DOUBLE", "VARCHAR"],
        [
            (
                x.debtor_id,
                x.p_start,
                x.p_end,
                x.effective_on,
                x.deadline,
                x.filed_on,
                x.notice_on,
                x.claim,
                x.name,
            )
            for x in debtors
        ],
    )
    insert(
        con,
        "related",
        ["BIGINT", "VARCHAR", "VARCHAR"],
        [(r[0], r[1], r[2] if len(r) > 2 else "") for r in related],
    )
    insert(con, "restrictions", ["BIGINT", "DATE", "DATE"], restrictions)
    insert(con, "freezes", ["BIGINT", "DATE"], freezes)
    insert(con, "permits", ["BIGINT", "VARCHAR", "DATE", "DATE", "VARCHAR"], permits or [])
