"""The exit restriction reaches the border-control authority (出入境边防检查): control and lift notices.

出境入境管理法 Art 12(3): a Chinese citizen whom a court has decided may not leave because of an unresolved
civil case is refused exit — by the border inspection, which therefore must hold the decision. Every
exit-restriction row queues a `control` notice to each active border-control partner (`Partner.Kind.BORDER`)
in the transaction that decides it; lifting it queues a `lift` notice. The rows are sent by the periodic
dispatcher (`dispatch_border_due`), signed (docs/partner-protocol.md), each under its own idempotency
key; a transport failure or a retryable refusal is retried with backoff at most `max_attempts` times.
The border partner receives the person's name and ID number and the deciding court and case — what an
inspection needs to stop and tell the person whom to turn to — nothing about consumption or the list.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.partner_client import TransportError

from .. import rules
from ..models import BorderNotice, Partner, Restriction
from .delivery import client_for, option

B = BorderNotice.Status


def queue(rows: Iterable[Restriction], action: str) -> list[BorderNotice]:
    """Queue `action` (control / lift) of these exit restrictions to every border partner. Caller holds
    the transaction."""
    partners = list(Partner.objects.filter(kind=Partner.Kind.BORDER, revoked_at__isnull=True))
    now = timezone.now()
    notices = [
        BorderNotice(
            restriction=r,
            partner=p,
            action=action,
            idempotency_key=f"bk-{uuid.uuid4().hex}",
            due_at=now,
        )
        for r in rows
        if r.kind == Restriction.Kind.EXIT
        for p in partners
    ]
    return BorderNotice.objects.bulk_create(notices)


def item(n: BorderNotice) -> dict[str, Any]:
    r = n.restriction
    return {
        "key": n.idempotency_key,
        "action": n.action,
        "notice": n.pk,
        "name": r.name,
        "id_number": r.subject_key,
        "court": r.court.name,
        "case_number": r.case.number,
        "document_number": f"{r.case.number}之限出{r.pk}",
        "decided_on": r.ordered_on.isoformat(),
    }


def apply_answer(n: BorderNotice, answer: Mapping[str, Any] | None, error: str) -> str:
    before, now = n.status, timezone.now()
    if answer is not None and answer.get("status") == "done":
        n.status, n.done_at, n.due_at, n.reason = B.DONE, now, None, ""
        n.partner_ref = str((answer.get("result") or {}).get("ref", ""))[:64]
        outcome = "done"
    elif answer is not None and not answer.get("retryable"):
        n.status, n.due_at = B.REFUSED, None
        n.reason = str(answer.get("reason") or answer.get("error") or "未说明理由")[:300]
        outcome = "refused"
    elif n.attempts >= int(option("max_attempts")):
        n.status, n.due_at = B.FAILED, None
        n.reason = f"已发送{n.attempts}次均未成功：{error or '对方暂不受理'}"[:300]
        outcome = "failed"
    else:
        wait = rules.backoff_seconds(n.attempts, int(option("backoff_base")), int(option("backoff_cap")))
        n.due_at = now + timedelta(seconds=wait)
        n.reason = f"第{n.attempts}次发送未成功：{error or '对方暂不受理'}"[:300]
        outcome = "retry"
    n.save()
    if n.status != before:
        audit.record(
            None,
            "credit.border_delivery",
            object_type="BorderNotice",
            object_id=n.pk,
            case_id=n.restriction.case_id,
            before={"status": before},
            after={"status": n.status, "action": n.action, "partner_ref": n.partner_ref, "reason": n.reason},
        )
    return outcome


def dispatch_border_once(limit: int = 500) -> dict[str, int]:
    """One round: take due notices (attempts counted before sending), send per partner, apply answers."""
    now = timezone.now()
    counts: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        ids = list(
            BorderNotice.objects.select_for_update()
            .filter(status=B.QUEUED, due_at__lte=now)
            .order_by("due_at")
            .values_list("pk", flat=True)[:limit]
        )
        for n in BorderNotice.objects.filter(pk__in=ids):
            n.attempts += 1
            # leased for the round: a crash leaves it due again after the lease
            n.due_at = now + timedelta(seconds=int(option("lease_seconds")))
            n.save(update_fields=["attempts", "due_at"])
    groups: dict[int, list[BorderNotice]] = defaultdict(list)
    for n in BorderNotice.objects.filter(pk__in=ids).select_related(
        "partner", "restriction__case", "restriction__court"
    ):
        groups[n.partner_id].append(n)
    for members in groups.values():
        items = [item(n) for n in members]
        key = "bkb-" + hashlib.sha256("|".join(i["key"] for i in items).encode()).hexdigest()[:40]
        try:
            answer = client_for(members[0].partner).post("batch", {"items": items}, key)
            results = answer.get("results")
            if not isinstance(results, list):
                raise TransportError("对方应答缺少 results")
            answers = {str(a.get("key")): a for a in results if isinstance(a, dict)}
            error = ""
        except TransportError as exc:
            answers, error = {}, str(exc)
        for n in members:
            with transaction.atomic():
                locked = (
                    BorderNotice.objects.select_for_update(of=("self",))
                    .select_related("restriction")
                    .get(pk=n.pk)
                )
                if locked.status != B.QUEUED:
                    counts["stale"] += 1
                    continue
                a = answers.get(locked.idempotency_key)
                counts[apply_answer(locked, a, error or ("" if a else "应答中缺少该条"))] += 1
    counts["claimed"] = len(ids)
    return dict(counts)


def dispatch_border_due(max_rounds: int = 100) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for _ in range(max_rounds):
        r = dispatch_border_once()
        if not r.get("claimed"):
            break
        for k, v in r.items():
            total[k] += v
    return dict(total)
