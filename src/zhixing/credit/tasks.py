"""Background tasks for credit punishment: thin wrappers over services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from zhixing.core.leases import lease

from .services import dispatch_due, notices, scan_credit
from .services.border import dispatch_border_due
from .services.privacy import build_privacy_table, sync_privacy_tables, tables_to_build


@db_periodic_task(crontab(minute="*/15"))
def scan_credit_task() -> None:
    """Every 15 minutes: publish listings whose grace period ended; remove listings whose trigger is due."""
    scan_credit()


@db_task()
def build_privacy_table_task(partner_id: int) -> None:
    """Precompute a privacy-mode partner's keyed-hash table (≈ 10 M HMACs at national scale)."""
    try:
        with lease(f"credit-privacy-build-{partner_id}"):
            build_privacy_table(partner_id)
    except TaskLockedException:
        pass  # the sweep queued it again while a build runs (minutes at national scale): nothing to do


@db_periodic_task(crontab(minute="*"))
def privacy_tables_periodic_task() -> None:
    """Every minute: build tables switched on or rotated; merge the register's changes into ready ones.

    Switching privacy mode on or rotating the key leaves the table 'building' (services may not queue
    tasks: import contract); this sweep queues one build job per such partner within a minute, and
    picks up a build that died half-way. Each build holds a per-partner lock, so a sweep during a
    long build queues a job that returns at once.
    """
    for partner_id in tables_to_build():
        build_privacy_table_task(partner_id)
    try:
        with lease("credit-privacy-sync"):
            sync_privacy_tables()
    except TaskLockedException:
        pass  # the previous minute's sync is still merging


@db_periodic_task(crontab(minute="*"))
def exposure_delivery_task() -> None:
    """Every minute: send due exposure notices and withdrawals to media partners (claimed in batches)."""
    try:
        with lease("credit-exposure-delivery"):
            dispatch_due()
    except TaskLockedException:
        pass  # the previous minute's round is still sending


@db_periodic_task(crontab(minute="*"))
def border_delivery_task() -> None:
    """Every minute: send due exit-restriction notices (control / lift) to border-control partners."""
    try:
        with lease("credit-border-delivery"):
            dispatch_border_due()
    except TaskLockedException:
        pass  # the previous minute's round is still sending


@db_periodic_task(crontab(minute="*"))
def art8_notice_delivery_task() -> None:
    """Every minute: send due Art 8 notices (征信中心, employers, superiors), retried with backoff."""
    try:
        with lease("credit-art8-delivery"):
            notices.dispatch_due()
    except TaskLockedException:
        pass  # the previous minute's round is still sending
