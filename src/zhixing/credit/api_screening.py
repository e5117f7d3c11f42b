"""Partner screening API: partner-key authentication, batch screening (JSON and compact), privacy mode.

Batch formats, negotiated per request so the original JSON keeps working:

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

import json
import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router
from ninja.errors import ValidationError
from ninja.security import APIKeyHeader
from pydantic import ValidationError as PydanticError

from zhixing.core.errors import ServiceError

from . import queries, rules, services
from .models import Partner
from .schemas import MAX_BATCH, BatchIn, BatchOut, PrivateFeedOut, PrivateIn, PrivateOut
from .screening import LineBatch, batch_lines, count_lines, hits_csv, keyed_hash, malformed, normalise_lines
from .services.privacy import Preparing, resolve_hashes
from .visibility import PartnerView, view_of, visible_measures

router = Router(tags=["信用惩戒"])

_HASH = re.compile(r"^[0-9a-f]{64}$")
_TEXT_TYPES = ("text/plain", "text/csv")


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


def _too_many(n: int) -> ServiceError:
    return ServiceError(f"每批最多{MAX_BATCH}个身份号码，本批{n}个，请分批查询", field="ids", code="too_many")


def _read_batch(request: HttpRequest) -> tuple[bytes | None, list[str] | None]:
    """(body, None) for the line format, (None, legacy ids) for ``{"ids": [...]}``.

    A JSON array of strings is turned into the line format (one item per line). Bad input raises a
    ServiceError naming `ids` before any screening work; the limit is checked before parsing items.
    """
    ctype = (request.content_type or "").lower()
    if ctype in _TEXT_TYPES:
        n = count_lines(request.body)
        if n > MAX_BATCH:
            raise _too_many(n)
        return request.body, None
    if ctype not in ("application/json", ""):
        raise UnsupportedType(
            "不支持的请求格式：请使用 application/json 或 text/plain（每行一个身份号码）",
            field="ids",
            code="unsupported",
        )
    try:
        data = json.loads(request.body or b"null")
    except ValueError:
        raise BadBody("请求体不是有效的JSON", code="bad_json") from None
    if isinstance(data, list):
        if len(data) > MAX_BATCH:
            raise _too_many(len(data))
        for i, item in enumerate(data):
            if not isinstance(item, str) or "\n" in item or "\r" in item:
                raise ServiceError(f"第{i + 1}项应为身份号码文本", field=f"ids[{i}]")
        return "\n".join(data).encode("utf-8", "surrogatepass"), None
    if isinstance(data, dict) and isinstance(data.get("ids"), list) and len(data["ids"]) > MAX_BATCH:
        raise _too_many(len(data["ids"]))
    try:
        return None, BatchIn.model_validate(data).ids
    except PydanticError as exc:
        raise ValidationError([dict(e) for e in exc.errors(include_url=False)]) from None


def _wants_csv(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "").lower()
    return any(t in accept for t in _TEXT_TYPES)


def _details(data: bytes, batch: LineBatch, view: PartnerView) -> dict[int, tuple[object, object, object]]:
    """Line → (since, court, case number) of the earliest in-force measure the partner may see, per hit.

    Only measures of the partner's business count (`visibility.VIEWS`): a railway key is not told about
    an exit restriction's court and case, only about the measure that actually refuses its ticket; a
    field the partner kind may not see stays empty.
    """
    lines = batch_lines(data)
    keys = {p: lines[p - 1] for p in batch.hits}
    cases = queries.subject_details(sorted(set(keys.values())))
    out: dict[int, tuple[object, object, object]] = {}
    for p, key in keys.items():
        rows = visible_measures(view, cases.get(key, ()))
        if rows:
            first = rows[0]
            since = first.get("since")
            out[p] = (since.isoformat() if since else None, first.get("court"), first.get("case_number"))
    return out


_DETAIL_FIELDS = ("since", "court", "case_number")  # the detail columns of the compact answers


def _sample(data: bytes) -> list[str]:
    """The first resident IDs of a line batch for the enumeration detector (no decoding of the rest)."""
    head = normalise_lines(data[: 19 * services.enumeration_sample_size() + 3])
    return head.decode(errors="replace").split("\n")


def _compact(request: HttpRequest, partner: Partner, data: bytes, csv: bool) -> HttpResponse:
    view = view_of(partner.kind)
    batch = queries.current_index().screen_lines(data, view.mask)
    with_details = request.GET.get("details", "1") != "0" and bool(batch.hits)
    details = _details(data, batch, view) if with_details else {}
    services.audit_screening(
        partner,
        "batch",
        asked=batch.asked,
        hits=len(batch.hits),
        extra={"format": "csv" if csv else "compact"},
        ids=_sample(data),
    )
    headers = {"X-Screening-Asked": str(batch.asked), "X-Screening-Hits": str(len(batch.hits))}
    if csv:
        return HttpResponse(hits_csv(batch, details), content_type="text/csv; charset=utf-8", headers=headers)
    hits = []
    # Only the detail fields the partner kind may see appear at all (visibility.VIEWS).
    shown = [i for i, f in enumerate(_DETAIL_FIELDS) if f in view.fields]
    for p, m in batch.hits.items():
        row = details.get(p, (None, None, None))
        hit: dict[str, Any] = {"pos": p, "mask": m, "restrictions": rules.codes_of(m)}
        hit.update((_DETAIL_FIELDS[i], row[i]) for i in shown)
        hits.append(hit)
    reasons = {str(p): batch.reasons.get(p, "format") for p in batch.invalid}
    body = {"asked": batch.asked, "hits": hits, "invalid": batch.invalid, "invalid_reasons": reasons}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False}, headers=headers)


_BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        BatchIn.model_json_schema(),
                        {"type": "array", "items": {"type": "string"}, "maxItems": MAX_BATCH},
                    ]
                }
            },
            "text/plain": {"schema": {"type": "string", "description": "每行一个身份号码或统一社会信用代码"}},
        },
    },
    "responses": {
        200: {
            "content": {
                "text/csv": {
                    "schema": {
                        "type": "string",
                        "description": "position,mask,since,court,case_number：仅列命中与无效行（行号从1起）",
                    }
                }
            }
        }
    },
}


@router.post(
    "/screening/batch",
    auth=PartnerAuth(),
    response=BatchOut,
    summary="批量筛查（最多10000个；JSON 或每行一个的文本）",
    openapi_extra=_BATCH_BODY,
)
def screening_batch(request: HttpRequest) -> Any:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    data, ids = _read_batch(request)
    csv = _wants_csv(request)
    if data is None and csv:  # the original JSON body, answered in CSV
        data = "\n".join(ids or []).encode("utf-8", "surrogatepass")
    if data is not None:
        return _compact(request, partner, data, csv)
    ids = [i.strip().upper() for i in ids or []]
    invalid = malformed(ids)
    hits = queries.current_index().check_many(ids, visible_mask(partner))
    services.audit_screening(partner, "batch", asked=len(ids), hits=len(hits), ids=ids)
    return {
        "asked": len(ids),
        "restricted": {k: rules.codes_of(m) for k, m in hits.items()},
        "invalid": list(invalid),
        "invalid_reasons": invalid,
    }


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
