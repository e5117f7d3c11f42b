"""Credit API: the public blacklist query, partner screening (`/screening/`), and staff credit actions.

Public and partner endpoints never take staff credentials: the public query has no auth and is
rate-limited per client IP; partners authenticate with their own key (`X-Partner-Key`), never a staff
token. Every screening call is audited once (one record per call, not per ID).
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import APIKeyHeader

from zhixing.cases.models import Party
from zhixing.cases.queries import get_case
from zhixing.core.errors import ServiceError

from . import queries, rules, services
from .models import Listing, Partner
from .public import PUBLIC_PER_MINUTE, client_ip, public_entry
from .schemas import (
    BatchIn,
    BatchOut,
    CheckIn,
    CheckOut,
    FeedOut,
    ImpressionsIn,
    InterceptIn,
    InterceptOut,
    ListIn,
    ListingOut,
    PrivateIn,
    PrivateOut,
    PublicOut,
    RemoveIn,
)
from .screening import malformed

router = Router(tags=["信用惩戒"])

_HASH = re.compile(r"^[0-9a-f]{64}$")


class PartnerKeyError(ServiceError):
    status = 401

    def __init__(self) -> None:
        super().__init__("合作单位接口密钥无效或已吊销", code="unauthenticated")


class PartnerAuth(APIKeyHeader):
    """`X-Partner-Key: zxp_...` — a partner institution's key; staff tokens are not accepted here."""

    param_name = "X-Partner-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Partner:
        partner = services.partner_for_key(key or "")
        if partner is None:
            raise PartnerKeyError()
        services.hit_rate_limit("partner", str(partner.pk), partner.rate_per_minute)
        return partner


@router.get("/public/blacklist", auth=None, response=PublicOut, summary="失信被执行人公开查询")
def public_blacklist(request: HttpRequest, q: str = "") -> dict[str, Any]:
    services.hit_rate_limit("public", client_ip(request), PUBLIC_PER_MINUTE)
    try:
        rows = queries.public_search(q)
    except queries.QueryTooBroad as exc:
        raise ServiceError(str(exc), field="q") from None
    return {"count": len(rows), "results": [public_entry(x) for x in rows]}


# -- partner screening ----------------------------------------------------------------------
def _visible(partner: Partner) -> int:
    return rules.partner_mask(partner.kind)


