"""Exposure (曝光): the public exposure board and geo-targeted notices to media partners.

`expose` publishes a listing on the board and queues one notice per media partner covering the debtor's
registration area; the dispatcher (`delivery`) sends them over the signed partner protocol.
`withdraw_exposure` sends withdrawals for a debtor's notices (the consequence of a removed listing);
`resend_exposure` queues a refused or failed message again under a new key; `report_impressions`
records a partner's running total of impressions.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum import numdb

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.inputguard import bad_text
from zhixing.core.redaction import mask_address
from zhixing.courts.queries import MAX_ID

from .. import rules
from ..models import ExposureNotice, Listing, Partner
from .access import require_write

N = ExposureNotice.Status
# Notices a partner may hold (or may have received: a lost answer), so a withdrawal must be sent.
MAY_BE_AT_PARTNER = (N.SENT, N.FAILED, N.WITHDRAW_FAILED)
# The impressions column (a positive integer on both databases) holds up to 2**31 - 1.
MAX_IMPRESSIONS = 2**31 - 1


def area_name(code: str) -> str:
    """Province/city/county names for a six-digit division code (python-stdnum's GB/T 2260 table)."""
    parts = numdb.get("cn/loc").info(code)
    info = {k: v for _, props in parts for k, v in props.items()}
    names = [info.get(k, "").split("]")[-1].split(",")[0] for k in ("province", "prefecture", "county")]
    return "".join(n for n in names if n)


def new_key(action: str) -> str:
    return f"exp-{action}-{uuid.uuid4().hex}"


def media_for(area: str) -> list[Partner]:
    """Active media partners whose coverage (a division-code prefix, or nationwide) reaches `area`."""
    prefixes = [""] + [area[:n] for n in rules.AREA_PREFIX_LENGTHS]
    media = Partner.objects.filter(
        kind=Partner.Kind.MEDIA, revoked_at__isnull=True, area_code__in=prefixes
    ).order_by("pk")
    return [m for m in media if rules.covers(m.area_code, area)]


def expose(actor: Any, listing: Listing, *, address: str = "") -> list[ExposureNotice]:
    """Publish on the exposure board and queue notices to media covering the debtor's registration area.

    The notice tells the media the area (division code and name) and the address reduced to its
    administrative area (`core.redaction.mask_address`): geo-targeting needs the district, never the
    street and house number, and the notice leaves the platform. A partner that already holds a live
    notice of this listing gets no second one.
    """
    require_write(actor, listing.court)
    today = timezone.localdate()
    if listing.status != Listing.Status.ACTIVE or listing.publish_on > today:
        raise Conflict("只能曝光已公布且在册的失信被执行人", field="listing")
    code = rules.debtor_area(listing.kind, listing.subject_key)
    if not code:
        raise ServiceError("无法从身份号码确定户籍地", field="listing")
    name = area_name(code)
    now = timezone.now()
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        live = set(
            ExposureNotice.objects.filter(listing=listing)
            .exclude(status__in=[N.WITHDRAWN, N.WITHDRAWING])
            .values_list("partner_id", flat=True)
        )
        media = [m for m in media_for(code) if m.pk not in live]
        if listing.exposed_on is None:
            listing.exposed_on = today
            listing.save(update_fields=["exposed_on"])
        notices = [
            ExposureNotice.objects.create(
                listing=listing,
                partner=m,
                area_code=code,
                area_name=name,
                address=mask_address(address or listing.party.address)[:200],
                idempotency_key=new_key("publish"),
                due_at=now,
            )
            for m in media
        ]
        audit.record(
            actor,
            "credit.expose",
            object_type="Listing",
            object_id=listing.pk,
            case_id=listing.case_id,
            after={"area": code, "media": [m.name for m in media], "notices": [n.pk for n in notices]},
        )
    return notices


def _withdraw(notice: ExposureNotice, reason: str, now: Any) -> str:
    """Mark one locked notice withdrawn, or queue its withdrawal message; returns its new status."""
    notice.withdraw_reason = reason[:200]
    never_left = notice.status == N.REFUSED or (notice.status == N.QUEUED and notice.attempts == 0)
    if never_left and not (notice.lease_until and notice.lease_until > now):
        notice.status, notice.withdrawn_at, notice.due_at = N.WITHDRAWN, now, None
        notice.reason = "未送达媒体，直接撤回"
    else:
        # A publication still in flight is withdrawn after its lease: the partner then knows the notice.
        in_flight = notice.lease_until if notice.lease_until and notice.lease_until > now else None
        notice.status, notice.idempotency_key = N.WITHDRAWING, new_key("withdraw")
        notice.attempts, notice.due_at, notice.reason = 0, in_flight or now, ""
    notice.save()
    return notice.status


def withdraw_exposure(actor: Any, case_id: int, party_id: int, reason: str) -> int:
    """Withdraw every live exposure notice of a debtor in a case; returns how many were withdrawn.

    For the consequence table (a removed listing): no permission check of its own, like
    `lift_case_restrictions`; the caller decided. Notices that never reached a partner are withdrawn at
    once; the others get a withdrawal message (own idempotency key) that the dispatcher delivers.
    """
    if not reason.strip():
        raise ServiceError("请填写撤回曝光的原因", field="reason")
    if bad_text(reason):  # "\u0000" in a JSON body is a NUL once parsed; PostgreSQL cannot store it
        raise ServiceError("“撤回原因”含有不允许的控制字符（如空字符NUL）", field="reason")
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            ExposureNotice.objects.select_for_update()
            .filter(listing__case_id=case_id, listing__party_id=party_id)
            .filter(status__in=[N.QUEUED, N.SENT, N.REFUSED, N.FAILED, N.WITHDRAW_FAILED])
            .order_by("pk")
        )
        after = {n.pk: _withdraw(n, reason.strip(), now) for n in rows}
        if rows:
            audit.record(
                actor,
                "credit.exposure_withdraw",
                object_type="Party",
                object_id=party_id,
                case_id=case_id,
                after={"notices": after, "reason": reason.strip()[:200]},
            )
    return len(rows)


