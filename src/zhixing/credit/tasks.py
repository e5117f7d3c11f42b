"""Background tasks for credit punishment: thin wrappers over services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import scan_credit


@db_periodic_task(crontab(minute="*/15"))
def scan_credit_task() -> None:
    """Every 15 minutes: publish listings whose grace period ended; remove listings whose trigger is due."""
    scan_credit()
