"""Import jobs are durable work: a lost queue message or a consumer killed mid-job (the cluster soak's
SIGKILL and Redis restart) leaves the job to the every-minute sweep, and a job is stored once however
often it was queued."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhixing.analytics import services, tasks
from zhixing.analytics.models import ImportJob, Transaction
from zhixing.analytics.services import import_queue
from zhixing.analytics.services import imports as imports_module
from zhixing.core.models import AuditRecord

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db
CMB = (FIXTURES / "cmb_sample.csv").read_bytes()


def create(debtor: Any, people: dict[str, Any], presets: dict[str, Any]) -> ImportJob:
    return services.create_import(
        people["judge"], debtor, kind="statement", file_name="cmb.csv", data=CMB, preset=presets["cmb"]
    )


def done_records(job: ImportJob) -> int:
    return AuditRecord.objects.filter(action="analytics.import.done", object_id=str(job.pk)).count()


def test_a_job_whose_consumer_was_killed_is_resumed_by_the_sweep_and_stored_once(
    debtor: Any, people: dict[str, Any], presets: dict[str, Any]
) -> None:
    job = create(debtor, people, presets)
    assert import_queue.claim(job.pk)  # a consumer took it ...
    assert import_queue.stranded() == []  # ... and holds it while its lease runs
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert import_queue.stranded() == [job.pk]  # ... and was killed: the lease ran out
    assert tasks.resume_imports.call_local() == 1
    job.refresh_from_db()
    assert (job.status, job.lease_until) == ("done", None)
    assert Transaction.objects.filter(job=job).count() == job.imported + job.duplicates > 0
    assert done_records(job) == 1
    assert tasks.resume_imports.call_local() == 0  # done: never queued again


def test_a_job_never_taken_is_resumed_after_the_grace_time(
    debtor: Any, people: dict[str, Any], presets: dict[str, Any]
) -> None:
    job = create(debtor, people, presets)  # the queue message was lost (Redis restarting)
    assert import_queue.stranded() == []
    later = timezone.now() + import_queue.QUEUED_GRACE + timedelta(seconds=1)
    assert import_queue.stranded(later) == [job.pk]


def test_a_second_runner_leaves_a_job_under_a_live_lease_alone(
    debtor: Any, people: dict[str, Any], presets: dict[str, Any]
) -> None:
    job = create(debtor, people, presets)
    assert import_queue.claim(job.pk)
    assert services.run_import(job.pk).status == "running"
    assert Transaction.objects.filter(job=job).count() == 0 and done_records(job) == 0


def test_a_runner_whose_lease_ran_out_stores_nothing_when_another_finished_first(
    debtor: Any, people: dict[str, Any], presets: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = create(debtor, people, presets)
    real = imports_module.read_statement

    def slow_read(*args: Any, **kwargs: Any) -> Any:
        # While the first runner reads the file its lease runs out and the sweep's runner does the job.
        monkeypatch.setattr(imports_module, "read_statement", real)
        ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
        assert services.run_import(job.pk).status == "done"
        return real(*args, **kwargs)

    monkeypatch.setattr(imports_module, "read_statement", slow_read)
    services.run_import(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    assert Transaction.objects.filter(job=job).count() == job.imported + job.duplicates > 0
    assert done_records(job) == 1


def test_an_upload_is_accepted_while_the_queue_is_down(
    debtor: Any,
    people: dict[str, Any],
    presets: dict[str, Any],
    client: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from zhixing.core import work

    def redis_down(job_id: int) -> None:
        raise ConnectionError("Redis is restarting")

    monkeypatch.setitem(work._hooks, import_queue.IMPORT_DUE, redis_down)
    client.force_login(people["judge"])
    url = f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/imports"
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"file": io.BytesIO(CMB), "preset": "cmb"})
    assert r.status_code == 201, r.content
    job = ImportJob.objects.get(pk=r.json()["id"])
    assert job.status == "pending"  # left for the sweep, not lost and not a 500 the client would retry
    later = timezone.now() + import_queue.QUEUED_GRACE + timedelta(seconds=1)
    assert import_queue.stranded(later) == [job.pk]
