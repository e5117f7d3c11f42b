"""The outbox worker: send due party-facing messages, record their proof, retry, fall back.

`run_once(limit)` leases up to `limit` due QUEUED deliveries (a lease that runs out, e.g. a worker that
died, makes them due again; the same idempotency key is sent again and the gateway acts once), sends
them by channel — SMS in signed batches to the SMS partner, e-mail over one SMTP connection, the
portal needs no sending — and applies the outcomes in bulk:

* delivered: `sent_at`/`delivered_at` stamped; a service's first delivery serves the document (its
  `served_on`, CPL Art 90: the day it reached the party's system) and sends `events.document_served`;
* a retryable failure (transport error, gateway busy, SMTP temporary error): tried again after
  `backoff_base * 2**tries` seconds, at most `max_attempts` times;
* a final failure: the message is FAILED; a service falls back to its next channel, or is FAILED
  when none is left (the clerk serves it by other means).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.localtime import local_date
from zhixing.core.partner_client import SignedClient, TransportError

from .events import document_served
from .models import Channel, Delivery, Document, Service, ServiceAddress

log = logging.getLogger("zhixing.documents.dispatch")


def option(name: str) -> Any:
    return settings.ZHIXING_ESERVICE[name]


@dataclass
class Outcome:
    """What a channel answered for one message: delivered, or an error (retryable or final)."""

    delivered_at: datetime | None = None
    error: str = ""
    retryable: bool = False


@dataclass
class Round:
    claimed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def claim(limit: int, now: datetime, keys: Sequence[str] | None = None) -> list[Delivery]:
    """Lease up to `limit` due queued messages (of `keys`, if given) to this worker (SKIP LOCKED on
    PostgreSQL)."""
    lease = now + timedelta(seconds=int(option("lease_seconds")))
    with transaction.atomic():
        qs = Delivery.objects.filter(status=Delivery.Status.QUEUED, due_at__lte=now)
        if keys is not None:
            qs = qs.filter(key__in=list(keys))
        qs = qs.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now)).order_by("due_at", "id")
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("id", flat=True)[:limit])
        if ids:
            Delivery.objects.filter(pk__in=ids).update(lease_until=lease)
    return list(Delivery.objects.filter(pk__in=ids).order_by("id"))


def _link(d: Delivery) -> str:
    from .eservice import link_path

    return str(settings.ZHIXING_PLATFORM_URL).rstrip("/") + link_path(d.token) if d.token else ""


def sms_client() -> SignedClient:
    return SignedClient(
        str(option("sms_code")),
        str(option("sms_secret")),
        str(option("sms_url")),
        float(option("http_timeout")),
    )


def send_sms(batch: Sequence[Delivery]) -> dict[int, Outcome]:
    """One signed batch per `sms_batch` messages; a transport failure leaves the whole batch retryable
    (same keys next time: the gateway sends once per key)."""
    client, out = sms_client(), {}
    size = int(option("sms_batch"))
    for start in range(0, len(batch), size):
        part = batch[start : start + size]
        items = [{"key": d.key, "phone": d.address, "text": (d.text + _link(d))[:500]} for d in part]
        try:
            answer = client.post("batch", {"items": items}, key=f"b-{part[0].key}-{len(part)}")
        except TransportError as exc:
            for d in part:
                out[d.pk] = Outcome(error=str(exc)[:200], retryable=True)
            continue
        by_key = {str(r.get("key")): r for r in answer.get("results", []) if isinstance(r, dict)}
        for d in part:
            r = by_key.get(d.key)
            if r is None:
                out[d.pk] = Outcome(error="网关未应答此条", retryable=True)
            elif r.get("status") == "done":
                at = _parse_time((r.get("result") or {}).get("delivered_at"))
                out[d.pk] = Outcome(delivered_at=at or timezone.now())
            else:
                out[d.pk] = Outcome(
                    error=str(r.get("reason", "发送失败"))[:200], retryable=bool(r.get("retryable"))
                )
    return out


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def send_email(batch: Sequence[Delivery]) -> dict[int, Outcome]:
    """Over one SMTP connection; the receiving server's acceptance is the delivery (reached the
    recipient's system). A refused recipient is final; a connection failure or 4xx is retried."""
    out: dict[int, Outcome] = {}
    try:
        smtp = smtplib.SMTP(
            str(option("smtp_host")), int(option("smtp_port")), timeout=float(option("http_timeout"))
        )
    except (OSError, smtplib.SMTPException) as exc:
        return {
            d.pk: Outcome(error=f"邮件服务器连接失败（{exc.__class__.__name__}）", retryable=True)
            for d in batch
        }
    try:
        for d in batch:
            msg = EmailMessage()
            msg["From"], msg["To"], msg["Subject"] = (
                str(option("mail_from")),
                d.address,
                d.subject or "法院通知",
            )
            msg["Message-ID"] = f"<{d.key}@zhixing>"
            msg.set_content(d.text + _link(d))
            try:
                smtp.send_message(msg)
                out[d.pk] = Outcome(delivered_at=timezone.now())
            except smtplib.SMTPRecipientsRefused:
                out[d.pk] = Outcome(error="收件地址被拒收", retryable=False)
            except smtplib.SMTPResponseException as exc:
                out[d.pk] = Outcome(
                    error=f"邮件服务器返回 {exc.smtp_code}", retryable=400 <= exc.smtp_code < 500
                )
            except (OSError, smtplib.SMTPException) as exc:
                out[d.pk] = Outcome(error=f"邮件发送失败（{exc.__class__.__name__}）", retryable=True)
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.quit()
    return out


