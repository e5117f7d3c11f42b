"""Import jobs as durable work: queued after commit, held under a lease while run, resumed when lost.

A job's row is the durable record of the work. Creating it says the work is due (`core.work`): after
the commit a consumer is asked to run it — if asking fails (Redis restarting), the upload still
answers 201 and the job waits for the sweep. A consumer that takes the job holds it under a lease
(`lease_until`, renewed with each progress update); a consumer killed mid-job (SIGKILL, a machine
restart) leaves the lease to run out, and the sweep (`resume_stranded`, every minute) queues the job
again. The final store re-reads the job under its row lock and stores nothing if another runner
finished it meanwhile, so a job's rows are stored once however often it was queued.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from ..models import ImportJob

IMPORT_DUE = "analytics.import"
LEASE = timedelta(seconds=60)  # renewed every PROGRESS_EVERY rows; parsing a chunk takes far less
QUEUED_GRACE = timedelta(seconds=60)  # a pending job nobody took this long after creation was lost
OPEN = (ImportJob.Status.PENDING, ImportJob.Status.RUNNING)


def lease_end(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + LEASE


def claim(job_id: int) -> bool:
    """Take the job for this runner unless another holds a live lease (one UPDATE, atomic)."""
    now = timezone.now()
    return bool(
        ImportJob.objects.filter(pk=job_id, status__in=OPEN)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(status=ImportJob.Status.RUNNING, lease_until=lease_end(now))
    )


def stranded(now: datetime | None = None) -> list[int]:
    """Open jobs nobody is working on: a lease that ran out, or never taken after the grace time."""
    now = now or timezone.now()
    lost = Q(lease_until__lt=now) | Q(lease_until__isnull=True, created_at__lt=now - QUEUED_GRACE)
    return list(ImportJob.objects.filter(lost, status__in=OPEN).order_by("pk").values_list("pk", flat=True))
