"""Background tasks for cases: thin wrappers that call services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import recompute_open_cases, scan_due_nodes


@db_periodic_task(crontab(minute="*/10"))
def scan_due_nodes_task() -> None:
    """Every 10 minutes: raise yellow/red warnings for nodes newly due soon or overdue."""
    scan_due_nodes()


@db_task()
def recompute_open_cases_task() -> None:
    recompute_open_cases()
