"""Huey tasks (thin): resume payment orders (payouts, returns) after a restart; book deductions;
reconcile the custody accounts with the bank's statements every morning."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

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


def install_hooks() -> None:
    """Called at app ready (FundsConfig.ready): an interest credit recorded is allocated by a task."""
    from zhixing.core import work

    from .services.interest import ALLOCATE

    work.install(ALLOCATE, allocate_interest)


@db_task()
def allocate_interest(credit_id: int) -> None:
    """Allocate one recorded custody-account interest credit (执行款孳息) to the cases."""
    from .services.interest import allocate_interest_credit

    allocate_interest_credit(credit_id)


@db_periodic_task(crontab(minute="*/10"))
def allocate_pending_interest() -> int:
    """Every 10 minutes: allocate interest credits whose queued task was lost (e.g. a restart)."""
    from .services.interest import allocate_pending_credits

    return allocate_pending_credits()


@db_periodic_task(crontab(hour="7", minute="30"))
def reconcile_custody_accounts() -> int:
    """Every morning: each court's custody account against the bank's statements since the last
    working day (none on rest days); differences and missing statements raise alerts."""
    from django.utils import timezone

    from .services import reconcile_all

    return reconcile_all(timezone.localdate()).reconciled
