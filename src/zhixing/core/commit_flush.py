"""PostgreSQL: commit without waiting for the disk while holding locks, then wait for the disk without them.

With `synchronous_commit=on` (the documented deployment) a COMMIT returns only when its WAL is flushed
(an fdatasync: 3.5–9 ms on the benchmark machine), and the transaction's row locks are held until it
returns. The screening gateway's group transaction holds the audit chain head's row lock
(`core.audit._lock_head`), so every group's flush was waited out under that lock and the workers' commits
ran one after the other, one flush each, never shared.

The hot path instead:

1. commits its transaction with ``SET LOCAL synchronous_commit = off`` (`commit_without_flush`): the
   commit record is in the WAL buffers, the locks are released at once, nothing is answered yet;
2. then, on the SAME connection and before anything of that transaction is acted on outside the database
   (an answer sent), `flush_commits` runs one tiny transaction that writes a WAL record and commits with
   the session's own `synchronous_commit` (the deployment's setting, `on`): its commit waits until the WAL
   is flushed up to its commit record, and the WAL is one sequential log, so everything written before it
   (the earlier asynchronous commit, and any other session's) is on disk when it returns. Concurrent
   flushes of other sessions share the fdatasync (PostgreSQL's own group commit in `XLogFlush`). With
   synchronous replication the same commit also waits for the standbys, as any commit of the deployment.

Why an answered call stays durable ("every call audited, none lost on a crash"): nothing of the
transaction leaves the process before step 2 returned. A crash (of PostgreSQL or of the machine) between
1 and 2 loses the unflushed transaction — whose calls were never answered — and every WAL record after
it, since recovery replays the log only up to its first gap: any transaction that built on it (another
group appending to the same audit chain after it) is lost with it, so a chain never keeps a record whose
predecessor is gone. Step 2 runs on the connection that committed step 1: a crash in between ends that
connection, so the flush fails (the caller answers 500; the calls may or may not be on record, as any
call whose answer was lost) and never "succeeds" on a server that restarted without the transaction.
(A flush on a different or new connection could not tell that, which is why it is not done there.)
What another session reads meanwhile may be not yet on disk, as with any asynchronous commit; a
synchronous commit of that session after it flushes it too.

Researched alternatives (PostgreSQL 15, this machine, `synchronous_commit=on`):

* ``SELECT txid_current()`` then COMMIT: an XID but no WAL written before the commit record, so the
  commit is asynchronous (``RecordTransactionCommit`` flushes only when the transaction wrote WAL): it
  flushed 0 of 20 asynchronous commits;
* polling ``pg_current_wal_flush_lsn()`` until it passes ``pg_current_wal_insert_lsn()`` read after the
  commit: correct, but the flush is then the WAL writer's, every ``wal_writer_delay`` (200 ms: measured
  median wait 200.5 ms), and it spins;
* ``pg_logical_emit_message(true, …)`` (a transactional logical-decoding message: an XID and one WAL
  record, no table, any role, any ``wal_level``) committed on its own: flushed 20 of 20, 4 ms each
  (the disk's fdatasync). Kept. A decoder of a logical replication slot sees the message under its
  prefix and ignores it.

The screening gateway's usual group (`append_and_flush`) sends all of it in ONE network round trip: one
simple-protocol message of five statements (BEGIN, the SET LOCAL, the records' INSERT moving the chain's
head — on the head this process's own last append left, checked in the same statement, `audit_statements.
guarded_append` —, COMMIT, and the flush's own one-statement transaction, whose answer comes when the WAL
is on disk). When another writer had moved the head meanwhile, that message wrote nothing and the append
takes two round trips with psycopg's pipeline mode, as the bids' pipeline does (auctions/services/
bid_pipeline.py): (1) BEGIN, the SET LOCAL, the chain head's lock; (2) the same INSERT, COMMIT and the
flush. The ORM's way took six round trips (the SET LOCAL, the head, INSERT, UPDATE, COMMIT, the flush),
each a wake-up of another process that waits for a core on a loaded machine; the pipeline's machinery
costs ≈ 0.1 ms of client CPU per statement, the one message's one statement's worth (measured in
process on the 1 M-person benchmark database, docs/credit.md: 550 → 320 µs of CPU for a group of one,
1,180 → 630 µs for a group of ten).

SQLite is left as it is (`synchronous=NORMAL` in WAL mode: its commit never waits for the disk; the
gateway's own thread checkpoints, docs/credit.md "Durability of the screening audit").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections

from . import audit, audit_statements, plain_statements

FLUSH_PREFIX = "zhixing.flush"
FLUSH_SQL = f"SELECT pg_logical_emit_message(true, '{FLUSH_PREFIX}', '')"


def flushes_late(using: str = "default") -> bool:
    """True when a transaction begun now may commit without waiting for the disk (`commit_without_flush`)
    and be made durable by `flush_commits` after: PostgreSQL, and the transaction is the outermost (a
    savepoint inside someone else's transaction commits nothing; its caller's commit is what counts)."""
    conn = connections[using]
    return conn.vendor == "postgresql" and not conn.in_atomic_block


def commit_without_flush(using: str = "default") -> None:
    """Inside the transaction (as its first statement): its COMMIT returns without waiting for the WAL
    flush, so its locks are released at once. The caller MUST call `flush_commits` on the same connection
    after the commit and before acting on anything the transaction wrote (module docstring)."""
    plain_statements.execute("SET LOCAL synchronous_commit = off", using=using)


def flush_commits(using: str = "default") -> None:
    """Return when every commit so far on this connection (and every WAL record before now) is as durable
    as a commit with the session's own `synchronous_commit`: one tiny transaction whose commit flushes the
    WAL up to its own record. Raises when the connection fails (module docstring: never retried on a new
    connection)."""
    conn = connections[using]
    if conn.in_atomic_block:
        raise RuntimeError("flush_commits runs after the commit, outside any transaction")
    if conn.connection is None:  # closed since the commit: a new connection could not vouch for it
        raise RuntimeError("flush_commits needs the connection that committed")
    plain_statements.fetch(FLUSH_SQL, using=using)


def pipelines(using: str = "default") -> bool:
    """True when `append_and_flush` may run its own transaction on the connection now: `flushes_late`,
    and nobody watches the connection's statements (a test's query capture, DEBUG's log), which the
    pipeline would bypass."""
    conn = connections[using]
    return flushes_late(using) and not conn.execute_wrappers and not conn.queries_logged


# chain → its head row (id, last hash) as this process's own last append left it: `append_and_flush`
# appends on that belief in ONE round trip, and learns the head again (the locking path) when another
# writer had moved it. A wrong belief costs a round trip, never a wrong chain
# (`audit_statements.guarded_append`).
_BELIEVED_HEAD: dict[str, tuple[int, str]] = {}


def append_and_flush(items: Sequence[dict[str, Any]], *, chain: str = audit.PLATFORM_CHAIN) -> str | None:
    """Append `items` (as `audit.append_many`, no actor) to `chain` in a transaction of their own,
    committed without the disk wait and flushed after it on the same connection (the module docstring).
    Returns the flush's WAL position (every commit before it is on disk when this returns), or None when
    the chain has no head row yet (nothing written: the caller takes `audit.append_many`'s path, which
    creates it). Only where `pipelines()`; a failure anywhere rolls back what is not committed and raises
    (after a COMMIT, a failed flush leaves the records committed but not known durable: the caller
    answers none of them).

    ONE network round trip when this process wrote the chain's last record (`_BELIEVED_HEAD`: the
    screening engine, the chain's usual only writer): the transaction appends on the believed head
    (`audit_statements.guarded_append`), commits and flushes. When another writer had moved the head, that
    transaction wrote nothing and the append takes the locking path: TWO round trips, (1) BEGIN, the SET
    LOCAL, the head's lock; (2) the records' INSERT moving the head, COMMIT and the flush."""
    head = _BELIEVED_HEAD.get(chain)
    if head is not None:
        lsn = _at_once(items, chain, head)
        if lsn is not None:
            return lsn
        _BELIEVED_HEAD.pop(chain, None)
    return _pipelined(items, chain)


def _at_once(items: Sequence[dict[str, Any]], chain: str, believed: tuple[int, str]) -> str | None:
    """`append_and_flush` on the `believed` head as ONE simple-protocol message of five statements
    (BEGIN, the SET LOCAL, the guarded append, COMMIT, the flush; parameters bound client-side): one
    network round trip, and one statement's client work instead of five (the pipeline's per-statement
    machinery cost ≈ 0.1 ms of CPU each). None when the head had moved (nothing written)."""
    import psycopg

    using = "default"
    conn = connections[using]
    conn.ensure_connection()
    raw = conn.connection
    sql, values, last = audit_statements.guarded_append(items, chain=chain, head=believed)
    with conn.wrap_database_errors:
        try:
            cur = psycopg.ClientCursor(raw)
            cur.execute(f"BEGIN; SET LOCAL synchronous_commit = off; {sql}; COMMIT; {FLUSH_SQL}", values)
            cur.nextset()  # SET
            cur.nextset()  # the append: one row, or none when the head had moved
            moved = cur.fetchone()
            cur.nextset()  # COMMIT
            cur.nextset()  # the flush: it returned when the WAL was on disk
            row = cur.fetchone()
        except BaseException:
            _BELIEVED_HEAD.pop(chain, None)
            _roll_back(raw, using)
            raise
    if moved is None:
        return None
    _BELIEVED_HEAD[chain] = (believed[0], last)
    return str(row[0]) if row else ""


def _pipelined(items: Sequence[dict[str, Any]], chain: str) -> str | None:
    """`append_and_flush` after locking the chain's head (None when the chain has no head row yet): the
    same guarded append as `_at_once`, which under the lock always finds the head as read."""
    import psycopg

    using = "default"
    conn = connections[using]
    conn.ensure_connection()
    raw = conn.connection
    with conn.wrap_database_errors:
        try:
            with raw.pipeline() as pipe:
                tx, append, flush = (psycopg.Cursor(raw) for _ in range(3))
                tx.execute("BEGIN")
                tx.execute("SET LOCAL synchronous_commit = off")
                append.execute(audit_statements.head_statement(), [chain], prepare=True)
                pipe.sync()
                row = append.fetchone()
                if row is None:
                    tx.execute("ROLLBACK")
                    return None
                head = (int(row[0]), str(row[1]))
                sql, values, last = audit_statements.guarded_append(items, chain=chain, head=head)
                append.execute(sql, values, prepare=True)  # fixed text (audit_rows._unnest_sql)
                tx.execute("COMMIT")
                flush.execute(FLUSH_SQL)
            # leaving the pipeline sent the writes, the COMMIT and the flush, and waited for all of them
        except BaseException:
            _BELIEVED_HEAD.pop(chain, None)
            _roll_back(raw, using)
            raise
    _BELIEVED_HEAD[chain] = (head[0], last)  # the head row's id, its new last hash
    row = flush.fetchone()
    return str(row[0]) if row else ""


def _roll_back(raw: Any, using: str) -> None:
    try:
        raw.rollback()
    except Exception:
        connections[using].close()
