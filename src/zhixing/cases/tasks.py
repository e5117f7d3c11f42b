"""Background tasks for cases: thin wrappers that call services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import recompute_open_cases, refresh_planner_statistics, scan_due_nodes


@db_periodic_task(crontab(minute="*/10"))
def scan_due_nodes_task() -> None:
    """Every 10 minutes: raise yellow/red warnings for nodes newly due soon or overdue."""
    scan_due_nodes()


@db_task()
def recompute_open_cases_task() -> None:
    recompute_open_cases()


@db_periodic_task(crontab(hour="3", minute="40"))
def refresh_planner_statistics_task() -> None:
    """Daily at 03:40, off hours: `PRAGMA optimize` on SQLite so the supervision and list queries keep
    their indexed plans as the case tables grow (PostgreSQL's autovacuum analyses on its own)."""
    refresh_planner_statistics()


@db_periodic_task(crontab(hour="0", minute="20"))
def sweep_settlements_task() -> None:
    """Daily at 00:20, just after a due day ends: mark settlement agreements with a missed instalment as
    breached (the command center's alert sweep then raises the alert). Claimed once per period by
    `zhixing.core.periodic`."""
    from .services.settlement import sweep_settlements

    sweep_settlements()
