"""An audit chain's rows as INSERT statements: the column plan of `AuditRecord`, built once per
database, and the statements that store a chain's hashed rows (`audit._append`) — run one by one, or
handed to a caller that pipelines its statements (`audit_statements.pipelined_append`)."""

from __future__ import annotations

from typing import Any

from django.db import connection, models

from . import plain_statements
from .models import AuditChainHead, AuditRecord

ROW_FIELDS = ("action", "object_type", "object_id", "case_id", "before", "after", "prev_hash", "hash")
# Rows that carry their own time (entries of the screening journal appended together, each entry at the
# time of its calls: `audit.append_entries`); otherwise every row of an INSERT shares one time.
ROW_FIELDS_AT = (*ROW_FIELDS, "at")
CHUNK = 500  # rows per INSERT

_INSERT_PLANS: dict[tuple[str, tuple[str, ...]], tuple[list[Any], list[tuple[int, bool]], str, str]] = {}
_INSERT_SQL: dict[tuple[str, int, tuple[str, ...]], str] = {}  # (database, rows, row fields) → the statement


_HEAD_SQL: dict[str, tuple[str, str]] = {}  # database alias → (lock the head, move the head)


def head_statements(conn: Any) -> tuple[str, str]:
    """The chain head's two statements for `conn`'s database, built once (quoting, FOR UPDATE)."""
    sql = _HEAD_SQL.get(conn.alias)
    if sql is None:
        table = conn.ops.quote_name(AuditChainHead._meta.db_table)
        lock = " FOR UPDATE" if conn.features.has_select_for_update else ""
        sql = _HEAD_SQL[conn.alias] = (
            f"SELECT id, last_hash FROM {table} WHERE chain = %s{lock}",  # noqa: S608
            f"UPDATE {table} SET last_id = %s, last_hash = %s WHERE id = %s",  # noqa: S608
        )
    return sql


def _insert_plan(
    conn: Any = connection, row_fields: tuple[str, ...] = ROW_FIELDS
) -> tuple[list[Any], list[tuple[int, bool]], str, str]:
    """The columns of an audit row, built once per database: (fields, per field (row position or -1 for a
    shared value, is JSON), the column list, one row's placeholders)."""
    plan = _INSERT_PLANS.get((conn.alias, row_fields))
    if plan is None:
        meta = AuditRecord._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        position = {name: i for i, name in enumerate(row_fields)}
        steps = [(position.get(f.attname, -1), isinstance(f, models.JSONField)) for f in fields]
        qn = conn.ops.quote_name
        cols = ", ".join(qn(str(f.column)) for f in fields)
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        plan = _INSERT_PLANS[(conn.alias, row_fields)] = (fields, steps, cols, one)
    return plan


def _row_plan(
    const: dict[str, Any], conn: Any, row_fields: tuple[str, ...]
) -> list[tuple[int, Any, Any, bool]]:
    """Per column of an audit row: (its position in a row, or -1 for a shared value; the shared value,
    prepared once; its field; is it JSON), for `_chunks` and `copy_rows`."""
    fields, steps, _, _ = _insert_plan(conn, row_fields)
    return [
        (i, None if i >= 0 else _prep(f, is_json, const[f.attname], conn), f, is_json)
        for f, (i, is_json) in zip(fields, steps, strict=True)
    ]


def _chunks(
    const: dict[str, Any],
    rows: list[tuple[Any, ...]],
    conn: Any = connection,
    row_fields: tuple[str, ...] = ROW_FIELDS,
) -> list[tuple[int, list[Any]]]:
    """Per INSERT of at most `CHUNK` rows: (its row count, its parameters).

    `const` holds the values every row shares (`at`, `actor_id`, `actor_name`, `court_code`, `chain`),
    prepared once by their fields as the ORM would (`get_db_prep_save`); each row holds `ROW_FIELDS`.
    A JSON value is adapted as `JSONField` does (None is SQL NULL); a str, int or None of the other
    fields is stored as it is (what their `get_db_prep_save` returns), anything else goes through its
    field. Model instances and the ORM's per-field preparation cost most of a screening call's audit;
    the column plan and the statement's text are built once (`_insert_plan`, `_INSERT_SQL`).
    """
    plan = _row_plan(const, conn, row_fields)
    return [
        (
            len(part),
            [
                value if i < 0 else _prep(f, is_json, row[i], conn)
                for row in part
                for i, value, f, is_json in plan
            ],
        )
        for part in (rows[start : start + CHUNK] for start in range(0, len(rows), CHUNK))
    ]


