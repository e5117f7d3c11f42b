"""Reading Parquet statement files (mobile-payment corpora are often delivered so) through DuckDB.

A Parquet file is recognised by its content (the `PAR1` magic at both ends), whatever its name or the
chosen preset's file format; its column names are the header, matched against the preset's column
names like a CSV header. Row numbers follow the CSV convention (the header is row 1, the first
record row 2), so errors and quarantined rows read the same for every format.
"""

# ruff: noqa: S608  (the SQL names only a temporary file path the platform created)

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import duckdb

MAGIC = b"PAR1"


class ParquetError(ValueError):
    """The bytes look like Parquet but DuckDB cannot read them."""


def is_parquet(data: bytes) -> bool:
    return len(data) >= 12 and data[:4] == MAGIC and data[-4:] == MAGIC


def parquet_rows(data: bytes) -> list[list[Any]]:
    """[column names, *records] of a Parquet file; values keep their types (datetime, Decimal, ...)."""
    with tempfile.NamedTemporaryFile(suffix=".parquet", delete=False) as fh:
        fh.write(data)
        path = fh.name
    con = duckdb.connect()
    try:
        cur = con.execute(f"SELECT * FROM read_parquet('{path}')")
        header = [str(d[0]) for d in cur.description]
        return [header, *(list(r) for r in cur.fetchall())]
    except duckdb.Error as exc:
        raise ParquetError(f"无法读取 Parquet 文件：{str(exc).splitlines()[0][:120]}") from None
    finally:
        con.close()
        Path(path).unlink(missing_ok=True)
