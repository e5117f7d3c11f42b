"""Huey tasks (thin): resume payment orders after a restart; nothing else runs in the background."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import resume_sending


@db_periodic_task(crontab(minute="*"))
def resume_payment_orders() -> int:
    return resume_sending()
