"""The tamper-evident audit chain ("data iron cage"), one hash chain per court.

`record()` appends one `AuditRecord` inside the caller's transaction; every service function that
writes calls it, so the change and its audit commit or roll back together. Records are chained by
SHA-256: each hash covers the record's content and the hash of the previous record *of the same
chain*. A chain is keyed by a court code (the court of the case, else of the actor; "" for
platform-level records and for every record written before chains were split per court). Appending
locks only that chain's head row, so writers of different courts never wait for each other
(docs/adr/0002-audit-chains-per-court.md). `verify_chain()` walks every chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.apps import apps
from django.db import connection
from django.utils import timezone

from .audit_policy import SECRET_MARK, redact, snapshot
from .models import AuditChainHead, AuditRecord

__all__ = [
    "GENESIS",
    "PLATFORM_CHAIN",
    "SECRET_MARK",
    "AuditError",
    "ChainReport",
    "chain_key",
    "jsonable",
    "record",
    "record_many",
    "redact",
    "snapshot",
    "verify_chain",
]

GENESIS = "0" * 64
PLATFORM_CHAIN = ""


class AuditError(RuntimeError):
    """Audit misuse: recording outside a transaction."""


def jsonable(value: Any) -> Any:
    """Turn dates, decimals and model values into plain JSON so a reloaded record hashes the same."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _digest(rec: AuditRecord) -> str:
    payload = {
        "at": rec.at.astimezone(UTC).isoformat(),
        "actor": rec.actor_id,
        "actor_name": rec.actor_name,
        "court": rec.court_code,
        "action": rec.action,
        "object_type": rec.object_type,
        "object_id": rec.object_id,
        "case_id": rec.case_id,
        "before": rec.before,
        "after": rec.after,
        "prev": rec.prev_hash,
    }
    if rec.chain:
        # Court chains bind their key into the hash (moving a record to another chain is evident);
        # the platform chain "" leaves it out so records written before the split still verify.
        payload["chain"] = rec.chain
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain_key(court: Any) -> str:
    """The chain key of a `Court`, a court code, or None (the platform chain "")."""
    if court is None:
        return PLATFORM_CHAIN
    if isinstance(court, str):
        return court.strip()
    return str(getattr(court, "code", "") or "")


def _case_court(case_id: int) -> str:
    # Through the app registry: `core` imports no domain package (import-linter contract).
    case_model = apps.get_model("cases", "EnforcementCase")
    code = case_model.objects.filter(pk=case_id).values_list("court__code", flat=True).first()
    return str(code or "")


def _resolve_chain(court: Any, case_id: int | None, actor_court_code: str) -> str:
    if court is not None:
        return chain_key(court)
    if case_id is not None:
        code = _case_court(case_id)
        if code:
            return code
    return actor_court_code


def _actor_fields(actor: Any) -> tuple[Any, str, str]:
    user = actor if getattr(actor, "pk", None) else None
    court = getattr(user, "court", None) if user else None
    name = (user.get_full_name() or user.get_username()) if user else "系统"
    return user, name, (getattr(court, "code", "") if court else "")


def _lock_head(chain: str) -> tuple[int, str]:
    """Lock the chain's head row; its (id, last hash). Created on a chain's first record.

    The chain's head row serialises appends so the chain stays linear under concurrent writers of the
    same court (a no-op lock on SQLite, where IMMEDIATE transactions already serialise writers). One
    plain SELECT … FOR UPDATE: the ORM's get_or_create cost ~0.3 ms of CPU, most of a screening
    group's audit (credit/gateway.py).
    """
    if not connection.in_atomic_block:
        raise AuditError("audit.record must be called inside the transaction that makes the change")
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, last_hash FROM {table} WHERE chain = %s{lock}", [chain])  # noqa: S608
        row = cursor.fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        chain=chain, defaults={"last_hash": GENESIS}
    )
    return head.pk, head.last_hash