def send_portal(batch: Sequence[Delivery]) -> dict[int, Outcome]:
    """The portal message is in the party's portal once written: delivered now."""
    now = timezone.now()
    return {d.pk: Outcome(delivered_at=now) for d in batch}


SENDERS: dict[str, Callable[[Sequence[Delivery]], dict[int, Outcome]]] = {
    Channel.SMS: send_sms,
    Channel.EMAIL: send_email,
    Channel.PORTAL: send_portal,
}


def mark_delivered(rows: Sequence[Delivery], now: datetime, at: dict[int, datetime] | None = None) -> None:
    """Delivered: stamp the rows, serve their services (first delivery only) and tell the owners."""
    at = at or {}
    for d in rows:
        d.status, d.lease_until, d.error = Delivery.Status.DELIVERED, None, ""
        d.delivered_at = at.get(d.pk) or now
        d.sent_at = d.sent_at or now
    svc_rows = [d for d in rows if d.service_id]
    # A service's proof keeps each gateway receipt's own time (few rows); pushes and codes — the bulk —
    # are stamped with the round's time, one UPDATE per 900 rows (one batch's receipts lie within it).
    if svc_rows:
        Delivery.objects.bulk_update(svc_rows, ["status", "lease_until", "error", "delivered_at", "sent_at"])
    bulk = [d for d in rows if not d.service_id]
    for d in bulk:
        d.delivered_at = d.sent_at = now
    pks = [d.pk for d in bulk]
    for i in range(0, len(pks), 900):
        Delivery.objects.filter(pk__in=pks[i : i + 900]).update(
            status=Delivery.Status.DELIVERED, lease_until=None, error="", delivered_at=now, sent_at=now
        )
    if not svc_rows:
        return
    services = Service.objects.select_for_update().in_bulk([d.service_id for d in svc_rows])
    docs = Document.objects.select_related("case__court").in_bulk([s.document_id for s in services.values()])
    for d in svc_rows:
        svc = services[d.service_id]
        if svc.status == Service.Status.SERVED:
            continue
        assert d.delivered_at is not None
        svc.status, svc.served_on = Service.Status.SERVED, local_date(d.delivered_at)
        svc.served_channel = d.channel
        svc.save(update_fields=["status", "served_on", "served_channel"])
        doc = docs[svc.document_id]
        audit.record(
            None,
            "document.served",
            object_type="document",
            object_id=doc.pk,
            case_id=svc.case_id,
            after={"party": svc.party_id, "channel": d.channel, "served_on": svc.served_on},
            court=doc.case.court,
        )
        document_served.send(
            Service,
            document=doc,
            party_id=svc.party_id,
            served_on=svc.served_on,
            channel=d.channel,
            actor=svc.created_by,
        )


