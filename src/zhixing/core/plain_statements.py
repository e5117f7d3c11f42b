"""Plain SQL statements on the database connection, without Django's per-statement cursor machinery.

For the few statements a hot path runs for every group of requests (the screening gateway: the
change-log cursor, the partner keys, the limit's counter, the audit chain's head and INSERT). Through
`connection.cursor()` each costs ≈ 13 µs of CPU before the database sees it (the connection proxy's
thread-local look-ups, a cursor and its wrapper, the debug/instrumentation wrappers, SQLite's
placeholder rewriting by regular expression); here ≈ 3 µs. What stays is what makes the ORM's
statements safe: the same connection and transaction, the broken-transaction check, and Django's
error classes (`wrap_database_errors`: an `OperationalError` is still `django.db.OperationalError`).

The SQL is written as for `cursor.execute` (``%s`` placeholders, ``%%`` for a literal percent);
SQLite's rewriting to ``?`` is done once per statement text and remembered. While anyone watches the
connection (an `execute_wrapper` hook, DEBUG's query log, a test's `CaptureQueriesContext` or query
budget) the statement goes through `connection.cursor()` as before, so it is seen and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections

_QMARK: dict[str, str] = {}  # SQL text → its SQLite (qmark) form


def _qmark(sql: str) -> str:
    text = _QMARK.get(sql)
    if text is None:
        from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

        text = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")
        if len(_QMARK) < 2048:  # statements built for N values are few (group sizes)
            _QMARK[sql] = text
    return text


def _watched(conn: Any) -> bool:
    return bool(conn.execute_wrappers) or conn.queries_logged


def fetch(sql: str, params: Sequence[Any] = (), *, using: str = "default") -> list[tuple[Any, ...]]:
    """Run one statement; every row it returns (none for a write without RETURNING)."""
    conn = connections[using]
    if _watched(conn):
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description else []
    conn.ensure_connection()
    conn.validate_no_broken_transaction()
    with conn.wrap_database_errors:
        if conn.vendor == "sqlite":
            cursor = conn.connection.execute(_qmark(sql), params)
            try:
                return cursor.fetchall() if cursor.description else []
            finally:
                cursor.close()
        with conn.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description else []


def fetch_one(sql: str, params: Sequence[Any] = (), *, using: str = "default") -> tuple[Any, ...] | None:
    """The first row of one statement, or None."""
    rows = fetch(sql, params, using=using)
    return rows[0] if rows else None


def execute(sql: str, params: Sequence[Any] = (), *, using: str = "default") -> int:
    """Run one write; the number of rows it changed."""
    conn = connections[using]
    if _watched(conn):
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.rowcount)
    conn.ensure_connection()
    conn.validate_no_broken_transaction()
    with conn.wrap_database_errors:
        if conn.vendor == "sqlite":
            cursor = conn.connection.execute(_qmark(sql), params)
            try:
                return int(cursor.rowcount)
            finally:
                cursor.close()
        with conn.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.rowcount)
