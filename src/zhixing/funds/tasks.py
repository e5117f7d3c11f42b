"""Huey tasks (thin): resume payment orders (payouts, returns) after a restart; book deductions;
reconcile the custody accounts with the bank's statements every morning; book the durable inbox of
single bank notices (kicked after each notice is recorded, and every minute)."""

import time

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

    from .services.inbox import KICK
    from .services.interest import ALLOCATE

    work.install(ALLOCATE, allocate_interest)  # an interest credit recorded is allocated by a task
    work.install(KICK, kick)  # single bank notices: the inbox booked right after a notice is recorded


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


# -- the durable inbox of single bank notices (services/inbox.py) ---------------------------------------


@db_task()
def book_notices_task(window: float = 0.0) -> int:
    """Book received bank notices until the inbox has been empty for `window` seconds."""
    from .services import inbox

    return inbox.drain_until_quiet(window)


@db_periodic_task(crontab(minute="*"))
def book_notices_periodic() -> int:
    """Every minute, the safety net: book any notice a kick missed (a crash, a lost queue message)."""
    from .services import inbox

    return inbox.drain_all()


_last_kick = [0.0]


def kick() -> None:
    """After a notice is recorded: ask a worker to book, at most once per `FUNDS_INBOX_KICK_MS` here."""
    from huey.contrib.djhuey import HUEY

    from . import conf

    if HUEY.immediate:  # tests, HUEY_IMMEDIATE: book now, in this process
        book_notices_task(0.0)
        return
    window = conf.inbox_kick_seconds()
    now = time.monotonic()
    if now - _last_kick[0] < window:
        return  # the task sent by the earlier kick is still draining (it waits `window` for us)
    _last_kick[0] = now
    book_notices_task(window)
