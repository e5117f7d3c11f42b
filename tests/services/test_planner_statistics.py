"""The daily planner-statistics task: `PRAGMA optimize` analyses what SQLite never analysed, then rests."""

from datetime import datetime
from typing import Any

import pytest
from django.db import connection

from tests import factories
from zhixing.cases.services import refresh_planner_statistics
from zhixing.cases.tasks import refresh_planner_statistics_task

pytestmark = pytest.mark.django_db


def _stats(table: str) -> dict[str, str]:
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if not cur.fetchall():
            return {}
        cur.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        return dict(cur.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_task_analyses_the_case_tables_once_on_sqlite(people: dict[str, Any]) -> None:
    for _ in range(3):
        factories.case(people["clerk"])
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cur.fetchall():
            cur.execute("DELETE FROM sqlite_stat1")
    assert _stats("cases_enforcementcase") == {}

    refresh_planner_statistics_task.call_local()

    stats = _stats("cases_enforcementcase")
    # Three cases of one court: the per-court index holds 3 rows, all 3 under the one court.
    assert stats["case_court_filed"].split()[:2] == ["3", "3"]
    assert stats["case_next_due_court_term"].split()[0] == "3"
    assert _stats("cases_node")["node_pending_court_due"].split()[0] == "15"  # 5 pending nodes a case

    again = refresh_planner_statistics()
    assert again.vendor == "sqlite"
    assert "cases_enforcementcase" in again.considered
    assert again.analysed == ()  # nothing grew: the daily run costs nothing


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_an_index_a_migration_added_gets_statistics(people: dict[str, Any]) -> None:
    factories.case(people["clerk"])
    refresh_planner_statistics()
    with connection.cursor() as cur:  # as a migration adding an index leaves it: without statistics
        cur.execute("CREATE INDEX case_test_year ON cases_enforcementcase (year)")
    assert "case_test_year" not in _stats("cases_enforcementcase")

    result = refresh_planner_statistics()

    assert result.analysed == ("cases_enforcementcase",)
    assert _stats("cases_enforcementcase")["case_test_year"] == "1 1"


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL only")
def test_task_leaves_postgresql_to_autovacuum() -> None:
    result = refresh_planner_statistics()
    assert (result.vendor, result.considered, result.analysed) == ("postgresql", (), ())


def test_task_runs_daily_at_0340() -> None:
    task = refresh_planner_statistics_task.task_class()
    minutes = [datetime(2026, 3, 10, h, m) for h in range(24) for m in range(60)]
    assert [t.strftime("%H:%M") for t in minutes if task.validate_datetime(t)] == ["03:40"]
