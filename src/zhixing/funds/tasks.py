"""Huey tasks (thin): resume payment orders after a restart; nothing else runs in the background."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import resume_sending


@db_periodic_task(crontab(minute="*"))
def resume_payment_orders() -> int:
    return resume_sending()


@db_periodic_task(crontab(minute="*"))
def book_online_deductions() -> int:
    """Every minute: book confirmed online deductions into their case accounts."""
    from .services.receipts import book_deductions

    return book_deductions()
