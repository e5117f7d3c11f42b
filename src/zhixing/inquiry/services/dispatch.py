"""The dispatcher: claim due requests in batches, send them per partner, apply the answers.

A request row is its own durable timer. `claim` takes due rows (PENDING/WAITING with `due_at` passed,
or SENDING whose lease ran out because a worker died) with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so
several workers never claim the same row, and marks them SENDING with a lease. HTTP runs in a thread
per partner batch, so a partner that never answers only holds its own batch until the timeout; answers
are applied on the calling thread as each batch completes. A crash anywhere leaves rows SENDING with a
lease that expires: they are sent again with the same idempotency keys, and the partner acts once.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .. import conf
from ..adapters import TransportError, client_for
from ..models import InquiryRequest, Partner
from . import feedback, jobs
from .jobs import Job

S = InquiryRequest.Status


@dataclass
class Round:
    claimed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def lease_seconds() -> int:
    return int(conf.option("lease_seconds")) or int(conf.option("http_timeout")) * 3 + 30


def claim(limit: int, now: datetime | None = None) -> tuple[list[int], set[int]]:
    """Claim up to `limit` due rows; returns (ids to send, subset of ids to poll instead)."""
    now = now or timezone.now()
    with transaction.atomic():
        # Two index-backed scans: due rows (new, retries, polls), then rows whose worker's lease ran out.
        due = InquiryRequest.objects.filter(status__in=[S.PENDING, S.WAITING], due_at__lte=now).order_by(
            "due_at"
        )
        stale = InquiryRequest.objects.filter(status=S.SENDING, lease_until__lt=now).order_by("lease_until")
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True, of=("self",))
            stale = stale.select_for_update(skip_locked=True, of=("self",))
        rows = list(stale.values_list("pk", "status")[:limit])
        rows += list(due.values_list("pk", "status")[: limit - len(rows)]) if len(rows) < limit else []
        ids = [pk for pk, _ in rows]
        poll = {pk for pk, status in rows if status == S.WAITING}
        until = now + timedelta(seconds=lease_seconds())
        send_ids = [pk for pk in ids if pk not in poll]
        if send_ids:
            InquiryRequest.objects.filter(pk__in=send_ids).update(
                status=S.SENDING, lease_until=until, attempts=F("attempts") + 1
            )
        if poll:
            InquiryRequest.objects.filter(pk__in=list(poll)).update(status=S.SENDING, lease_until=until)
    return ids, poll


def _send(partner: Partner, rows: list[Job], poll: bool, callback: str) -> list[dict[str, Any]]:
    client = client_for(partner)
    if poll:
        return client.poll([r.idempotency_key for r in rows])
    return client.send([r.item() for r in rows], callback)


def dispatch_once(limit: int | None = None, threads: int = 8) -> Round:
    """One round: claim, send per partner in parallel, apply answers. Returns what happened."""
    limit = limit or int(conf.option("claim_batch"))
    size = int(conf.option("send_batch"))
    ids, poll_ids = claim(limit)
    result = Round(claimed=len(ids))
    if not ids:
        return result
    rows = jobs.load(ids)
    partners = {p.pk: p for p in Partner.objects.filter(pk__in={r.partner_id for r in rows})}
    groups: dict[tuple[int, bool], list[Job]] = defaultdict(list)
    for r in rows:
        groups[(r.partner_id, r.pk in poll_ids)].append(r)
    callback = conf.callback_url()
    work: list[tuple[Partner, list[Job], bool]] = []
    for (partner_id, poll), members in groups.items():
        for i in range(0, len(members), size):
            work.append((partners[partner_id], members[i : i + size], poll))
    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(work)))) as pool:
        futures: dict[Future[list[dict[str, Any]]], tuple[Partner, list[Job], bool]] = {
            pool.submit(_send, partner, members, poll, callback): (partner, members, poll)
            for partner, members, poll in work
        }
        for fut in as_completed(futures):
            _, members, _ = futures[fut]
            try:
                answers = fut.result()
            except TransportError as exc:
                feedback.retry_later(members, str(exc))
                result.counts["retry"] += len(members)
                continue
            for k, v in feedback.apply_answers(members, answers).items():
                result.counts[k] += v
    return result


def dispatch_due(max_rounds: int = 1000, limit: int | None = None) -> Round:
    """Rounds until nothing is due (used by the periodic task and the post-commit kick)."""
    total = Round()
    for _ in range(max_rounds):
        r = dispatch_once(limit)
        if not r.claimed:
            break
        total.claimed += r.claimed
        for k, v in r.counts.items():
            total.counts[k] += v
    return total
