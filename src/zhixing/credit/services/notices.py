"""Art 8 notices (失信通报): who must be told, queuing the notices, delivery, acknowledgements.

`record_profile` stores what the clerk learns of a debtor (state functionary and employer; a unit's
nature and superior). `queue_listing_notices` runs inside the transaction that publishes a listing (or
deletes it) and creates one `ListingNotice` per recipient Art 8 names (`rules.notice_recipient_kinds`).
The dispatcher (`dispatch_due`, a periodic task) sends due notices over the signed partner protocol in
one batch per recipient; each notice keeps its idempotency key across retries (backoff, at most
`max_attempts`, then FAILED with the reason, re-sendable under a new key). A recipient answers `done`
(acknowledged at once: the credit-reporting centre records it) or `accepted` (received; a person signs
for it and the recipient acknowledges later by signed callback, `receive_acks`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit
from zhixing.core import partner_protocol as protocol
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.localtime import MINUTE_FORMAT, format_datetime
from zhixing.core.partner_client import SignedClient, TransportError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from .. import rules
from ..models import DebtorProfile, Listing, ListingNotice, NoticeRecipient
from .access import require_write

log = logging.getLogger("zhixing.credit.art8")
S = ListingNotice.Status
DEFAULTS: dict[str, Any] = {
    "max_attempts": 5,
    "backoff_base": 60,  # seconds; doubled each attempt
    "backoff_cap": 3600,
    "http_timeout": 10,
    "lease_seconds": 60,
    "claim_batch": 500,
    "notify_removal": True,  # UNCONFIRMED (docs/rules-additions.md "Art 8 notices")
    "notify_performance": True,  # UNCONFIRMED (docs/rules-additions.md "Art 8 notices")
    "notify_changes": True,  # UNCONFIRMED (docs/rules-additions.md "Art 8 notices"): corrections, legal rep
    "superior_natures": rules.SUPERIOR_NATURES,
}
CALLBACK_PATH = "/api/v1/credit/notices/callback"


def option(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "ZHIXING_CREDIT_NOTICES", {})}[name]


def new_key(event: str) -> str:
    return f"art8-{event}-{uuid.uuid4().hex}"


# -- the clerk's record ---------------------------------------------------------------------------------
def may_record(user: Any, court: Any) -> bool:
    """The clerk (filing), the judge or the director of the case's own court record a debtor's profile."""
    can = getattr(user, "can", None)
    if not getattr(user, "is_active", False) or can is None or not can_write_court(user, court):
        return False
    return bool(can(Cap.CREDIT_DECIDE) or can(Cap.CASE_FILE))


def record_profile(
    actor: Any,
    case: EnforcementCase,
    party: Party,
    *,
    state_functionary: bool = False,
    employer: NoticeRecipient | None = None,
    unit_nature: str = "",
    superior: NoticeRecipient | None = None,
) -> DebtorProfile:
    """Record (or change) what Art 8 needs about a debtor: a person's public office and employer, a
    unit's nature and superior. Notices already queued keep their recipients; a debtor already published
    is notified at once to the recipients the record adds."""
    if not may_record(actor, case.court):
        raise NotPermitted("只有本院书记员、执行法官或局长可以登记被执行人的通报信息")
    if party.case_id != case.pk or party.role != Party.Role.DEBTOR:
        raise ServiceError("只能登记本案被执行人的通报信息", field="party")
    person = party.kind == Party.Kind.PERSON
    if unit_nature not in rules.UNIT_NATURES:
        raise ServiceError("单位性质无效", field="unit_nature")
    if person and (unit_nature or superior):
        raise ServiceError("自然人被执行人不登记单位性质和上级单位", field="unit_nature")
    if not person and (state_functionary or employer):
        raise ServiceError("单位被执行人不登记公职人员身份和所在单位", field="state_functionary")
    if state_functionary and employer is None:
        raise ServiceError("公职人员须选择其所在单位（失信规定第8条：通报其所在单位）", field="employer")
    if employer is not None and (not state_functionary or employer.kind != NoticeRecipient.Kind.EMPLOYER):
        raise ServiceError("所在单位须为公职人员的用人单位类通报对象", field="employer")
    needs_superior = not person and unit_nature in option("superior_natures")
    if needs_superior and superior is None:
        raise ServiceError(
            "国家机关、国有企业等须选择其上级单位或主管部门（失信规定第8条）", field="superior"
        )
    if superior is not None and (not needs_superior or superior.kind != NoticeRecipient.Kind.SUPERIOR):
        raise ServiceError(
            "上级单位须为上级单位/主管部门类通报对象，且仅适用于国家机关、国有企业等", field="superior"
        )
    with transaction.atomic():
        profile = DebtorProfile.objects.select_for_update().filter(party=party).first()
        before = (
            None
            if profile is None
            else {
                "state_functionary": profile.state_functionary,
                "employer": profile.employer_id,
                "unit_nature": profile.unit_nature,
                "superior": profile.superior_id,
            }
        )
        profile = profile or DebtorProfile(party=party)
        profile.state_functionary, profile.employer = state_functionary, employer
        profile.unit_nature, profile.superior, profile.recorded_by = unit_nature, superior, actor
        profile.save()
        audit.record(
            actor,
            "credit.debtor_profile",
            object_type="Party",
            object_id=party.pk,
            case_id=case.pk,
            before=before,
            after={
                "state_functionary": state_functionary,
                "employer": employer.name if employer else None,
                "unit_nature": unit_nature,
                "superior": superior.name if superior else None,
            },
        )
        # A debtor already published: the recipients the record adds are told now (each once).
        for listing in Listing.objects.filter(party=party, status=Listing.Status.ACTIVE, registered=True):
            queue_listing_notices(actor, listing, "listed")
    return profile


# -- queuing ------------------------------------------------------------------------------------------------
def recipients_for(listing: Listing) -> list[NoticeRecipient]:
    """Art 8's recipients of this listing: every active credit bureau, the employer, the superior."""
    profile = (
        DebtorProfile.objects.select_related("employer", "superior").filter(party_id=listing.party_id).first()
    )
    kinds = rules.notice_recipient_kinds(
        listing.kind,
        bool(profile and profile.state_functionary),
        profile.unit_nature if profile else "",
        tuple(option("superior_natures")),
    )
    out: list[NoticeRecipient] = []
    if "credit_bureau" in kinds:
        out += list(
            NoticeRecipient.objects.filter(kind=NoticeRecipient.Kind.CREDIT_BUREAU, active=True).order_by(
                "pk"
            )
        )
    if "employer" in kinds and profile and profile.employer and profile.employer.active:
        out.append(profile.employer)
    if "superior" in kinds and profile and profile.superior and profile.superior.active:
        out.append(profile.superior)
    return out