def _insert_sql(count: int, *, conn: Any = connection, row_fields: tuple[str, ...] = ROW_FIELDS) -> str:
    """INSERT of `count` rows RETURNING their ids (the databases other than PostgreSQL)."""
    key = (conn.alias, count, row_fields)
    sql = _INSERT_SQL.get(key)
    if sql is None:
        _, _, cols, one = _insert_plan(conn, row_fields)
        meta = AuditRecord._meta
        qn = conn.ops.quote_name
        pk = qn(str(meta.pk.column))
        sql = f"INSERT INTO {qn(meta.db_table)} ({cols}) VALUES {', '.join([one] * count)} RETURNING {pk}"  # noqa: S608
        if len(_INSERT_SQL) < 1024:
            _INSERT_SQL[key] = sql
    return sql


def insert_rows(
    const: dict[str, Any],
    rows: list[tuple[Any, ...]],
    conn: Any = connection,
    row_fields: tuple[str, ...] = ROW_FIELDS,
) -> list[int]:
    """INSERT rows (RETURNING their ids); their ids in order. PostgreSQL: ONE statement of column arrays
    (`_unnest_sql`); elsewhere one multi-row statement per `CHUNK`. `conn`: the default database's
    connection (the caller's, looked up once), or Django's proxy."""
    if conn.vendor == "postgresql":
        sql, params = _unnest_sql(conn, "none", row_fields), _columns(const, rows, conn, row_fields)
        return [r[0] for r in plain_statements.fetch(sql, params)]
    ids: list[int] = []
    for count, params in _chunks(const, rows, conn, row_fields):
        sql = _insert_sql(count, conn=conn, row_fields=row_fields)
        ids.extend(r[0] for r in plain_statements.fetch(sql, params))
    return ids


def copy_rows(
    const: dict[str, Any], rows: list[tuple[Any, ...]], conn: Any, row_fields: tuple[str, ...] = ROW_FIELDS
) -> int:
    """PostgreSQL: store rows with ONE `COPY … FROM STDIN` (no ids returned); the last row's id, read
    as the session's `currval` of the id sequence (each row took the next value, in order, in this
    session). For a bulk writer that needs only the last id (the screening journal's flusher,
    `audit.append_entries`): the INSERT of column arrays dumped every value of every array in Python
    (psycopg's array dumper, ≈ 40 % of the flusher's CPU at 2,000 records/s); a COPY row is formatted
    by psycopg's C code."""
    cols = _insert_plan(conn, row_fields)[2]
    plan = _row_plan(const, conn, row_fields)
    meta = AuditRecord._meta
    table = conn.ops.quote_name(meta.db_table)
    with conn.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
        with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write([value if i < 0 else _prep(f, is_json, row[i], conn) for i, value, f, is_json in plan])
        raw.execute(f"SELECT currval(pg_get_serial_sequence('{meta.db_table}', '{meta.pk.column}'))")
        return int(raw.fetchone()[0])


def append_statements(
    const: dict[str, Any], rows: list[tuple[Any, ...]], head_id: int, last_hash: str
) -> list[tuple[str, list[Any]]]:
    """The statement that stores `rows` and moves the chain's head row to the last of them, to run in the
    transaction that holds the head's lock (PostgreSQL only, where the caller pipelines it: one
    data-modifying CTE of column arrays, `_unnest_sql`; the ids follow the rows' order)."""
    params = _columns(const, rows, connection)
    return [(_unnest_sql(connection, "move"), [*params, last_hash, head_id])]


def guarded_append_statement(
    const: dict[str, Any], rows: list[tuple[Any, ...]], head: tuple[int, str], last_hash: str
) -> tuple[str, list[Any]]:
    """PostgreSQL: ONE statement that locks the chain's head row only if it is still `head` (id, last
    hash: the caller's belief, from its own last append), and then stores `rows` (hashed onto that
    head) and moves the head to the last of them. It returns one row (the new last id) when the head was
    as believed, and no row, having written nothing, when another writer had moved it: the caller then
    takes the locking path (`append_statements` after `audit_statements.head_statement`). For a caller
    that appends to a chain nobody else usually writes (the screening gateway's engine): one statement
    and no wait for the head's answer before the rows can be sent (`commit_flush.append_and_flush`).

    Why it is safe under concurrent writers: `SELECT … FOR UPDATE` waits for a concurrent holder of the
    head row and then re-checks its condition on the row as that holder left it (PostgreSQL's READ
    COMMITTED re-check); a head that moved no longer matches, so nothing is inserted or updated."""
    params = _columns(const, rows, connection)
    return _unnest_sql(connection, "guarded"), [head[0], head[1], *params, last_hash]


