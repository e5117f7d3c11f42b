"""Delivering exposure notices to media partners: claim due rows, send them signed, apply the answers.

Each `ExposureNotice` in QUEUED (publish) or WITHDRAWING (withdraw) state is an outbound message with
its own idempotency key. `claim` takes due rows in a batch (`FOR UPDATE SKIP LOCKED` on PostgreSQL) and
leases them to this worker; a worker that dies leaves a lease that runs out, and the next round sends
the same keys again — the partner answers without acting twice. Answers are applied under a row lock
and only to the message they answer (same key, still outbound), so a late or repeated answer changes
nothing. A transport failure or a retryable refusal is retried with backoff, at most `max_attempts`
times; then the notice is FAILED (or WITHDRAW_FAILED) with the reason, shown on the case and re-sendable.
Media partners report impressions back through `receive_reports` (signed callback).
"""

from __future__ import annotations

import hashlib
import json
import logging
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
from zhixing.core import partner_protocol as protocol
from zhixing.core.errors import ServiceError
from zhixing.core.inputguard import refuse_control_json
from zhixing.core.localtime import MINUTE_FORMAT, format_datetime
from zhixing.core.partner_client import SignedClient, TransportError
from zhixing.courts.queries import MAX_ID

from .. import rules
from ..models import ExposureNotice, Partner
from .exposure import MAX_IMPRESSIONS, report_impressions

log = logging.getLogger("zhixing.credit.exposure")
N = ExposureNotice.Status
OUTBOUND = (N.QUEUED, N.WITHDRAWING)
DEFAULTS: dict[str, Any] = {
    "max_attempts": 6,
    "backoff_base": 30,  # seconds; doubled each attempt
    "backoff_cap": 3600,
    "http_timeout": 10,
    "lease_seconds": 60,
    "claim_batch": 500,
}
CALLBACK_PATH = "/api/v1/credit/exposure/callback"


def option(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "ZHIXING_EXPOSURE", {})}[name]


def callback_url() -> str:
    return str(getattr(settings, "ZHIXING_PLATFORM_URL", "")).rstrip("/") + CALLBACK_PATH


def client_for(partner: Partner) -> SignedClient:
    base = partner.base_url or str(getattr(settings, "ZHIXING_SANDBOX_URL", ""))
    return SignedClient(partner.code, partner.shared_secret, base, float(option("http_timeout")))


@dataclass
class Round:
    claimed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def claim(limit: int, now: datetime | None = None, only: list[int] | None = None) -> list[int]:
    """Lease up to `limit` due outbound notices (of `only`, if given) to this worker; returns their ids."""
    now = now or timezone.now()
    with transaction.atomic():
        due = (
            ExposureNotice.objects.filter(status__in=OUTBOUND, due_at__lte=now)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by("due_at")
        )
        if only is not None:
            due = due.filter(pk__in=only)
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if ids:
            ExposureNotice.objects.filter(pk__in=ids).update(
                lease_until=now + timedelta(seconds=int(option("lease_seconds"))), attempts=F("attempts") + 1
            )
    return ids


def item(n: ExposureNotice) -> dict[str, Any]:
    """The protocol item: what the media needs to publish (or withdraw), nothing more."""
    if n.status == N.WITHDRAWING:
        return {"key": n.idempotency_key, "action": "withdraw", "notice": n.pk, "reason": n.withdraw_reason}
    x = n.listing
    return {
        "key": n.idempotency_key,
        "action": "publish",
        "notice": n.pk,
        "area_code": n.area_code,
        "area_name": n.area_name,
        "address": n.address,
        "name": x.name,
        "kind": x.kind,
        "legal_representative": x.legal_representative,
        "dishonest_act": x.dishonest_act,
        "obligation": x.obligation,
        "case_number": x.case.number,
        "court": x.court.name,
        "document_number": x.document_number,
        "published_on": x.publish_on.isoformat(),
    }


def _finish(n: ExposureNotice, status: str, reason: str = "", **extra: Any) -> None:
    n.status, n.reason, n.lease_until, n.due_at = status, reason[:300], None, None
    for k, v in extra.items():
        setattr(n, k, v)
    n.save()


def _retry(n: ExposureNotice, reason: str, now: datetime) -> str:
    """Schedule the same message again after backoff, or give up after `max_attempts`."""
    word = "撤回" if n.status == N.WITHDRAWING else "推送"
    if n.attempts >= int(option("max_attempts")):
        failed = N.WITHDRAW_FAILED if n.status == N.WITHDRAWING else N.FAILED
        _finish(n, failed, f"已{word}{n.attempts}次均未成功：{reason}")
        return "failed"
    wait = rules.backoff_seconds(n.attempts, int(option("backoff_base")), int(option("backoff_cap")))
    n.due_at, n.lease_until = now + timedelta(seconds=wait), None
    at = format_datetime(n.due_at, MINUTE_FORMAT)
    n.reason = f"第{n.attempts}次{word}未成功：{reason}；将于{at}重试"[:300]
    n.save(update_fields=["due_at", "lease_until", "reason"])
    return "retry"