# What changed a published item ("updated" notices) → the setting that says whether it is told.
UPDATE_CAUSES: dict[str, str] = {
    "performance": "notify_performance",  # the 履行情况 after a payment (Art 6(3))
    "correction": "notify_changes",  # inaccurate information corrected (Arts 9, 11–12)
    "legal_rep": "notify_changes",  # a unit's new legal representative (Art 6(1))
}


def queue_listing_notices(
    actor: Any, listing: Listing, event: str, *, cause: str = "performance", previous_id: str = ""
) -> list[ListingNotice]:
    """Queue the Art 8 notices of a listing's publication ("listed"), deletion ("removed") or of a change
    of what it published ("updated", `cause` one of `UPDATE_CAUSES`).

    Caller holds the transaction (the one publishing, changing or deleting the listing). A deletion or a
    change is told to the recipients that were told of the listing. A recipient gets "listed" and
    "removed" once, "updated" once per change (a change notice still waiting carries the latest data).
    `previous_id`: the ID the recipients hold when a correction changed it (kept on a waiting notice:
    the first one is the one they know).
    """
    if event not in rules.NOTICE_EVENTS:
        raise ValueError(event)
    if event == "updated" and cause not in UPDATE_CAUSES:
        raise ValueError(cause)
    if event in ("removed", "updated"):
        if not option("notify_removal" if event == "removed" else UPDATE_CAUSES[cause]):
            return []
        ids = ListingNotice.objects.filter(listing=listing, event="listed").values_list(
            "recipient_id", flat=True
        )
        recipients = list(NoticeRecipient.objects.filter(pk__in=list(ids), active=True).order_by("pk"))
    else:
        recipients = recipients_for(listing)
    told = ListingNotice.objects.filter(listing=listing, event=event)
    if event == "updated":
        # A change of the published 履行情况 is told once per change; a change notice still waiting to be
        # sent is not doubled: the item is built at sending time and carries the latest 履行情况.
        waiting = told.filter(status=S.QUEUED)
        if previous_id:
            waiting.filter(previous_id="").update(previous_id=previous_id)
        have = set(waiting.values_list("recipient_id", flat=True))
        seq: dict[int, int] = {}
        for rid, n in told.values_list("recipient_id", "sequence"):
            seq[rid] = max(seq.get(rid, 0), n + 1)
        seq.update({r.pk: 1 for r in recipients if r.pk not in seq})
    else:
        have = set(told.values_list("recipient_id", flat=True))
        seq = {}
    now = timezone.now()
    rows = [
        ListingNotice.objects.create(
            listing=listing,
            recipient=r,
            event=event,
            sequence=seq.get(r.pk, 0),
            previous_id=previous_id if event == "updated" else "",
            idempotency_key=new_key(event),
            due_at=now,
        )
        for r in recipients
        if r.pk not in have
    ]
    if rows:
        audit.record(
            actor,
            "credit.art8_queue",
            object_type="Listing",
            object_id=listing.pk,
            case_id=listing.case_id,
            after={
                "event": event,
                **({"cause": cause} if event == "updated" else {}),
                "recipients": [r.recipient.name for r in rows],
                "notices": [r.pk for r in rows],
            },
        )
    return rows