_UNNEST_SQL: dict[tuple[str, str, tuple[str, ...]], str] = {}  # (database, head mode, row fields) → SQL


def _unnest_sql(conn: Any, head_mode: str, row_fields: tuple[str, ...] = ROW_FIELDS) -> str:
    """PostgreSQL: the INSERT of any number of rows as ONE statement of fixed text: the shared values as
    scalars, each row field as an array (`unnest … WITH ORDINALITY`, inserted in the arrays' order, as
    Django's own bulk insert on PostgreSQL does), RETURNING the ids. `head_mode`: "none"; "move", a
    data-modifying CTE that also sets the head row (parameters after the arrays: last hash, head id);
    "guarded", `guarded_append_statement`'s (parameters: head id, believed hash, the rows', last hash).

    Fixed text and at most 16 parameters whatever the group's size: psycopg parses a statement's
    placeholders by regular expression unless it is short and has at most 50 parameters (then it is
    cached), and a VALUES list of ten 13-column rows was neither: ≈ 0.1–0.2 ms of CPU per screening
    group on the gateway's hot path (docs/credit.md)."""
    key = (conn.alias, head_mode, row_fields)
    sql = _UNNEST_SQL.get(key)
    if sql is None:
        fields, steps, _, _ = _insert_plan(conn, row_fields)
        qn = conn.ops.quote_name
        shared = [f for f, (i, _) in zip(fields, steps, strict=True) if i < 0]
        by_pos = {i: f for f, (i, _) in zip(fields, steps, strict=True) if i >= 0}
        per_row = [by_pos[i] for i in range(len(row_fields))]
        cols = ", ".join(qn(str(f.column)) for f in [*shared, *per_row])
        arrays = ", ".join(f"%s::{f.db_type(conn).split('(')[0]}[]" for f in per_row)
        names = ", ".join(f"c{i}" for i in range(len(per_row)))
        meta = AuditRecord._meta
        pk = qn(str(meta.pk.column))
        head = qn(AuditChainHead._meta.db_table)
        only_if = " WHERE EXISTS (SELECT 1 FROM head)" if head_mode == "guarded" else ""
        sql = (
            f"INSERT INTO {qn(meta.db_table)} ({cols}) "  # noqa: S608
            f"SELECT {', '.join(['%s'] * len(shared))}, {names} "
            f"FROM unnest({arrays}) WITH ORDINALITY AS r({names}, n){only_if} ORDER BY n RETURNING {pk}"
        )
        if head_mode == "move":
            sql = (
                f"WITH added AS ({sql}) UPDATE {head} SET last_id = (SELECT max({pk}) FROM added), "  # noqa: S608
                "last_hash = %s WHERE id = %s"
            )
        elif head_mode == "guarded":
            sql = (
                f"WITH head AS (SELECT id FROM {head} WHERE id = %s AND last_hash = %s FOR UPDATE), "  # noqa: S608
                f"added AS ({sql}), "
                f"moved AS (UPDATE {head} SET last_id = (SELECT max({pk}) FROM added), last_hash = %s "
                "WHERE id = (SELECT id FROM head) RETURNING last_id) SELECT last_id FROM moved"
            )
        _UNNEST_SQL[key] = sql
    return sql


def _columns(
    const: dict[str, Any], rows: list[tuple[Any, ...]], conn: Any, row_fields: tuple[str, ...] = ROW_FIELDS
) -> list[Any]:
    """`_unnest_sql`'s parameters: the shared values, then one list per row field (`ROW_FIELDS` order),
    every value prepared as `_chunks` prepares it (`_prep`)."""
    fields, steps, _, _ = _insert_plan(conn, row_fields)
    shared = [
        _prep(f, is_json, const[f.attname], conn)
        for f, (i, is_json) in zip(fields, steps, strict=True)
        if i < 0
    ]
    field_at = {i: (f, is_json) for f, (i, is_json) in zip(fields, steps, strict=True) if i >= 0}
    columns = [
        [_prep(f, is_json, row[i], conn) for row in rows] for i, (f, is_json) in sorted(field_at.items())
    ]
    return [*shared, *columns]


def _prep(f: Any, is_json: bool, value: Any, conn: Any) -> Any:
    if is_json:
        return None if value is None else conn.ops.adapt_json_value(value, f.encoder)
    if value is None or type(value) is str or type(value) is int:
        return value
    return f.get_db_prep_save(value, conn)