def _fall_back(failed: Sequence[Delivery], now: datetime) -> int:
    """Each failed service message: queue its service's next channel, or fail the service."""
    from .eservice import delivery_for

    moved = 0
    for d in failed:
        if not d.service_id:
            continue
        svc = (
            Service.objects.select_for_update(of=("self",))
            .select_related("document", "document__case")
            .get(pk=d.service_id)
        )
        if svc.status != Service.Status.SERVING:
            continue
        tried = set(svc.deliveries.values_list("channel", flat=True))
        rest = [c for c in svc.channels if c not in tried]
        addr = ServiceAddress.objects.filter(case_id=svc.case_id, party_id=svc.party_id).first()
        court = svc.document.case.court
        if rest and addr is not None:
            nxt = delivery_for(svc, rest[0], addr, svc.document.title, now)
            nxt.court_id = d.court_id
            nxt.save()
            moved += 1
            audit.record(
                None,
                "document.serve_fallback",
                object_type="document",
                object_id=svc.document_id,
                case_id=svc.case_id,
                after={"party": svc.party_id, "from": d.channel, "to": rest[0], "reason": d.error},
                court=court,
            )
        else:
            svc.status, svc.failure = Service.Status.FAILED, d.error[:200]
            svc.save(update_fields=["status", "failure"])
            audit.record(
                None,
                "document.serve_failed",
                object_type="document",
                object_id=svc.document_id,
                case_id=svc.case_id,
                after={"party": svc.party_id, "reason": d.error},
                court=court,
            )
    return moved


def _update_grouped(rows: Sequence[Delivery]) -> None:
    """Write retried and failed rows with one UPDATE per distinct outcome (a gateway's "busy" for 200
    rows is one statement, not 200)."""
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for d in rows:
        groups[(d.tries, d.error, d.due_at, d.status, d.sent_at)].append(d.pk)
    for (tries, error, due_at, status, sent_at), pks in groups.items():
        for i in range(0, len(pks), 900):
            Delivery.objects.filter(pk__in=pks[i : i + 900]).update(
                tries=tries, error=error, due_at=due_at, status=status, sent_at=sent_at, lease_until=None
            )


def apply(rows: Sequence[Delivery], outcomes: dict[int, Outcome], now: datetime, r: Round) -> None:
    """Write the outcomes of one round in one transaction (bulk), with its fallbacks and events."""
    max_attempts, base = int(option("max_attempts")), int(option("backoff_base"))
    delivered, retry, failed = [], [], []
    at: dict[int, datetime] = {}
    for d in rows:
        o = outcomes.get(d.pk) or Outcome(error="未发送", retryable=True)
        d.sent_at = d.sent_at or now
        if o.delivered_at is not None:
            at[d.pk] = o.delivered_at
            delivered.append(d)
            continue
        d.tries += 1
        d.error, d.lease_until = o.error[:200], None
        if o.retryable and d.tries < max_attempts:
            d.due_at = now + timedelta(seconds=base * 2 ** (d.tries - 1))
            retry.append(d)
        else:
            d.status = Delivery.Status.FAILED
            failed.append(d)
    with transaction.atomic():
        if delivered:
            mark_delivered(delivered, now, at)
        _update_grouped(retry + failed)
        r.counts["fallback"] += _fall_back(failed, now)
        # One summary record per round: the rows themselves are the delivery proof of each message.
        audit.record(
            None,
            "document.dispatch_round",
            object_type="delivery",
            after={"delivered": len(delivered), "retry": len(retry), "failed": len(failed)},
        )
    r.counts["delivered"] += len(delivered)
    r.counts["retry"] += len(retry)
    r.counts["failed"] += len(failed)


def send_now(keys: Sequence[str]) -> Round:
    """Send these messages now (a sign-in code the party is waiting for); a failure is retried later
    by the worker like any other."""
    return run_once(len(keys), keys=keys)


def run_once(
    limit: int | None = None, now: datetime | None = None, keys: Sequence[str] | None = None
) -> Round:
    """One round of the worker: claim, send by channel, apply. Safe to run in parallel workers."""
    now = now or timezone.now()
    r = Round()
    rows = claim(limit or int(option("claim_batch")), now, keys)
    r.claimed = len(rows)
    if not rows:
        return r
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for d in rows:
        by_channel[d.channel].append(d)
    outcomes: dict[int, Outcome] = {}
    for channel, batch in by_channel.items():
        outcomes.update(SENDERS[channel](batch))
    apply(rows, outcomes, timezone.now() if now is None else now, r)
    return r


def drain(now: datetime | None = None, rounds: int = 100) -> Round:
    """Run rounds until nothing due is left (tests, the demo seeder, the benchmark)."""
    total = Round()
    for _ in range(rounds):
        r = run_once(now=now)
        if not r.claimed:
            break
        total.claimed += r.claimed
        for k, v in r.counts.items():
            total.counts[k] += v
    return total
