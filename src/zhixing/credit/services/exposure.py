"""Exposure (曝光): the public exposure board and geo-targeted notices to media partners."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum import numdb

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.redaction import mask_address

from ..models import ExposureNotice, Listing, Partner
from .access import require_write


def area_name(code: str) -> str:
    """Province/city/county names for a six-digit division code (python-stdnum's GB/T 2260 table)."""
    parts = numdb.get("cn/loc").info(code)
    info = {k: v for _, props in parts for k, v in props.items()}
    names = [info.get(k, "").split("]")[-1].split(",")[0] for k in ("province", "prefecture", "county")]
    return "".join(n for n in names if n)


def expose(actor: Any, listing: Listing, *, address: str = "") -> list[ExposureNotice]:
    """Publish on the exposure board and notify media partners covering the debtor's registration area.

    The notice tells the media the area (division code and name) and the address reduced to its
    administrative area (`core.redaction.mask_address`): geo-targeting needs the district, never the
    street and house number, and the notice leaves the platform.
    """
    require_write(actor, listing.court)
    today = timezone.localdate()
    if listing.status != Listing.Status.ACTIVE or listing.publish_on > today:
        raise Conflict("只能曝光已公布且在册的失信被执行人", field="listing")
    code = listing.subject_key[:6] if listing.kind == "person" else listing.subject_key[2:8]
    if not code.isdigit():
        raise ServiceError("无法从身份号码确定户籍地", field="listing")
    media = list(
        Partner.objects.filter(kind=Partner.Kind.MEDIA, revoked_at__isnull=True).filter(
            area_code__in=[code, ""]
        )
    )
    name = area_name(code)
    with transaction.atomic():
        if listing.exposed_on is None:
            listing.exposed_on = today
            listing.save(update_fields=["exposed_on"])
        notices = ExposureNotice.objects.bulk_create(
            ExposureNotice(
                listing=listing,
                partner=m,
                area_code=code,
                area_name=name,
                address=mask_address(address or listing.party.address)[:200],
                sent_at=timezone.now(),
            )
            for m in media
        )
        audit.record(
            actor,
            "credit.expose",
            object_type="Listing",
            object_id=listing.pk,
            case_id=listing.case_id,
            after={"area": code, "media": [m.name for m in media]},
        )
    return notices


def report_impressions(partner: Partner, notice_id: int, impressions: int) -> ExposureNotice:
    """Media partner callback: the running total of impressions for one of its notices."""
    if impressions < 0:
        raise ServiceError("曝光次数不能为负数", field="impressions")
    with transaction.atomic():
        notice = ExposureNotice.objects.select_for_update().filter(pk=notice_id, partner=partner).first()
        if notice is None:
            raise ServiceError("曝光推送不存在或不属于本单位", field="notice_id")
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