def apply_answer(notice_id: int, key: str, answer: Mapping[str, Any] | None, error: str = "") -> str:
    """Apply a partner's answer to the message `key` of one notice (idempotent); returns what happened."""
    now = timezone.now()
    with transaction.atomic():
        n = (
            ExposureNotice.objects.select_for_update(of=("self",))
            .select_related("listing")
            .filter(pk=notice_id)
            .first()
        )
        if n is None or n.idempotency_key != key or n.status not in OUTBOUND:
            return "stale"  # answered already, or superseded by a withdrawal or a re-send
        before = n.status
        if answer is None:
            outcome = _retry(n, error or "对方未应答", now)
        elif answer.get("status") == "done":
            if n.status == N.WITHDRAWING:
                _finish(n, N.WITHDRAWN, withdrawn_at=now)
            else:
                ref = str((answer.get("result") or {}).get("ref", ""))[:64]
                _finish(n, N.SENT, sent_at=now, partner_ref=ref)
            outcome = "done"
        else:
            reason = str(answer.get("reason") or answer.get("error") or "未说明理由")[:200]
            if answer.get("retryable"):
                outcome = _retry(n, f"媒体暂不受理：{reason}", now)
            else:
                _finish(n, N.WITHDRAW_FAILED if n.status == N.WITHDRAWING else N.REFUSED, reason)
                outcome = "refused"
        if n.status != before:
            audit.record(
                None,
                "credit.exposure_delivery",
                object_type="ExposureNotice",
                object_id=n.pk,
                case_id=n.listing.case_id,
                before={"status": before},
                after={"status": n.status, "reason": n.reason, "attempts": n.attempts},
            )
    return outcome


def _send(partner: Partner, notices: list[ExposureNotice]) -> dict[str, Any]:
    items = [item(n) for n in notices]
    key = "exb-" + hashlib.sha256("|".join(i["key"] for i in items).encode()).hexdigest()[:40]
    answer = client_for(partner).post("batch", {"items": items, "callback_url": callback_url()}, key)
    results = answer.get("results")
    if not isinstance(results, list):
        raise TransportError("对方应答缺少 results")
    return {str(a.get("key")): a for a in results if isinstance(a, dict)}


def dispatch_once(limit: int | None = None) -> Round:
    """One round: claim due notices, send them per partner (one batch each), apply the answers."""
    ids = claim(limit or int(option("claim_batch")))
    result = Round(claimed=len(ids))
    rows = list(
        ExposureNotice.objects.filter(pk__in=ids).select_related("partner", "listing__case", "listing__court")
    )
    groups: dict[int, list[ExposureNotice]] = defaultdict(list)
    for n in rows:
        groups[n.partner_id].append(n)
    for members in groups.values():
        try:
            answers = _send(members[0].partner, members)
            error = ""
        except TransportError as exc:
            answers, error = {}, str(exc)
        for n in members:
            a = answers.get(n.idempotency_key)
            outcome = apply_answer(n.pk, n.idempotency_key, a, error or ("" if a else "应答中缺少该条"))
            result.counts[outcome] += 1
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


# -- media → platform: impressions ------------------------------------------------------------------------
@dataclass(frozen=True)
class CallbackResult:
    status: int
    detail: str
    applied: int = 0
    field: str | None = None  # the refused part of the body (a control character in it)


def receive_reports(path: str, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
    """See `_receive`; every refusal is logged at WARNING with the claimed partner and the reason."""
    result = _receive(path, body, headers)
    if result.status != 200:
        log.warning(
            "media report refused (%s %s): partner=%r",
            result.status,
            result.detail,
            protocol.partner_of(headers),
        )
    return result


def _receive(path: str, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
    """A media partner's signed report of impressions: `{"partner", "reports": [{"notice", "impressions"}]}`.

    401 unknown partner or bad signature; 400 malformed; 404 a notice not sent to this partner (nothing
    applied); 409 a count below the last one or for a withdrawn notice (nothing applied); else 200.
    """
    code = protocol.partner_of(headers)
    partner = (
        Partner.objects.filter(code=code, kind=Partner.Kind.MEDIA, revoked_at__isnull=True).first()
        if code
        else None
    )
    if partner is None or not partner.shared_secret:
        return CallbackResult(401, "未知或缺失的媒体单位代码")
    try:
        protocol.verify(partner.shared_secret, "POST", path, body, headers)
    except protocol.ProtocolError as exc:
        return CallbackResult(401, f"签名校验失败：{exc}")
    try:
        refuse_control_json(json.loads(body))
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        return CallbackResult(400, "回报内容格式错误")
    except ServiceError as exc:
        return CallbackResult(exc.status, exc.message, field=exc.field)
    try:
        reports = json.loads(body)["reports"]
        pairs = [(r["notice"], r["impressions"]) for r in reports]
        # JSON integers only (not 1.5, "12" or true), and within the columns: a notice id past a key
        # and a count past the impressions column overflowed the database (a 500).
        if not pairs or any(type(n) is not int or type(i) is not int for n, i in pairs):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return CallbackResult(400, "回报内容格式错误")
    if any(not 0 < n <= MAX_ID for n, _ in pairs):
        return CallbackResult(404, "回报包含未向本单位推送的曝光")
    if any(i < 0 for _, i in pairs):
        return CallbackResult(400, "曝光次数不能为负数")
    if any(i > MAX_IMPRESSIONS for _, i in pairs):
        return CallbackResult(400, f"曝光次数超过上限{MAX_IMPRESSIONS}")
    known = dict(
        ExposureNotice.objects.filter(partner=partner, pk__in=[p for p, _ in pairs]).values_list(
            "pk", "impressions"
        )
    )
    if len(known) != len({p for p, _ in pairs}):
        return CallbackResult(404, "回报包含未向本单位推送的曝光")
    try:
        with transaction.atomic():
            for notice_id, impressions in pairs:
                if impressions > known[notice_id]:  # running totals: an older, smaller total changes nothing
                    report_impressions(partner, notice_id, impressions)
                    known[notice_id] = impressions
    except ServiceError as exc:
        return CallbackResult(exc.status, exc.message)
    return CallbackResult(200, "ok", len(pairs))
