"""An audit append as SQL statements, for a caller that runs them itself in its own transaction on
PostgreSQL (pipelined with its other statements): the same rows, hashes and chain as `audit.append_many`,
built by `audit`'s hashing and `audit_rows`' statements. Used by the auction's bid pipeline
(`pipelined_append` after `head_statement`) and by `commit_flush` (`guarded_append`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from django.db import connection
from django.utils import timezone

from .audit import _actor_fields, _chained, _values
from .audit_rows import append_statements, guarded_append_statement, head_statements


def head_statement() -> str:
    """The statement (one parameter: the chain key) that locks a chain's head row and reads its
    (id, last hash), for a caller that pipelines its statements on PostgreSQL (`pipelined_append`). No
    row: the chain has no head yet (its first record takes `record`'s path, which creates it)."""
    return head_statements(connection)[0]


def pipelined_append(
    actor: Any, items: Sequence[dict[str, Any]], *, chain: str, head: tuple[int, str]
) -> list[tuple[str, list[Any]]]:
    """`append_many` as statements (SQL, parameters) for a caller that pipelines them in its own
    transaction on PostgreSQL: the same rows and chain, `head` being the chain's head row (id, last
    hash) that the transaction already holds locked (`head_statement`, earlier in it). The last statement
    moves the head. Run them in order in that transaction; nothing is written until they run."""
    if not items:
        return []
    const, rows, last = _hashed(actor, items, chain, head[1])
    return append_statements(const, rows, head[0], last)


def guarded_append(
    items: Sequence[dict[str, Any]], *, chain: str, head: tuple[int, str]
) -> tuple[str, list[Any], str]:
    """`items` (no actor) as ONE statement that appends them to `chain` only if its head row is still
    `head` (id, last hash) — no lock taken before (`audit_rows.guarded_append_statement`: it returns the
    new last id, or no row and writes nothing when the head had moved). (SQL, parameters, the new last
    hash.) PostgreSQL only; run it in the caller's transaction."""
    const, rows, last = _hashed(None, items, chain, head[1])
    sql, params = guarded_append_statement(const, rows, head, last)
    return sql, params, last


def _hashed(
    actor: Any, items: Sequence[dict[str, Any]], chain: str, prev: str
) -> tuple[dict[str, Any], list[tuple[Any, ...]], str]:
    """The shared values, the rows hashed onto the chain after `prev`, and the last hash."""
    user, actor_name, actor_court = _actor_fields(actor)
    actor_id = user.pk if user is not None else None
    now = timezone.now()
    rows, last = _chained(
        _values(items), now.astimezone(UTC).isoformat(), actor_id, actor_name, actor_court, prev, chain
    )
    const = {
        "at": now,
        "actor_id": actor_id,
        "actor_name": actor_name,
        "court_code": actor_court,
        "chain": chain,
    }
    return const, rows, last
