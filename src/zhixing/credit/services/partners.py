"""Partner accounts (联合惩戒单位), their keys, screening audit, interception receipts, rate limits."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from zhixing.core import audit, commit_flush, plain_statements
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.id_documents import subject_key
from zhixing.core.identity import IdentityError
from zhixing.core.ratelimit import Leases, admit
from zhixing.core.ratelimit import RateLimited as RateLimited  # re-exported: limits live in core
from zhixing.core.ratelimit import hit_rate_limit as hit_rate_limit

from .. import queries, rules
from ..models import ChangeEvent, Interception, Listing, Partner, Restriction
from .enumeration import observe, sample_size
from .privacy import enable_privacy_mode

KEY_PREFIX = "zxp_"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_partner(
    actor: Any,
    *,
    name: str,
    kind: str,
    rate_per_minute: int = 600,
    area_code: str = "",
    privacy_mode: bool = False,
    full_sync: bool = False,
    code: str = "",
    shared_secret: str = "",
    base_url: str = "",
) -> tuple[Partner, str]:
    """Create a partner; returns the API key in clear exactly once (only its SHA-256 is stored).

    `privacy_mode` switches privacy-mode screening on at once, so its keyed-hash table is precomputed
    before the partner's first call (see `privacy.enable_privacy_mode`); from then on the partner may
    use only the privacy endpoints. `full_sync` entitles it to read the change feed from cursor 0 (the
    whole register's history); any other partner's feed starts at its registration (`feed_floor`).
    """
    if kind not in Partner.Kind.values:
        raise ServiceError("单位类型无效", field="kind")
    if not name.strip():
        raise ServiceError("请填写单位名称", field="name")
    if rate_per_minute < 1:
        raise ServiceError("每分钟调用上限须大于0", field="rate_per_minute")
    if area_code and not (
        len(area_code) in rules.AREA_PREFIX_LENGTHS and area_code.isascii() and area_code.isdigit()
    ):
        raise ServiceError("覆盖地区代码应为2位（省）、4位（市）或6位（县）数字", field="area_code")
    code, base_url = code.strip(), base_url.strip()
    if kind in (Partner.Kind.MEDIA, Partner.Kind.BORDER):
        # Media receive signed exposure notices, border control signed exit-restriction notices: a protocol
        # code and a shared secret (generated if absent).
        code = code or f"{kind.upper()}-{secrets.token_hex(4).upper()}"
        shared_secret = shared_secret or secrets.token_hex(20)
    if code and (len(code) > 32 or not all(c.isalnum() or c in "-_" for c in code)):
        raise ServiceError("协议代码应为不超过32位的字母、数字、连字符", field="code")
    if code and Partner.objects.filter(code=code).exists():
        raise ServiceError("协议代码已被其他单位使用", field="code")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ServiceError("接口地址应以 http:// 或 https:// 开头", field="base_url")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        partner = Partner.objects.create(
            name=name.strip(),
            kind=kind,
            key_digest=digest(key),
            key_prefix=key[:10],
            hmac_key=secrets.token_hex(32),
            rate_per_minute=rate_per_minute,
            area_code=area_code,
            code=code,
            shared_secret=shared_secret,
            base_url=base_url,
            full_sync=full_sync,
            feed_floor=int(ChangeEvent.objects.aggregate(m=Max("id"))["m"] or 0),
        )
        audit.record(
            actor,
            "credit.partner_create",
            object_type="Partner",
            object_id=partner.pk,
            after={
                "name": partner.name,
                "kind": kind,
                "rate_per_minute": rate_per_minute,
                "code": code,
                "full_sync": full_sync,
            },
        )
        if privacy_mode:
            enable_privacy_mode(actor, partner)
    return partner, key


def revoke_partner(actor: Any, partner: Partner) -> Partner:
    with transaction.atomic():
        partner.revoked_at = timezone.now()
        partner.save(update_fields=["revoked_at"])
        audit.record(
            actor,
            "credit.partner_revoke",
            object_type="Partner",
            object_id=partner.pk,
            after={"revoked_at": partner.revoked_at},
        )
    return partner


def partner_for_key(key: str) -> Partner | None:
    """The active partner owning `key`, or None (unknown or revoked)."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    return Partner.objects.filter(key_digest=digest(key), revoked_at__isnull=True).first()


_PARTNER_COLUMNS = [
    "id", "name", "kind", "key_digest", "rate_per_minute", "privacy_mode", "full_sync", "feed_floor",
]  # fmt: skip
# key digest → (the row it was built from, the instance): an unchanged row is not built again.
_PARTNER_ROWS: dict[str, tuple[tuple[Any, ...], Partner]] = {}


def screening_state(keys: Iterable[str]) -> tuple[int, dict[str, Partner]]:
    """The change log's cursor and each active partner by the key it was found by, in ONE statement.

    `partner_for_key` for many keys, with the screening index's cursor read in the same statement (the
    screening gateway's two reads per group of calls, as one round trip). Every call reads the partner
    rows, so a revoked key or a changed limit is seen by the next group; an instance is built again only
    when its row changed (`Model.from_db`: the fields screening reads; the others deferred, loaded on
    access like any deferred field).
    """
    wanted = {digest(k): k for k in keys if k and k.startswith(KEY_PREFIX) and len(k) <= 100}
    table = connection.ops.quote_name(Partner._meta.db_table)
    # One row even when no key matches (the cursor); plain SQL (the ORM's filter compiles for ~0.2 ms).
    match = f"p.key_digest IN ({', '.join(['%s'] * len(wanted))})" if wanted else "1 = 0"
    rows = plain_statements.fetch(
        f"SELECT {queries.log_cursor_sql()}, {', '.join('p.' + n for n in _PARTNER_COLUMNS)} "  # noqa: S608
        f"FROM (SELECT 1 AS one) AS one LEFT JOIN {table} p ON p.revoked_at IS NULL AND {match}",
        list(wanted),
    )
    cursor = int(rows[0][0] or 0) if rows else 0
    found: dict[str, Partner] = {}
    for row in rows:
        if row[1] is None:
            continue
        values = (*row[1:6], bool(row[6]), bool(row[7]), row[8])
        known = _PARTNER_ROWS.get(values[3])
        if known is None or known[0] != values:
            if len(_PARTNER_ROWS) >= 10_000:
                _PARTNER_ROWS.clear()
            built = Partner.from_db(connection.alias, _PARTNER_COLUMNS, values)
            known = _PARTNER_ROWS[values[3]] = (values, built)
        found[wanted[values[3]]] = known[1]
    return cursor, found


def admit_calls(partner: Partner, n: int, leases: Leases | None = None) -> int:
    """Count `n` screening calls of `partner` against its per-minute limit (shared by all workers, as
    `hit_rate_limit("partner", …)` in the API's partner authentication); how many, in order, may go on.
    With `leases` (a process whose counts are outside any transaction: limits in Redis) the calls are
    taken from the shared counter in leases (`core.ratelimit.Leases`).
    """
    if leases is not None:
        return leases.admit("partner", str(partner.pk), partner.rate_per_minute, n)
    return admit("partner", str(partner.pk), partner.rate_per_minute, n)


@dataclass(frozen=True)
class ScreeningCall:
    """One answered screening call, for `audit_screening_many`."""

    partner: Partner
    action: str
    asked: int
    hits: int
    extra: dict | None = None
    ids: Iterable[str] = ()


@dataclass
class Observed:
    """A partner's screening calls not yet counted by the enumeration detector (sums, recent IDs)."""

    partner: Partner
    asked: int = 0
    hits: int = 0
    ids: list[str] = field(default_factory=list)

    def add(self, call: ScreeningCall, sample: int) -> None:
        self.partner = call.partner
        self.asked += call.asked
        self.hits += call.hits
        self.ids = (self.ids + list(islice(call.ids, sample)))[-sample:]


def observed(calls: list[ScreeningCall]) -> list[Observed]:
    """The calls' sums per partner, for `audit_screening_many`."""
    out: dict[int, Observed] = {}
    for c in calls:
        out.setdefault(c.partner.pk, Observed(c.partner)).add(c, sample_size())
    return list(out.values())


def screening_items(calls: list[ScreeningCall]) -> list[dict[str, Any]]:
    """The audit records (`audit.append_many` items) of screening calls, one per call."""
    return [
        {
            "action": f"screening.{c.action}",
            "object_type": "Partner",
            "object_id": c.partner.pk,
            "after": {"partner": c.partner.name, "asked": c.asked, "hits": c.hits, **(c.extra or {})},
        }
        for c in calls
    ]


def audit_screening_durably(calls: list[ScreeningCall]) -> bool:
    """PostgreSQL, outside any transaction: the calls' audit records in a transaction of their own,
    committed and flushed to disk before this returns, in one round trip (two when another writer had
    moved the chain's head; `core.commit_flush.append_and_flush`; the chain's lock is not held while the
    disk is waited for). False when the platform chain has no head row yet: nothing written,
    `audit_screening_many` must write them. The enumeration detector is not fed here (the gateway
    feeds it through `audit_screening_many`)."""
    if not calls:
        return True
    return commit_flush.append_and_flush(screening_items(calls), chain=audit.PLATFORM_CHAIN) is not None


def audit_screening_many(calls: list[ScreeningCall], counted: list[Observed] | None = None) -> None:
    """`audit_screening` for a group of calls: one audit record per call, written in ONE transaction
    (one chain-head lock, one INSERT), and the enumeration detector fed once per partner with sums.

    The screening gateway (credit/gateway/) answers the calls only after this returns, so every
    answered call's record is committed (group commit). `counted` is what the detector counts now (by
    default these calls; the gateway passes what it gathered since its last count, at most a
    second's worth); its counters are written in the same transaction as the records.
    """
    items = screening_items(calls)
    # No savepoint inside the gateway's group transaction (two statements less per group): a failure
    # here rolls the whole group back, which is what the gateway does with any failure.
    with transaction.atomic(savepoint=False):
        for o in observed(calls) if counted is None else counted:
            observe(o.partner, o.asked, o.hits, o.ids)
        if items:
            audit.append_many(None, items)


def audit_screening(
    partner: Partner,
    action: str,
    *,
    asked: int,
    hits: int,
    extra: dict | None = None,
    ids: Iterable[str] = (),
) -> None:
    """One audit record per screening call (not per ID): who asked, how many, how many hits.

    The call also feeds the enumeration detector (`enumeration.observe`: shared counters, then an
    alert when the partner's window looks like enumeration); `ids` are the resident IDs asked, or a
    sample of them.
    """
    observe(partner, asked, hits, ids)
    with transaction.atomic():
        audit.record(
            None,
            f"screening.{action}",
            object_type="Partner",
            object_id=partner.pk,
            after={"partner": partner.name, "asked": asked, "hits": hits, **(extra or {})},
        )


def normalise_subject(value: str, today: date | None = None) -> str:
    """The subject key of a validated identity number, or ServiceError naming `id`.

    Resident IDs, 港澳台 residence permits, permanent-residence cards (18 or 15 characters), H/M and
    Taiwan permits and credit codes are sent as they are; a passport as ``P<nationality>:<number>``, an
    organisation code as ``ORG:<code>``, an overseas registration as ``R<country>:<number>`` — the keys
    the register holds (`zhixing.core.id_documents.parse_subject`). The error's code is
    ``check_digit`` when an 18-character ID or credit code has the wrong check character, so a partner
    can tell a typo from a malformed number. `today` (default: the local date) dates a birth date; the
    screening gateway passes it once per group.
    """
    try:
        return subject_key(value or "", today or timezone.localdate())
    except IdentityError as exc:
        code = (
            "check_digit"
            if rules.subject_invalid((value or "").strip().upper()) == "check_digit"
            else "invalid"
        )
        raise ServiceError(f"身份号码无效：{exc}", field="id", code=code) from None


def _measure_mask(r: Restriction) -> int:
    """The screening codes a restriction sets (as in the register and `queries.subject_details`)."""
    return rules.CODE_BITS["exit"] if r.kind == Restriction.Kind.EXIT else rules.items_mask(r.items)


def case_for_subject(subject_key: str, code: str = "") -> tuple[int | None, int | None]:
    """(case id, court id) of the measure an interception of `code` enforces.

    The most recent active restriction that sets `code` (so a train refused under a consumption
    restriction lands on that case, never on a later exit restriction's), else the most recent active
    restriction or listing of the subject (a listing itself refuses some codes).
    """
    active = list(
        Restriction.objects.filter(subject_key=subject_key, status=Restriction.Status.ACTIVE).order_by(
            "-ordered_on", "-pk"
        )
    )
    bit = rules.CODE_BITS.get(code, 0)
    for r in active:
        if bit and _measure_mask(r) & bit:
            return r.case_id, r.court_id
    listing = (
        Listing.objects.filter(subject_key=subject_key, status=Listing.Status.ACTIVE)
        .order_by("-decided_on")
        .values_list("case_id", "court_id")
        .first()
    )
    if listing:
        return listing
    return (active[0].case_id, active[0].court_id) if active else (None, None)


def record_interception(
    partner: Partner, *, subject: str, code: str, at: datetime, channel: str, place: str, mask: int
) -> Interception:
    """A partner's receipt for one blocked attempt; becomes a count on the case and a lead for the judge."""
    key = normalise_subject(subject)
    if code not in rules.PARTNER_CODES.get(partner.kind, ()):
        raise ServiceError("拦截事项不属于本单位可执行的限制事项", field="code")
    if not mask & rules.CODE_BITS[code]:
        raise Conflict("该人员当前未被限制此项消费，不能登记拦截", field="id")
    if not channel.strip() or not place.strip():
        raise ServiceError("请填写拦截渠道和地点", field="channel" if not channel.strip() else "place")
    if at > timezone.now():
        raise ServiceError("拦截时间不能晚于当前时间", field="at")
    case_id, _ = case_for_subject(key, code)
    with transaction.atomic():
        row = Interception.objects.create(
            partner=partner,
            case_id=case_id,
            subject_key=key,
            code=code,
            at=at,
            channel=channel.strip()[:64],
            place=place.strip()[:128],
        )
        audit.record(
            None,
            "screening.intercept",
            object_type="Interception",
            object_id=row.pk,
            case_id=case_id,
            after={"partner": partner.name, "code": code, "channel": row.channel, "place": row.place},
        )
    return row
