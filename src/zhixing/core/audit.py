"""The tamper-evident audit chain ("data iron cage"), one hash chain per court.

`record()` appends one `AuditRecord` inside the caller's transaction; every service function that
writes calls it, so the change and its audit commit or roll back together. Records are chained by
SHA-256: each hash covers the record's content and the hash of the previous record *of the same
chain*. A chain is keyed by a court code (the court of the case, else of the actor; "" for
platform-level records and for every record written before chains were split per court). Appending
locks only that chain's head row, so writers of different courts never wait for each other
(docs/adr/0002-audit-chains-per-court.md). `verify_chain()` walks every chain. The same appends as
SQL statements for callers that run them in their own pipelined transactions: `audit_statements`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from . import plain_statements
from .audit_policy import SECRET_MARK, redact, snapshot
from .audit_rows import (
    ROW_FIELDS,
    ROW_FIELDS_AT,
    copy_rows,
    head_statements,
    insert_rows,
)
from .models import AuditChainHead, AuditRecord
from .system_actor import actor_name

if TYPE_CHECKING:
    from .audit_verify import ChainReport

__all__ = [
    "GENESIS",
    "PLATFORM_CHAIN",
    "SECRET_MARK",
    "AuditError",
    "append_many",
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


# One encoder for every digest: `json.dumps` with non-default options builds a new encoder per call.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _digest_of(
    at: str,
    actor: int | None,
    actor_name: str,
    court: str,
    action: str,
    object_type: str,
    object_id: str,
    case_id: Any,
    before: Any,
    after: Any,
    prev: str,
    chain: str,
) -> str:
    payload = {
        "at": at,
        "actor": actor,
        "actor_name": actor_name,
        "court": court,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "case_id": case_id,
        "before": before,
        "after": after,
        "prev": prev,
    }
    if chain:
        # Court chains bind their key into the hash (moving a record to another chain is evident);
        # the platform chain "" leaves it out so records written before the split still verify.
        payload["chain"] = chain
    return hashlib.sha256(_CANONICAL.encode(payload).encode("utf-8")).hexdigest()


def _digest(rec: AuditRecord) -> str:
    return _digest_of(
        rec.at.astimezone(UTC).isoformat(),
        rec.actor_id,
        rec.actor_name,
        rec.court_code,
        rec.action,
        rec.object_type,
        rec.object_id,
        rec.case_id,
        rec.before,
        rec.after,
        rec.prev_hash,
        rec.chain,
    )


def _plain(value: Any) -> bool:
    """True for values JSON gives back unchanged: str, int, bool, None, and dicts (str keys) / lists of
    them (exact types: a str or int subclass, a tuple, a float or a date takes `jsonable`'s round trip)."""
    t = type(value)
    if t is str or t is int or t is bool or value is None:
        return True
    if t is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if t is list:
        return all(_plain(v) for v in value)
    return False


def _payload(value: Any) -> Any:
    """A record's `before`/`after` as stored: plain JSON (`jsonable`), secrets redacted. `redact` copies
    dicts and lists, so a plain value skips the JSON round trip and the result is the same."""
    return redact(value if _plain(value) else jsonable(value))


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
    # A SystemActor (core.system_actor) is no user but names itself and the court it acts in.
    court = getattr(actor, "court", None) if actor is not None else None
    return user, actor_name(actor), (getattr(court, "code", "") if court else "")


def _lock_head(chain: str, conn: Any = None) -> tuple[int, str]:
    """Lock the chain's head row; its (id, last hash). Created on a chain's first record.

    The chain's head row serialises appends so the chain stays linear under concurrent writers of the
    same court (a no-op lock on SQLite, where IMMEDIATE transactions already serialise writers). One
    plain SELECT … FOR UPDATE: the ORM's get_or_create cost ~0.3 ms of CPU, most of a screening
    group's audit (credit/gateway/). `conn`: the default database's connection, when the caller has it.
    """
    conn = conn or connections[DEFAULT_DB_ALIAS]
    if not conn.in_atomic_block:
        raise AuditError("audit.record must be called inside the transaction that makes the change")
    row = plain_statements.fetch_one(head_statements(conn)[0], [chain])
    if row is not None:
        return int(row[0]), str(row[1])
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        chain=chain, defaults={"last_hash": GENESIS}
    )
    return head.pk, head.last_hash


def lock_chain(court: Any) -> None:
    """Take the chain head of `court` now, inside the caller's transaction (held until commit).

    For a service that row-locks what another transaction may lock only *after* appending to the same
    chain (a payment's booking appends its records, then refreshes the 履行情况 of the case's listings
    under their row locks): taking the head first gives both transactions one lock order, where "lock
    the row, then append" deadlocks against "append, then lock the row" (found by the cluster soak).
    """
    _lock_head(chain_key(court))