def resend_notice(actor: Any, notice: ListingNotice) -> ListingNotice:
    """Queue a failed notice again under a new idempotency key (a new logical message)."""
    require_write(actor, notice.listing.court)
    with transaction.atomic():
        notice = (
            ListingNotice.objects.select_for_update(of=("self",)).select_related("listing").get(pk=notice.pk)
        )
        if notice.status != S.FAILED:
            raise Conflict("只有发送失败的通报可以重新发送", field="notice")
        before = {"status": notice.status, "reason": notice.reason, "attempts": notice.attempts}
        notice.status, notice.idempotency_key, notice.attempts = S.QUEUED, new_key(notice.event), 0
        notice.due_at, notice.lease_until, notice.reason = timezone.now(), None, ""
        notice.save()
        audit.record(
            actor,
            "credit.art8_resend",
            object_type="ListingNotice",
            object_id=notice.pk,
            case_id=notice.listing.case_id,
            before=before,
            after={"status": notice.status},
        )
    return notice


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


# -- recipient → platform: acknowledgements ---------------------------------------------------------------
@dataclass(frozen=True)
class CallbackResult:
    status: int
    detail: str
    applied: int = 0


def receive_acks(path: str, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
    """A recipient's signed acknowledgement `{"partner": code, "results": [{"key", "status": "done",
    "result": {"ref"}}]}` of notices it received (`accepted`).

    401 unknown recipient or bad signature; 400 malformed; 404 a key never sent to this recipient (nothing
    applied); otherwise 200 — an acknowledgement of a notice already acknowledged changes nothing.
    """
    code = protocol.partner_of(headers)
    r = NoticeRecipient.objects.filter(code=code).first() if code else None
    if r is None or not r.shared_secret:
        result = CallbackResult(401, "未知或缺失的通报对象代码")
    else:
        try:
            protocol.verify(r.shared_secret, "POST", path, body, headers)
            result = _acks(r, body)
        except protocol.ProtocolError as exc:
            result = CallbackResult(401, f"签名校验失败：{exc}")
    if result.status != 200:
        log.warning("art8 acknowledgement refused (%s %s): partner=%r", result.status, result.detail, code)
    return result


def _acks(r: NoticeRecipient, body: bytes) -> CallbackResult:
    try:
        results = json.loads(body)["results"]
        acks = {
            str(a["key"]): str((a.get("result") or {}).get("ref", ""))[:64]
            for a in results
            if a["status"] == "done"
        }
        if not results or not isinstance(results, list):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        return CallbackResult(400, "确认内容格式错误")
    known = set(
        ListingNotice.objects.filter(recipient=r, idempotency_key__in=list(acks)).values_list(
            "idempotency_key", flat=True
        )
    )
    if known != set(acks):
        return CallbackResult(404, "确认包含未向本单位发送的通报")
    now, applied = timezone.now(), 0
    with transaction.atomic():
        for n in (
            ListingNotice.objects.select_for_update()
            .select_related("listing")
            .filter(recipient=r, idempotency_key__in=list(acks), status=S.SENT)
        ):
            n.status, n.acknowledged_at, n.partner_ref = S.ACKNOWLEDGED, now, acks[n.idempotency_key]
            n.save(update_fields=["status", "acknowledged_at", "partner_ref"])
            applied += 1
            audit.record(
                None,
                "credit.art8_delivery",
                object_type="ListingNotice",
                object_id=n.pk,
                case_id=n.listing.case_id,
                before={"status": S.SENT},
                after={"status": n.status, "ref": n.partner_ref, "recipient": r.name},
            )
    return CallbackResult(200, "ok", applied)
