"""Huey tasks (thin): resume payment orders (payouts, returns) after a restart; book deductions."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import resume_returns, resume_sending


@db_periodic_task(crontab(minute="*"))
def resume_payment_orders() -> int:
    """Every minute: re-send payout and return orders left unanswered (same keys: paid once)."""
    return resume_sending() + resume_returns()


@db_periodic_task(crontab(minute="*"))
def book_online_deductions() -> int:
    """Every minute: book confirmed online deductions into their case accounts."""
    from .services.receipts import book_deductions

    return book_deductions()


@db_periodic_task(crontab(minute="*/15"))
def funds_scan_clocks() -> int:
    """Every 15 minutes: every open payout clock of every court settled, re-dated, overdue marked."""
    from .services.clocks import scan

    return scan().overdue
