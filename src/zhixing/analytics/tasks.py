"""Huey tasks: thin wrappers that load by id and call a service; the sweep of stranded import jobs."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services
from .services import import_queue


@db_task()
def import_job_task(job_id: int) -> None:
    services.run_import(job_id)


@db_task()
def batch_task(batch_id: int) -> None:
    services.run_batch(batch_id)


@db_periodic_task(crontab(minute="*"))
def resume_imports() -> int:
    """Every minute: queue again the import jobs whose runner was lost (killed consumer, lost message)."""
    jobs = import_queue.stranded()
    for job_id in jobs:
        import_job_task(job_id)
    return len(jobs)


def install_hooks() -> None:
    """Called at app ready (AnalyticsConfig.ready): an import job created is run by a consumer."""
    from zhixing.core import work

    work.install(import_queue.IMPORT_DUE, import_job_task)
