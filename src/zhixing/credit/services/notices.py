"""Art 8 notices (失信通报): who must be told, queuing the notices, delivery, acknowledgements.

`record_profile` stores what the clerk learns of a debtor (state functionary and employer; a unit's
nature and superior). `queue_listing_notices` runs inside the transaction that publishes a listing (or
deletes it) and creates one `ListingNotice` per recipient Art 8 names (`rules.notice_recipient_kinds`).
The dispatcher (`dispatch_due`, a periodic task) sends due notices over the signed partner protocol in
one batch per recipient; each notice keeps its idempotency key across retries (backoff, at most
`max_attempts`, then FAILED with the reason, re-sendable under a new key). A recipient answers `done`
(acknowledged at once: the credit-reporting centre records it) or `accepted` (received; a person signs
for it and the recipient acknowledges later by signed callback, `receive_acks`).

The module is split by concept: settings in `notice_options`, the clerk's record in `debtor_profiles`,
queuing in `notice_queue`, acknowledgements in `notice_acks`; delivery stays here, and the moved names
are re-exported here.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.localtime import MINUTE_FORMAT, format_datetime
from zhixing.core.partner_client import SignedClient, TransportError

from .. import rules
from ..models import ListingNotice, NoticeRecipient
from .debtor_profiles import may_record as may_record
from .debtor_profiles import record_profile as record_profile
from .notice_acks import CallbackResult as CallbackResult
from .notice_acks import receive_acks as receive_acks
from .notice_options import DEFAULTS as DEFAULTS
from .notice_options import S, option
from .notice_options import log as log
from .notice_options import new_key as new_key
from .notice_queue import UPDATE_CAUSES as UPDATE_CAUSES
from .notice_queue import queue_listing_notices as queue_listing_notices
from .notice_queue import recipients_for as recipients_for
from .notice_queue import resend_notice as resend_notice

CALLBACK_PATH = "/api/v1/credit/notices/callback"


# -- delivery ------------------------------------------------------------------------------------------------
def callback_url() -> str:
    return str(getattr(settings, "ZHIXING_PLATFORM_URL", "")).rstrip("/") + CALLBACK_PATH


def client_for(r: NoticeRecipient) -> SignedClient:
    base = r.base_url or str(getattr(settings, "ZHIXING_SANDBOX_URL", ""))
    return SignedClient(r.code, r.shared_secret, base, float(option("http_timeout")))


@dataclass
class Round:
    claimed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def claim(limit: int, now: datetime | None = None, only: list[int] | None = None) -> list[int]:
    """Lease up to `limit` due queued notices to this worker (SKIP LOCKED on PostgreSQL)."""
    now = now or timezone.now()
    with transaction.atomic():
        due = (
            ListingNotice.objects.filter(status=S.QUEUED, due_at__lte=now)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by("due_at", "pk")
        )
        if only is not None:
            due = due.filter(pk__in=only)
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if ids:
            ListingNotice.objects.filter(pk__in=ids).update(
                lease_until=now + timedelta(seconds=int(option("lease_seconds"))), attempts=F("attempts") + 1
            )
    return ids


def item(n: ListingNotice) -> dict[str, Any]:
    """The protocol item: what Art 6 publishes (the ID in full: the recipient records the person)."""
    x = n.listing
    body: dict[str, Any] = {
        "key": n.idempotency_key,
        "action": n.event,
        "notice": n.pk,
        "id": x.subject_key,
        "name": x.name,
        "kind": x.kind,
        "legal_representative": x.legal_representative,
        "dishonest_act": f"{rules.GROUNDS[x.ground]}：{x.dishonest_act}",
        "obligation": x.obligation,
        "performance": x.performance,
        "case_number": x.case.number,
        "court": x.court.name,
        "document_number": x.document_number,
        "decided_on": x.decided_on.isoformat(),
        "published_on": x.publish_on.isoformat(),
    }
    if n.event == "updated":
        body["sequence"] = n.sequence
        if n.previous_id:  # a corrected ID: the record the recipient holds is under this one
            body["previous_id"] = n.previous_id
    if n.event == "removed":
        body["removed_on"] = x.removed_on.isoformat() if x.removed_on else ""
        body["removal_reason"] = rules.REMOVAL_TRIGGERS.get(x.removal_trigger, "")
    return body


def _retry(n: ListingNotice, reason: str, now: datetime) -> str:
    if n.attempts >= int(option("max_attempts")):
        n.status, n.lease_until, n.due_at = S.FAILED, None, None
        n.reason = f"已发送{n.attempts}次均未成功：{reason}"[:300]
        n.save()
        return "failed"
    wait = rules.backoff_seconds(n.attempts, int(option("backoff_base")), int(option("backoff_cap")))
    n.due_at, n.lease_until = now + timedelta(seconds=wait), None
    n.reason = f"第{n.attempts}次发送未成功：{reason}；将于{format_datetime(n.due_at, MINUTE_FORMAT)}重试"[
        :300
    ]
    n.save(update_fields=["due_at", "lease_until", "reason"])
    return "retry"


def apply_answer(notice_id: int, key: str, answer: Mapping[str, Any] | None, error: str = "") -> str:
    """Apply a recipient's answer to the message `key` of one notice (idempotent); returns what happened."""
    now = timezone.now()
    with transaction.atomic():
        n = (
            ListingNotice.objects.select_for_update(of=("self",))
            .select_related("listing")
            .filter(pk=notice_id)
            .first()
        )
        if n is None or n.idempotency_key != key or n.status != S.QUEUED:
            return "stale"
        before = n.status
        status = (answer or {}).get("status")
        if answer is None:
            outcome = _retry(n, error or "对方未应答", now)
        elif status in ("done", "accepted"):
            n.lease_until, n.due_at, n.sent_at, n.reason = None, None, now, ""
            if status == "done":
                n.status, n.acknowledged_at = S.ACKNOWLEDGED, now
                n.partner_ref = str((answer.get("result") or {}).get("ref", ""))[:64]
            else:
                n.status = S.SENT
            n.save()
            outcome = "acknowledged" if status == "done" else "sent"
        else:
            reason = str(answer.get("reason") or answer.get("error") or "未说明理由")[:200]
            if answer.get("retryable"):
                outcome = _retry(n, f"对方暂不受理：{reason}", now)
            else:
                n.status, n.lease_until, n.due_at, n.reason = S.FAILED, None, None, f"对方拒收：{reason}"
                n.save()
                outcome = "failed"
        if n.status != before:
            audit.record(
                None,
                "credit.art8_delivery",
                object_type="ListingNotice",
                object_id=n.pk,
                case_id=n.listing.case_id,
                before={"status": before},
                after={"status": n.status, "reason": n.reason, "attempts": n.attempts},
            )
    return outcome


