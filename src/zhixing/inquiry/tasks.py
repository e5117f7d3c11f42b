"""Background tasks for network inquiry: thin wrappers over services.

Requests are durable timers in the database; the periodic task claims whatever is due in batches. A
write that creates requests also says the dispatch is due (`services.requests.kick`); the hook installed
here turns that into one `dispatch_task` after commit, so answers come quickly. The arrow runs one way:
this module imports the services, the services never import it (core.work, .importlinter).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from zhixing.core import work
from zhixing.core.leases import lease

from . import services
from .services.requests import DISPATCH


@db_task()
def dispatch_task() -> None:
    services.dispatch_due()


def install_hooks() -> None:
    """Called at app ready (InquiryConfig.ready): the work the services say is due, done by tasks."""
    work.install(DISPATCH, dispatch_task)
    work.install(services.PAGE_WORK, dormant_page_task)


@db_periodic_task(crontab(minute="*"))
def dispatch_periodic_task() -> None:
    """Every minute: send what is due (new, retries after backoff, polls of accepted requests)."""
    services.dispatch_due()


@db_periodic_task(crontab(minute="*/5"))
def inquiry_upkeep_task() -> None:
    """Every 5 minutes: triage re-evaluation missed by the round event, release controls of performed cases,
    results (and resume leads) of finished 终本 re-inquiry rounds."""
    services.triage_sweep()
    services.release_sweep()
    services.settle_rounds()


@db_periodic_task(crontab(hour="0", minute="10"))
def lapse_controls_task() -> None:
    """Nightly: controls entering the warning window are alerted, those past their last day lapse (with
    an alert), and seizures queued behind a lapsed one move up (rules.md §6.1)."""
    with lease("inquiry-lapse"):
        services.term_sweep()


@db_periodic_task(crontab(hour="2", minute="30"))
def dormant_reinquiry_task() -> int:
    """Daily: select the due 终本 cases (终本规定 Art 9(2)) in keyset pages and queue one job per page;
    one sweep at a time. Returns how many cases were dispatched."""
    with lease("inquiry-dormant-reinquiry"):
        return services.reinquiry_sweep().selected


@db_task()
def dormant_page_task(case_ids: list[int], today: str) -> int:
    """One page of due 终本 cases: file each one's round (re-checked under its row lock)."""
    from datetime import date

    return services.reinquire_page(case_ids, date.fromisoformat(today)).filed
