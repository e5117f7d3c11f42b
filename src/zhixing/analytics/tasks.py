"""Huey tasks: thin wrappers that load by id and call a service."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from . import services


@db_task()
def import_job_task(job_id: int) -> None:
    services.run_import(job_id)


@db_task()
def batch_task(batch_id: int) -> None:
    services.run_batch(batch_id)
