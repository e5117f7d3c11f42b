"""Reading Parquet statement files (mobile-payment corpora are often delivered so) through DuckDB.

A Parquet file is recognised by its content (the `PAR1` magic at both ends), whatever its name or the
chosen preset's file format; its column names are the header, matched against the preset's column
names like a CSV header. Row numbers follow the CSV convention (the header is row 1, the first
record row 2), so errors and quarantined rows read the same for every format.
"""

# ruff: noqa: S608  (the SQL names only a temporary file path the platform created)

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from .readers import too_many_rows
from .statement_errors import FileRefused

MAGIC = b"PAR1"


class ParquetError(ValueError):
    """The bytes look like Parquet but DuckDB cannot read them."""


def is_parquet(data: bytes) -> bool:
    return len(data) >= 12 and data[:4] == MAGIC and data[-4:] == MAGIC


@contextlib.contextmanager
def _parquet(data: bytes) -> Iterator[tuple[duckdb.DuckDBPyConnection, str]]:
    """A DuckDB connection and the FROM clause reading `data` (written to a temporary file)."""
    with tempfile.NamedTemporaryFile(suffix=".parquet", delete=False) as fh:
        fh.write(data)
        path = fh.name
    con = duckdb.connect()
    try:
        yield con, f"read_parquet('{path}')"
    except duckdb.Error as exc:
        raise ParquetError(f"无法读取 Parquet 文件：{str(exc).splitlines()[0][:120]}") from None
    finally:
        con.close()
        Path(path).unlink(missing_ok=True)


def parquet_header(data: bytes) -> list[str]:
    """The column names of a Parquet file (no row is read)."""
    with _parquet(data) as (con, source):
        cur = con.execute(f"SELECT * FROM {source} LIMIT 0")
        return [str(d[0]) for d in cur.description]


def parquet_rows(data: bytes, *, max_rows: int, max_columns: int) -> list[list[Any]]:
    """[column names, *records] of a Parquet file; values keep their types (datetime, Decimal, ...).

    The rows are counted from the file's metadata first: more than `max_rows` (or more than
    `max_columns` columns) is `FileRefused` before any row is fetched (a file of a kilobyte can hold a
    million identical rows)."""
    with _parquet(data) as (con, source):
        cur = con.execute(f"SELECT * FROM {source} LIMIT 0")
        header = [str(d[0]) for d in cur.description]
        if len(header) > max_columns:
            raise FileRefused(f"文件有{len(header)}列，超过{max_columns}列的上限：请只导出流水的各列后再导入")
        counted = con.execute(f"SELECT count(*) FROM {source}").fetchone()
        if counted is None or counted[0] + 1 > max_rows:  # the header is a row, as in a CSV
            raise too_many_rows(max_rows)
        return [header, *(list(r) for r in con.execute(f"SELECT * FROM {source}").fetchall())]
