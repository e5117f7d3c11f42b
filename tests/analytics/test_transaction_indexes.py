"""The statement lines' table keeps only the indexes its queries use (docs/adr/0028), and those
queries still find their rows through an index (SQLite's query plans; PostgreSQL plans by cost)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection

from zhixing.analytics import queries_rows
from zhixing.analytics.models import Transaction
from zhixing.analytics.services import snapshots

pytestmark = pytest.mark.django_db
TABLE = Transaction._meta.db_table


def _indexes() -> dict[tuple[str, ...], str]:
    """(columns) → index name of the table's plain indexes (not the primary key, unique or foreign key
    constraints themselves)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    out = {}
    for name, info in found.items():
        if info["index"] and not info["primary_key"] and not info["unique"] and not info["foreign_key"]:
            out[tuple(info["columns"])] = name
    return out


def _definition(name: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        return str(cursor.fetchone()[0])


def test_only_the_indexes_the_queries_use():
    got = _indexes()
    assert sorted(got) == [("duplicate_of_id",), ("job_id",), ("party_id", "occurred_at")]
    assert got[("party_id", "occurred_at")] == "an_tx_party_time"
    assert got[("duplicate_of_id",)] == "an_tx_dup_of"
    # partial: only the lines that are duplicates are in it (SQLite quotes the column, PostgreSQL not)
    definition = "".join(c for c in _definition("an_tx_dup_of") if c not in '"()')
    assert definition.endswith("WHERE duplicate_of_id IS NOT NULL"), definition


def _plan(sql: str, params: list[Any]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        steps = [str(row[-1]) for row in cursor.fetchall()]
    return [step for step in steps if step.split()[1:2] in ([TABLE], ["t"])]  # this table's steps


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite plans by rule, PostgreSQL by cost")
def test_the_queries_search_through_an_index():
    def plan_of(qs: object) -> list[str]:
        sql, params = qs.query.sql_with_params()  # type: ignore[attr-defined]
        return _plan(sql, list(params))

    by_party = "USING INDEX an_tx_party_time (party_id=?)"
    # the rows page, unfiltered and by dates
    assert plan_of(queries_rows.rows(7, queries_rows.RowFilter())) == [f"SEARCH {TABLE} {by_party}"]
    dated = queries_rows.RowFilter(start=date(2024, 1, 1), end=date(2024, 3, 31), counted=True)
    assert plan_of(queries_rows.rows(7, dated)) == [
        f"SEARCH {TABLE} USING INDEX an_tx_party_time (party_id=? AND occurred_at>? AND occurred_at<?)"
    ]
    # the debtor's stored occurrence keys (duplicates decided against them)
    keys = Transaction.objects.filter(party_id=7, duplicate_of__isnull=True).values_list("pk", "occurred_at")
    assert plan_of(keys) == [f"SEARCH {TABLE} {by_party}"]
    # the snapshot's rebuild from the database
    assert _plan(snapshots._tx_sql(), [7])[0] == f"SEARCH t {by_party}"
    # a job's lines (the duplicates' links, the snapshot's id run)
    job = Transaction.objects.filter(job_id=3, row_no__in=[1, 2]).values_list("row_no", "pk")
    assert plan_of(job)[0].startswith(f"SEARCH {TABLE} USING INDEX analytics_transaction_job_id_")
    # a deleted line's duplicates (on_delete=SET_NULL) through the partial index
    assert _plan(f"UPDATE {TABLE} SET duplicate_of_id = NULL WHERE duplicate_of_id IN (%s, %s)", [1, 2]) == [
        f"SEARCH {TABLE} USING COVERING INDEX an_tx_dup_of (duplicate_of_id=?)"
    ]