def withdraw_listing_exposure(actor: Any, listing: Listing, reason: str) -> int:
    """The judge withdraws a listing's exposure notices from the case's credit page or the API."""
    require_write(actor, listing.court)
    return withdraw_exposure(actor, listing.case_id, listing.party_id, reason)


def resend_exposure(actor: Any, notice: ExposureNotice) -> ExposureNotice:
    """Queue a refused or failed message again, under a new idempotency key (a new logical message)."""
    require_write(actor, notice.listing.court)
    with transaction.atomic():
        notice = ExposureNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.status not in (N.REFUSED, N.FAILED, N.WITHDRAW_FAILED):
            raise Conflict("只有被拒收或发送失败的曝光推送可以重新发送", field="notice")
        if notice.status != N.WITHDRAW_FAILED and notice.listing.status != Listing.Status.ACTIVE:
            raise Conflict("失信信息已删除，不能重新推送曝光", field="notice")
        before = {"status": notice.status, "reason": notice.reason}
        action = "withdraw" if notice.status == N.WITHDRAW_FAILED else "publish"
        notice.status = N.WITHDRAWING if action == "withdraw" else N.QUEUED
        notice.idempotency_key, notice.attempts = new_key(action), 0
        notice.due_at, notice.lease_until, notice.reason = timezone.now(), None, ""
        notice.save()
        audit.record(
            actor,
            "credit.exposure_resend",
            object_type="ExposureNotice",
            object_id=notice.pk,
            case_id=notice.listing.case_id,
            before=before,
            after={"status": notice.status},
        )
    return notice


def report_impressions(partner: Partner, notice_id: int, impressions: int) -> ExposureNotice:
    """Media partner report: the running total of impressions for one of its published notices."""
    if impressions < 0:
        raise ServiceError("曝光次数不能为负数", field="impressions")
    if impressions > MAX_IMPRESSIONS:
        raise ServiceError(f"曝光次数超过上限{MAX_IMPRESSIONS}", field="impressions")
    if not 0 < notice_id <= MAX_ID:  # past a key the database overflows (SQLite) or refuses
        raise ServiceError("曝光推送不存在或不属于本单位", field="notice_id")
    with transaction.atomic():
        notice = ExposureNotice.objects.select_for_update().filter(pk=notice_id, partner=partner).first()
        if notice is None:
            raise ServiceError("曝光推送不存在或不属于本单位", field="notice_id")
        if notice.status not in (N.SENT, N.WITHDRAWING, N.WITHDRAW_FAILED):
            raise Conflict(f"曝光推送{notice.get_status_display()}，不接受曝光次数回报", field="notice_id")
        if impressions < notice.impressions:
            raise Conflict("曝光次数为累计数，不能小于已回报的次数", field="impressions")
        before = notice.impressions
        notice.impressions, notice.reported_at = impressions, timezone.now()
        notice.save(update_fields=["impressions", "reported_at"])
        audit.record(
            None,
            "credit.exposure_report",
            object_type="ExposureNotice",
            object_id=notice.pk,
            case_id=notice.listing.case_id,
            before={"impressions": before},
            after={"impressions": impressions, "partner": partner.name},
        )
    return notice