def _insert(recs: list[AuditRecord]) -> None:
    """INSERT the records with one multi-row statement (RETURNING their ids), values prepared by each
    field as the ORM would (`get_db_prep_save`); the ORM's save/bulk_create compile the statement for
    ~0.3 ms per call. A backend without RETURNING on bulk insert takes the ORM's path."""
    if not connection.features.can_return_rows_from_bulk_insert:
        AuditRecord.objects.bulk_create(recs)
        if recs[-1].pk is None:
            saved = {r.hash: r.pk for r in AuditRecord.objects.filter(hash__in=[r.hash for r in recs])}
            for rec in recs:
                rec.pk = saved[rec.hash]
        return
    meta = AuditRecord._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    cols = ", ".join(qn(str(f.column)) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    for start in range(0, len(recs), 500):
        part = recs[start : start + 500]
        params = [f.get_db_prep_save(f.pre_save(r, True), connection) for r in part for f in fields]
        sql = (
            f"INSERT INTO {qn(meta.db_table)} ({cols}) VALUES {', '.join([row] * len(part))} "  # noqa: S608
            f"RETURNING {qn(str(meta.pk.column))}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [r[0] for r in cursor.fetchall()]
        for rec, pk in zip(part, ids, strict=True):
            rec.pk = pk
            rec._state.adding = False
            rec._state.db = connection.alias


def _move_head(head_id: int, last: AuditRecord) -> None:
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_id = %s, last_hash = %s WHERE id = %s",  # noqa: S608
            [last.pk, last.hash, head_id],
        )


def record(
    actor: Any,
    action: str,
    *,
    object_type: str,
    object_id: object = "",
    case_id: int | None = None,
    before: Any = None,
    after: Any = None,
    court: Any = None,
) -> AuditRecord:
    """Append an audit record. Must run inside `transaction.atomic()` with the change it describes.

    `court` (a `Court` or a court code) names the chain; without it the chain is the court of
    `case_id`'s case (one indexed query), else the actor's court, else the platform chain "". Pass
    `court` when you have it. A transaction should append to one chain (it holds that chain's head
    until commit); appending to several is correct but takes their locks in call order.

    `before`/`after` keys named like a declared secret field (``audit_secret_fields`` of any model)
    are stored as `SECRET_MARK`; build them with `snapshot(obj)` to snapshot a whole row.
    """
    return record_many(
        actor,
        [
            {
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "case_id": case_id,
                "before": before,
                "after": after,
            }
        ],
        court=court,
    )[0]


def record_many(actor: Any, items: Sequence[dict[str, Any]], *, court: Any = None) -> list[AuditRecord]:
    """Append several records to ONE chain with one head lock, one INSERT and one head UPDATE.

    Each item has the keyword arguments of `record()` (`action`, `object_type`, optional `object_id`,
    `case_id`, `before`, `after`). The chain is `court`'s, or resolved from the first item as in
    `record()`. Returns the saved records in order.
    """
    if not connection.in_atomic_block:
        raise AuditError("audit.record must be called inside the transaction that makes the change")
    if not items:
        return []
    user, actor_name, actor_court = _actor_fields(actor)
    chain = _resolve_chain(court, items[0].get("case_id"), actor_court)
    now = timezone.now()
    recs = [
        AuditRecord(
            at=now,
            actor=user,
            actor_name=actor_name,
            court_code=actor_court,
            action=item["action"],
            object_type=item["object_type"],
            object_id=str(item.get("object_id", "")),
            case_id=item.get("case_id"),
            # Secrets never enter the chain, whoever builds the payload (audit_policy declarations).
            before=redact(jsonable(item.get("before"))),
            after=redact(jsonable(item.get("after"))),
            chain=chain,
        )
        for item in items
    ]
    # Only the hashing needs the head: build the records first, hold the chain's lock briefly.
    head_id, prev = _lock_head(chain)
    for rec in recs:
        rec.prev_hash = prev
        rec.hash = prev = _digest(rec)
    _insert(recs)
    _move_head(head_id, recs[-1])
    return recs


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a verification: `broken_at` names the first bad record (or None), `chain` its chain."""

    checked: int
    broken_at: int | None
    reason: str
    chain: str | None = None
    chains: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _label(chain: str) -> str:
    return f"留痕链「{chain}」" if chain else "平台留痕链"


def verify_chain(chunk: int = 5000) -> ChainReport:
    """Walk every chain in id order; name the first record edited, or whose predecessor vanished.

    One pass over all records keeps the tail (id, hash) of each chain; then each head row must point
    at its chain's tail (a deleted last record leaves the head pointing at a missing id).
    """
    tails: dict[str, tuple[int, str]] = {}
    counts: dict[str, int] = {}
    checked = 0
    for rec in AuditRecord.objects.order_by("id").iterator(chunk_size=chunk):
        _last_id, prev = tails.get(rec.chain, (0, GENESIS))
        where = f"{_label(rec.chain)}记录#{rec.pk}"
        if rec.prev_hash != prev:
            return ChainReport(
                checked, rec.pk, f"{where}的前序哈希不符：其前一条记录被删除或篡改", rec.chain, counts
            )
        if _digest(rec) != rec.hash:
            return ChainReport(checked, rec.pk, f"{where}的内容与哈希不符：该记录被篡改", rec.chain, counts)
        tails[rec.chain] = (rec.pk, rec.hash)
        counts[rec.chain] = counts.get(rec.chain, 0) + 1
        checked += 1
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    for chain in sorted(set(heads) | set(tails)):
        last_id, last_hash = tails.get(chain, (0, GENESIS))
        head = heads.get(chain)
        if head is None:
            return ChainReport(
                checked, last_id, f"{_label(chain)}的链头缺失（链尾记录#{last_id}）", chain, counts
            )
        if head.last_id != last_id or head.last_hash != last_hash:
            reason = f"{_label(chain)}链尾记录#{head.last_id}缺失：最后的留痕记录被删除"
            return ChainReport(checked, head.last_id, reason, chain, counts)
    return ChainReport(checked, None, f"留痕链完整（{len(tails)}条链）", None, counts)