def _send(r: NoticeRecipient, notices: list[ListingNotice]) -> dict[str, Any]:
    items = [item(n) for n in notices]
    key = "a8b-" + hashlib.sha256("|".join(i["key"] for i in items).encode()).hexdigest()[:40]
    answer = client_for(r).post("batch", {"items": items, "callback_url": callback_url()}, key)
    results = answer.get("results")
    if not isinstance(results, list):
        raise TransportError("对方应答缺少 results")
    return {str(a.get("key")): a for a in results if isinstance(a, dict)}


def dispatch_once(limit: int | None = None) -> Round:
    """One round: claim due notices, send them per recipient (one batch each), apply the answers."""
    ids = claim(limit or int(option("claim_batch")))
    result = Round(claimed=len(ids))
    rows = (
        ListingNotice.objects.filter(pk__in=ids)
        .select_related("recipient", "listing__case", "listing__court")
        .order_by("pk")
    )
    groups: dict[int, list[ListingNotice]] = defaultdict(list)
    for n in rows:
        groups[n.recipient_id].append(n)
    for members in groups.values():
        try:
            answers, error = _send(members[0].recipient, members), ""
        except TransportError as exc:
            answers, error = {}, str(exc)
        for n in members:
            a = answers.get(n.idempotency_key)
            result.counts[
                apply_answer(n.pk, n.idempotency_key, a, error or ("" if a else "应答中缺少该条"))
            ] += 1
    return result


def dispatch_due(max_rounds: int = 100) -> Round:
    """Rounds until nothing is due (the periodic task)."""
    total = Round()
    for _ in range(max_rounds):
        r = dispatch_once()
        if not r.claimed:
            break
        total.claimed += r.claimed
        for k, v in r.counts.items():
            total.counts[k] += v
    return total
