"""An audit chain's rows as INSERT statements: the column plan of `AuditRecord`, built once per
database, and the statements that store a chain's hashed rows (`audit._append`) — run one by one, or
handed to a caller that pipelines its statements (`audit.pipelined_append`)."""

from __future__ import annotations

from typing import Any

from django.db import connection, models

from . import plain_statements
from .models import AuditChainHead, AuditRecord

ROW_FIELDS = ("action", "object_type", "object_id", "case_id", "before", "after", "prev_hash", "hash")
CHUNK = 500  # rows per INSERT

_INSERT_PLANS: dict[str, tuple[list[Any], list[tuple[int, bool]], str, str]] = {}
_INSERT_SQL: dict[tuple[str, int, bool], str] = {}  # (database, rows, moves the head) → the statement


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


def _insert_plan(conn: Any = connection) -> tuple[list[Any], list[tuple[int, bool]], str, str]:
    """The columns of an audit row, built once per database: (fields, per field (row position or -1 for a
    shared value, is JSON), the column list, one row's placeholders)."""
    plan = _INSERT_PLANS.get(conn.alias)
    if plan is None:
        meta = AuditRecord._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        position = {name: i for i, name in enumerate(ROW_FIELDS)}
        steps = [(position.get(f.attname, -1), isinstance(f, models.JSONField)) for f in fields]
        qn = conn.ops.quote_name
        cols = ", ".join(qn(str(f.column)) for f in fields)
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        plan = _INSERT_PLANS[conn.alias] = (fields, steps, cols, one)
    return plan


def _chunks(
    const: dict[str, Any], rows: list[tuple[Any, ...]], conn: Any = connection
) -> list[tuple[int, list[Any]]]:
    """Per INSERT of at most `CHUNK` rows: (its row count, its parameters).

    `const` holds the values every row shares (`at`, `actor_id`, `actor_name`, `court_code`, `chain`),
    prepared once by their fields as the ORM would (`get_db_prep_save`); each row holds `ROW_FIELDS`.
    A JSON value is adapted as `JSONField` does (None is SQL NULL); a str, int or None of the other
    fields is stored as it is (what their `get_db_prep_save` returns), anything else goes through its
    field. Model instances and the ORM's per-field preparation cost most of a screening call's audit;
    the column plan and the statement's text are built once (`_insert_plan`, `_INSERT_SQL`).
    """
    fields, steps, _, _ = _insert_plan(conn)
    adapt = conn.ops.adapt_json_value

    def prep(f: Any, is_json: bool, value: Any) -> Any:
        if is_json:
            return None if value is None else adapt(value, f.encoder)
        if value is None or type(value) is str or type(value) is int:
            return value
        return f.get_db_prep_save(value, conn)

    plan = [
        (i, None if i >= 0 else prep(f, is_json, const[f.attname]), f, is_json)
        for f, (i, is_json) in zip(fields, steps, strict=True)
    ]
    return [
        (
            len(part),
            [value if i < 0 else prep(f, is_json, row[i]) for row in part for i, value, f, is_json in plan],
        )
        for part in (rows[start : start + CHUNK] for start in range(0, len(rows), CHUNK))
    ]


def _insert_sql(count: int, *, moves_head: bool, conn: Any = connection) -> str:
    """INSERT of `count` rows RETURNING their ids; with `moves_head`, a data-modifying CTE that also sets
    the head row (parameters after the rows': last hash, head id) to the last of them (PostgreSQL)."""
    key = (conn.alias, count, moves_head)
    sql = _INSERT_SQL.get(key)
    if sql is None:
        _, _, cols, one = _insert_plan(conn)
        meta = AuditRecord._meta
        qn = conn.ops.quote_name
        pk = qn(str(meta.pk.column))
        sql = f"INSERT INTO {qn(meta.db_table)} ({cols}) VALUES {', '.join([one] * count)} RETURNING {pk}"  # noqa: S608
        if moves_head:
            head = qn(AuditChainHead._meta.db_table)
            sql = (
                f"WITH added AS ({sql}) UPDATE {head} SET last_id = (SELECT max({pk}) FROM added), "  # noqa: S608
                "last_hash = %s WHERE id = %s"
            )
        if len(_INSERT_SQL) < 1024:
            _INSERT_SQL[key] = sql
    return sql


def insert_rows(const: dict[str, Any], rows: list[tuple[Any, ...]], conn: Any = connection) -> list[int]:
    """INSERT rows with one multi-row statement per `CHUNK` (RETURNING their ids); their ids in order.
    `conn`: the default database's connection (the caller's, looked up once), or Django's proxy."""
    ids: list[int] = []
    for count, params in _chunks(const, rows, conn):
        sql = _insert_sql(count, moves_head=False, conn=conn)
        ids.extend(r[0] for r in plain_statements.fetch(sql, params))
    return ids


def append_statements(
    const: dict[str, Any], rows: list[tuple[Any, ...]], head_id: int, last_hash: str
) -> list[tuple[str, list[Any]]]:
    """The statements that store `rows` and move the chain's head row to the last of them, in order, to
    run in the transaction that holds the head's lock (PostgreSQL: the last INSERT moves the head in the
    same statement, a data-modifying CTE; the ids follow the rows' order as `insert_rows`')."""
    chunks = _chunks(const, rows)
    statements = [(_insert_sql(count, moves_head=False), params) for count, params in chunks[:-1]]
    count, params = chunks[-1]
    statements.append((_insert_sql(count, moves_head=True), [*params, last_hash, head_id]))
    return statements
