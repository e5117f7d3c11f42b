"""The tamper-evident audit chain ("data iron cage").

`record()` appends one `AuditRecord` inside the caller's transaction; every service function that
writes calls it, so the change and its audit commit or roll back together. Records are chained by
SHA-256: each hash covers the record's content and the previous record's hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import connection
from django.utils import timezone

from .models import AuditChainHead, AuditRecord

GENESIS = "0" * 64


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
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    actor: Any,
    action: str,
    *,
    object_type: str,
    object_id: object = "",
    case_id: int | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditRecord:
    """Append an audit record. Must run inside `transaction.atomic()` with the change it describes."""
    if not connection.in_atomic_block:
        raise AuditError("audit.record must be called inside the transaction that makes the change")
    # One head row serialises appends so the chain stays linear under concurrent writers
    # (a no-op lock on SQLite, where IMMEDIATE transactions already serialise writers).
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
    user = actor if getattr(actor, "pk", None) else None
    court = getattr(user, "court", None) if user else None
    rec = AuditRecord(
        at=timezone.now(),
        actor=user,
        actor_name=(user.get_full_name() or user.get_username()) if user else "系统",
        court_code=getattr(court, "code", "") if court else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        case_id=case_id,
        before=jsonable(before),
        after=jsonable(after),
        prev_hash=head.last_hash,
    )
    rec.hash = _digest(rec)
    rec.save()
    head.last_id = rec.pk
    head.last_hash = rec.hash
    head.save(update_fields=["last_id", "last_hash"])
    return rec


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a chain verification: `broken_at` names the first bad record (or None)."""

    checked: int
    broken_at: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(chunk: int = 5000) -> ChainReport:
    """Walk the chain in order; name the first record that was edited or whose predecessor vanished."""
    prev = GENESIS
    checked = 0
    last_id = 0
    for rec in AuditRecord.objects.order_by("id").iterator(chunk_size=chunk):
        if rec.prev_hash != prev:
            return ChainReport(checked, rec.pk, f"记录#{rec.pk}的前序哈希不符：其前一条记录被删除或篡改")
        if _digest(rec) != rec.hash:
            return ChainReport(checked, rec.pk, f"记录#{rec.pk}的内容与哈希不符：该记录被篡改")
        prev = rec.hash
        last_id = rec.pk
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and (head.last_id != last_id or head.last_hash != prev):
        return ChainReport(checked, head.last_id, f"链尾记录#{head.last_id}缺失：最后的留痕记录被删除")
    return ChainReport(checked, None, "留痕链完整")