@router.post("/screening/check", auth=PartnerAuth(), response=CheckOut, summary="单人筛查")
def screening_check(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    key = services.partners.normalise_subject(payload.id)
    mask = queries.current_index().mask_of(key) & _visible(partner)
    cases = queries.subject_details([key]).get(key, []) if mask else []
    services.audit_screening(partner, "check", asked=1, hits=int(bool(mask)))
    codes = rules.codes_of(mask)
    return {
        "id": key,
        "restricted": bool(mask),
        "restrictions": codes,
        "labels": [rules.CODE_LABELS[c] for c in codes],
        "since": min((c["since"] for c in cases), default=None),
        "cases": cases,
    }


@router.post("/screening/batch", auth=PartnerAuth(), response=BatchOut, summary="批量筛查（最多10000个）")
def screening_batch(request: HttpRequest, payload: BatchIn) -> dict[str, Any]:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    ids = [i.strip().upper() for i in payload.ids]
    invalid = malformed(ids)
    hits = queries.current_index().check_many(ids, _visible(partner))
    services.audit_screening(partner, "batch", asked=len(ids), hits=len(hits))
    return {
        "asked": len(ids),
        "restricted": {k: rules.codes_of(m) for k, m in hits.items()},
        "invalid": invalid,
    }


@router.post("/screening/private", auth=PartnerAuth(), response=PrivateOut, summary="隐私模式筛查（HMAC）")
def screening_private(request: HttpRequest, payload: PrivateIn) -> dict[str, Any]:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    for i, h in enumerate(payload.hashes):
        if not _HASH.match(h):
            raise ServiceError(f"第{i + 1}个哈希值格式错误：应为64位小写十六进制", field=f"hashes[{i}]")
    idx = queries.current_index()
    table = idx.keyed_table(partner.hmac_key)
    visible = _visible(partner)
    found = {h: table[h] for h in payload.hashes if h in table}
    restricted = {h: rules.codes_of(idx.mask_of(k) & visible) for h, k in found.items()}
    restricted = {h: c for h, c in restricted.items() if c}
    details = queries.subject_details([found[h] for h in restricted])
    services.audit_screening(partner, "private", asked=len(payload.hashes), hits=len(restricted))
    return {
        "asked": len(payload.hashes),
        "restricted": restricted,
        "cases": {h: details.get(found[h], []) for h in restricted},
    }


@router.get("/screening/changes", auth=PartnerAuth(), response=FeedOut, summary="变更订阅（游标）")
def screening_changes(request: HttpRequest, cursor: int = 0, limit: int = 1000) -> dict[str, Any]:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    if cursor < 0 or not 1 <= limit <= 10_000:
        raise ServiceError("游标不能为负数，条数应为1至10000", field="cursor" if cursor < 0 else "limit")
    changes, last = queries.change_feed(cursor, _visible(partner), limit)
    services.audit_screening(partner, "changes", asked=0, hits=len(changes), extra={"cursor": cursor})
    return {"changes": changes, "cursor": last}


@router.post("/screening/intercepts", auth=PartnerAuth(), response=InterceptOut, summary="拦截回执")
def screening_intercept(request: HttpRequest, payload: InterceptIn) -> dict[str, Any]:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    key = services.partners.normalise_subject(payload.id)
    mask = queries.current_index().mask_of(key) & _visible(partner)
    row = services.record_interception(
        partner,
        subject=key,
        code=payload.restriction,
        at=payload.at,
        channel=payload.channel,
        place=payload.place,
        mask=mask,
    )
    return {"receipt": row.pk, "case_number": row.case.number if row.case else None}


@router.post("/screening/exposures/{notice_id}/impressions", auth=PartnerAuth(), summary="媒体曝光回报")
def exposure_impressions(request: HttpRequest, notice_id: int, payload: ImpressionsIn) -> dict[str, Any]:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    if partner.kind != Partner.Kind.MEDIA:
        raise ServiceError("只有媒体单位可以回报曝光次数", field="notice_id", code="forbidden")
    notice = services.report_impressions(partner, notice_id, payload.impressions)
    return {"notice": notice.pk, "impressions": notice.impressions}


# -- staff ----------------------------------------------------------------------
class NotFound(ServiceError):
    status = 404

    def __init__(self) -> None:
        super().__init__("案件不存在或无权查看", field="case_id", code="not_found")


def _case(request: HttpRequest, case_id: int) -> Any:
    case = get_case(request.user, case_id)
    if case is None:
        raise NotFound()
    return case


@router.get("/credit/cases/{case_id}/listings", response=list[ListingOut], summary="本案失信名单")
def case_listings(request: HttpRequest, case_id: int) -> list[Listing]:
    case = _case(request, case_id)
    return list(Listing.objects.filter(case=case).order_by("-pk"))


@router.post("/credit/cases/{case_id}/listings", response={201: ListingOut}, summary="纳入失信名单")
def create_listing(request: HttpRequest, case_id: int, payload: ListIn) -> Status:
    case = _case(request, case_id)
    party = Party.objects.filter(pk=payload.party_id, case=case).first()
    if party is None:
        raise ServiceError("被执行人不属于本案", field="party_id")
    data = services.ListingData(
        ground=payload.ground,
        dishonest_act=payload.dishonest_act,
        guarantee_confirmed=payload.guarantee_confirmed,
        serious=payload.serious,
        extension_years=payload.extension_years,
        grace_months=payload.grace_months,
    )
    return Status(201, services.list_debtor(request.user, case, party, data))


@router.post("/credit/listings/{listing_id}/remove", response=ListingOut, summary="删除失信信息")
def remove(request: HttpRequest, listing_id: int, payload: RemoveIn) -> Listing:
    listing = Listing.objects.filter(pk=listing_id).first()
    if listing is None:
        raise NotFound()
    _case(request, listing.case_id)
    return services.remove_listing(
        request.user, listing, trigger=payload.trigger, trigger_on=payload.trigger_on, note=payload.note
    )
