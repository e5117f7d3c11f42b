"""Partner screening API: partner-key authentication, privacy mode, the change feeds' rules.

The single check and the batch are answered by the screening gateway in front of Django
(`credit/gateway/`, docs/adr/0014-screening-gateway.md), with the errors defined here. Batch formats,
negotiated per request so the original JSON keeps working:

* request ``Content-Type: application/json`` with ``{"ids": [...]}`` → the original JSON answer
  (``asked``, ``restricted`` by ID, ``invalid``, ``invalid_reasons`` by ID);
* request ``Content-Type: text/plain`` (one ID number or credit code per line) or a JSON array of
  strings → the compact answer, which lists only hits and invalid lines by their 1-based position in
  the request, never echoing an ID: ``text/csv`` when ``Accept`` asks for ``text/csv`` or
  ``text/plain`` (the fast format), compact JSON otherwise. ``Accept: text/csv`` also turns the
  original JSON request into the CSV answer.

The compact answer carries, per hit, since when, the court and the case number for the refusal message
(``details=0`` leaves them out: one fewer query). Limits and authorisation are the same in every
format: at most 10,000 items; an item with a wrong check character (GB 11643 for resident IDs, GB 32100
for credit codes) is reported invalid with reason ``check_digit`` (malformed: ``format``), never as a
miss. A partner sees only the restrictions of its business and, of the measures behind a hit, only
those and only the fields `visibility.VIEWS` gives its kind; one audit record per call.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.security import APIKeyHeader

from zhixing.core.errors import ServiceError

from . import queries, rules, services
from .models import Partner
from .schemas import PrivateFeedOut, PrivateIn, PrivateOut
from .screening import keyed_hash
from .services.privacy import Preparing, resolve_hashes
from .visibility import view_of, visible_measures

router = Router(tags=["信用惩戒"])

_HASH = re.compile(r"^[0-9a-f]{64}$")


class PartnerKeyError(ServiceError):
    status = 401

    def __init__(self) -> None:
        super().__init__("合作单位接口密钥无效或已吊销", code="unauthenticated")


class BadBody(ServiceError):
    status = 400


class UnsupportedType(ServiceError):
    status = 415


class PrivacyModeOnly(ServiceError):
    status = 403

    def __init__(self) -> None:
        super().__init__(
            "本单位已开启隐私模式，只能使用隐私模式接口（/screening/private 与 /screening/private/changes），"
            "不能提交或接收明文身份号码",
            code="privacy_mode",
        )


class PartnerAuth(APIKeyHeader):
    """`X-Partner-Key: zxp_...` — a partner institution's key; staff tokens are not accepted here.

    An endpoint that takes or returns ID numbers in clear (the default) refuses a partner in privacy
    mode with 403; the privacy endpoints are declared with ``PartnerAuth(privacy=True)``.
    """

    param_name = "X-Partner-Key"

    def __init__(self, privacy: bool = False) -> None:
        super().__init__()
        self.privacy = privacy

    def authenticate(self, request: HttpRequest, key: str | None) -> Partner:
        partner = services.partner_for_key(key or "")
        if partner is None:
            raise PartnerKeyError()
        services.hit_rate_limit("partner", str(partner.pk), partner.rate_per_minute)
        if partner.privacy_mode and not self.privacy:
            raise PrivacyModeOnly()
        return partner


def visible_mask(partner: Partner) -> int:
    """The restriction bits `partner`'s business may see (a railway key sees no flight-only restriction)."""
    return view_of(partner.kind).mask


@router.post(
    "/screening/private",
    auth=PartnerAuth(privacy=True),
    response=PrivateOut,
    exclude_unset=True,
    summary="隐私模式筛查（HMAC）",
)
def screening_private(request: HttpRequest, payload: PrivateIn) -> dict[str, Any]:
    """Privacy mode: keyed hashes in, keyed hashes out; 503 "准备中" until the partner's table is ready."""
    partner: Partner = request.auth  # type: ignore[attr-defined]
    for i, h in enumerate(payload.hashes):
        if not _HASH.match(h):
            raise ServiceError(f"第{i + 1}个哈希值格式错误：应为64位小写十六进制", field=f"hashes[{i}]")
    try:
        found = resolve_hashes(partner, payload.hashes)
    except Preparing:
        services.audit_screening(
            partner, "private", asked=len(payload.hashes), hits=0, extra={"preparing": True}
        )
        raise
    idx = queries.current_index()
    view = view_of(partner.kind)
    restricted = {h: rules.codes_of(idx.mask_of(k) & view.mask) for h, k in found.items()}
    restricted = {h: c for h, c in restricted.items() if c}
    details = queries.subject_details([found[h] for h in restricted])
    services.audit_screening(partner, "private", asked=len(payload.hashes), hits=len(restricted))
    return {
        "asked": len(payload.hashes),
        "restricted": restricted,
        "cases": {h: visible_measures(view, details.get(found[h], [])) for h in restricted},
    }


def partner_feed(partner: Partner, cursor: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The change feed a partner may read: deltas of its business after `cursor`, and the next cursor.

    Cursor 0 (or any cursor before the partner's registration) is a full sync — every change since the
    register began — only for a partner entitled to one (`Partner.full_sync`). Any other partner reads
    from its registration on (`Partner.feed_floor`): it learns of subjects restricted later, and
    screens the others by check or batch. The cursor returned is never below that floor.
    """
    if cursor < 0 or not 1 <= limit <= 10_000:
        raise ServiceError("游标不能为负数，条数应为1至10000", field="cursor" if cursor < 0 else "limit")
    start = cursor if partner.full_sync else max(cursor, partner.feed_floor)
    return queries.change_feed(start, visible_mask(partner), limit)


@router.get(
    "/screening/private/changes",
    auth=PartnerAuth(privacy=True),
    response=PrivateFeedOut,
    summary="隐私模式变更订阅（哈希，游标）",
)
def screening_private_changes(request: HttpRequest, cursor: int = 0, limit: int = 1000) -> dict[str, Any]:
    """The change feed with each subject as its keyed hash (HMAC-SHA256 under the partner's shared key),
    never an ID number: the partner matches the hashes against its own customers' hashes."""
    partner: Partner = request.auth  # type: ignore[attr-defined]
    changes, last = partner_feed(partner, cursor, limit)
    secret = partner.hmac_key
    hashed = [
        {"seq": c["seq"], "hash": keyed_hash(secret, c["id"]), "action": c["action"]}
        | {"restrictions": c["restrictions"], "at": c["at"]}
        for c in changes
    ]
    services.audit_screening(partner, "private_changes", asked=0, hits=len(hashed), extra={"cursor": cursor})
    return {"changes": hashed, "cursor": last}
