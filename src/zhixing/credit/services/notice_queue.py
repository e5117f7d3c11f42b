"""Queuing the Art 8 notices (失信通报) of a listing's publication, change or deletion, and re-sending
a failed one: one `ListingNotice` per recipient Art 8 names (`rules.notice_recipient_kinds`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict

from .. import rules
from ..models import DebtorProfile, Listing, ListingNotice, NoticeRecipient
from .access import require_write
from .notice_options import S, new_key, option


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