def _move_head(head_id: int, last_id: int, last_hash: str, conn: Any = None) -> None:
    sql = head_statements(conn or connections[DEFAULT_DB_ALIAS])[1]
    plain_statements.execute(sql, [last_id, last_hash, head_id])


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
    `record()`. Returns the saved records in order (`append_many` writes the same without them).
    """
    return _append(actor, items, court, keep=True)


def append_many(actor: Any, items: Sequence[dict[str, Any]], *, court: Any = None) -> int:
    """`record_many` without building the saved `AuditRecord` instances (the same rows, the same
    chain); how many were appended. For hot paths that never read the records back (screening calls)."""
    _append(actor, items, court, keep=False)
    return len(items)


def append_entries(entries: Sequence[tuple[datetime, str, Sequence[dict[str, Any]]]]) -> int:
    """Entries of the screening journal (`core.audit_journal`: the time of the calls, the chain, the
    records, no actor), appended in order inside the caller's transaction; how many records. Each run
    of entries for one chain takes its head once and goes in as ONE INSERT (ONE COPY on PostgreSQL,
    `audit_rows.copy_rows`) whose rows carry their own time (`audit_rows.ROW_FIELDS_AT`): the same
    rows and hashes as `append_many` per entry, with a statement per run instead of three per entry."""
    conn = connections[DEFAULT_DB_ALIAS]
    if not conn.in_atomic_block:
        raise AuditError("audit.record must be called inside the transaction that makes the change")
    _, name, court_code = _actor_fields(None)
    appended, start = 0, 0
    while start < len(entries):
        chain = entries[start][1]
        end = start
        while end < len(entries) and entries[end][1] == chain:
            end += 1
        head_id, prev = _lock_head(chain, conn)
        rows: list[tuple[Any, ...]] = []
        for at, _chain, items in entries[start:end]:
            hashed, prev = _chained(
                _values(items), at.astimezone(UTC).isoformat(), None, name, court_code, prev, chain
            )
            rows += [(*row, at) for row in hashed]
        if rows:
            const = {"actor_id": None, "actor_name": name, "court_code": court_code, "chain": chain}
            if conn.vendor == "postgresql":
                last_id = copy_rows(const, rows, conn, ROW_FIELDS_AT)
            else:
                last_id = insert_rows(const, rows, conn, ROW_FIELDS_AT)[-1]
            _move_head(head_id, last_id, prev, conn)
            appended += len(rows)
        start = end
    return appended


def _values(items: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """(action, object_type, object_id, case_id, before, after) per item, as `ROW_FIELDS` begins.
    Secrets never enter the chain, whoever builds the payload (audit_policy declarations)."""
    return [
        (
            item["action"],
            item["object_type"],
            str(item.get("object_id", "")),
            item.get("case_id"),
            _payload(item.get("before")),
            _payload(item.get("after")),
        )
        for item in items
    ]


def _chained(
    values: list[tuple[Any, ...]],
    at: str,
    actor_id: Any,
    actor_name: str,
    actor_court: str,
    prev: str,
    chain: str,
) -> tuple[list[tuple[Any, ...]], str]:
    """The rows (`ROW_FIELDS`) hashed onto the chain after `prev`; and the last hash."""
    rows: list[tuple[Any, ...]] = []
    for action, object_type, object_id, case_id, before, after in values:
        digest = _digest_of(
            at, actor_id, actor_name, actor_court, action, object_type, object_id, case_id, before, after,
            prev, chain,
        )  # fmt: skip
        rows.append((action, object_type, object_id, case_id, before, after, prev, digest))
        prev = digest
    return rows, prev


def _append(actor: Any, items: Sequence[dict[str, Any]], court: Any, *, keep: bool) -> list[AuditRecord]:
    # Looked up once: each `connection.<attribute>` goes through Django's per-thread handler (3–5 µs).
    conn = connections[DEFAULT_DB_ALIAS]
    if not conn.in_atomic_block:
        raise AuditError("audit.record must be called inside the transaction that makes the change")
    if not items:
        return []
    user, actor_name, actor_court = _actor_fields(actor)
    actor_id = user.pk if user is not None else None
    chain = _resolve_chain(court, items[0].get("case_id"), actor_court)
    now = timezone.now()
    values = _values(items)
    # Only the hashing needs the head: build the rows first, hold the chain's lock briefly.
    head_id, prev = _lock_head(chain, conn)
    rows, prev = _chained(
        values, now.astimezone(UTC).isoformat(), actor_id, actor_name, actor_court, prev, chain
    )
    const = {
        "at": now,
        "actor_id": actor_id,
        "actor_name": actor_name,
        "court_code": actor_court,
        "chain": chain,
    }
    recs: list[AuditRecord] = []
    returning = conn.features.can_return_rows_from_bulk_insert
    if keep or not returning:
        recs = [AuditRecord(**const, **dict(zip(ROW_FIELDS, row, strict=True))) for row in rows]
        if user is not None:
            for rec in recs:
                rec.actor = user  # the caller's instance, as before (no query on access)
    if returning:
        ids = insert_rows(const, rows, conn)
        for rec, pk in zip(recs, ids, strict=keep):
            rec.pk = pk
            rec._state.adding = False
            rec._state.db = conn.alias
        last_id = ids[-1]
    else:  # a backend without RETURNING on bulk insert takes the ORM's path
        AuditRecord.objects.bulk_create(recs)
        if recs[-1].pk is None:
            saved = {r.hash: r.pk for r in AuditRecord.objects.filter(hash__in=[r.hash for r in recs])}
            for rec in recs:
                rec.pk = saved[rec.hash]
        last_id = recs[-1].pk
    _move_head(head_id, last_id, prev, conn)
    return recs


def verify_chain(chunk: int = 5000) -> ChainReport:
    """Walk every chain and name the first break (`audit_verify.verify_chain`)."""
    from .audit_verify import verify_chain as walk

    return walk(chunk)
