"""PostgreSQL: a group of bids on one lot judged in two network round trips (psycopg's pipeline mode).

`bidding._judge` (the ORM's path, every database) takes ≈ 10 round trips per group: BEGIN, the lot's
lock, the registrations, the leader's first bid, the bids' INSERT, the lot's UPDATE, the audit chain's
head lock, the audit INSERT, the head's UPDATE, COMMIT — and the lot's lock is held across all but the
first. Under load each round trip of a pool thread also waits for the GIL and for a core, so the lock
was held for hundreds of milliseconds while the other worker's group and the bids behind it waited.

Here the same judgment (`bidding.decide`, the same rules) takes two: the statements are queued on the
connection and sent together, and only the answers' arrival is waited for.
1. BEGIN; the lot's row locked (`FOR UPDATE`); the court's audit chain head locked (`FOR UPDATE`, the
   same lot → head order as the ORM path); the group's registrations (by bidder, or by token: the
   bidders' look-up joins them, so an unknown token costs nothing more); the leader's first bid at the
   current price. Each statement takes its own snapshot once the one before it has run, so what is read
   after the lock is what the previous holder committed (READ COMMITTED).
2. The accepted bids' INSERT, the lot's UPDATE, the audit records' INSERT moving the chain's head (one
   data-modifying statement, `audit_statements.pipelined_append`), COMMIT.
The transaction is the connection's own (BEGIN … COMMIT on psycopg's connection, Django's connection in
autocommit), so it is taken only outside any `atomic` block and when nobody watches the connection's
statements (a test's query capture, DEBUG's log); anything else, and a chain without its head row yet,
goes the ORM's path. A failure rolls the whole group back and raises, as the ORM's path does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection

from zhixing.core import audit_statements
from zhixing.core.errors import ServiceError

from .. import rules
from ..models import Bid, Bidder, Lot, Registration


class Seat(NamedTuple):
    """A bidder's registration for the lot, as the judgment reads it (None fields: not registered)."""

    id: int
    bidder_id: int
    code: str
    rank: int | None
    deposit_state: str


# The statements' text, with the tables' and columns' quoted names filled in once (`_sql`).
_TEMPLATES = {
    "lot": "SELECT {lot_cols}, c.code FROM {lot} l JOIN {court} c ON c.id = l.court_id WHERE l.id = %s "
    "FOR UPDATE OF l",
    "by_bidder": "SELECT r.bidder_id, {seat} FROM {reg} r WHERE r.lot_id = %s AND r.bidder_id = ANY(%s)",
    "by_token": "SELECT b.token_hash, {seat} FROM {bidder} b LEFT JOIN {reg} r "
    "ON r.bidder_id = b.id AND r.lot_id = %s WHERE b.token_hash = ANY(%s)",
    "leader": "SELECT r.code, r.{rank}, f.{at}, f.seq FROM {lot} l JOIN {reg} r ON r.id = l.leader_id "
    "LEFT JOIN LATERAL (SELECT b.{at}, b.seq FROM {bid} b WHERE b.lot_id = l.id "
    "AND b.registration_id = l.leader_id AND b.amount = l.current_price ORDER BY b.seq LIMIT 1) f ON true "
    "WHERE l.id = %s AND l.current_price IS NOT NULL",
    "bids": "INSERT INTO {bid} (lot_id, registration_id, seq, amount, {at}, ends_at) VALUES ",
    "update": "UPDATE {lot} SET bid_count = %s, ends_at = %s, leader_id = %s, current_price = %s "
    "WHERE id = %s",
    "court": "(SELECT COALESCE(c.code, '') FROM {court} c JOIN {lot} l ON l.court_id = c.id WHERE l.id = %s)",
}
_SQL: dict[str, str] = {}
_LOT_FIELDS = (
    "status",
    "suspension_cause",
    "ended_at",
    "current_price",
    "leader_id",
    "start_price",
    "increment",
    "starts_at",
    "ends_at",
    "bid_count",
    "case_id",
    "court_id",
)


def usable() -> bool:
    """Whether this connection takes the pipelined path (see the module docstring)."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and not connection.execute_wrappers
        and not connection.queries_logged
    )


def _sql() -> dict[str, str]:
    if not _SQL:
        qn = connection.ops.quote_name
        names = {
            name: qn(model._meta.db_table)
            for name, model in (("lot", Lot), ("reg", Registration), ("bid", Bid), ("bidder", Bidder))
        }
        names["court"] = qn(Lot._meta.get_field("court").related_model._meta.db_table)
        names["lot_cols"] = ", ".join(f"l.{qn(f)}" for f in _LOT_FIELDS)
        names["seat"] = f"r.id, r.bidder_id, r.code, r.{qn('rank')}, r.deposit_state"
        names["rank"], names["at"] = qn("rank"), qn("at")
        sql = {key: text.format(**names) for key, text in _TEMPLATES.items()}
        sql["head"] = audit_statements.head_statement().replace(
            "%s", sql.pop("court")
        )  # the lot's court's chain
        _SQL.update(sql)
    return _SQL


Judged = tuple[list[Bid | ServiceError | None], set[Any]]


def judge(
    lot_id: int, keys: Sequence[Any], offers: Sequence[tuple[Any, Decimal, datetime]], *, by_token: bool
) -> Judged | None:
    """The group's outcomes in the offers' order (None: the key names no bidder, by token only) and
    the keys that name a bidder; None when the ORM's path must judge it (the chain has no head row).

    `keys` are every key of the group (bidder ids, or token digests with `by_token`), `offers` the
    valid ones (key, amount, arrival time) in arrival order."""
    import psycopg

    from .bidding import broadcast, decide, lot_refusal, update_payload

    sql = _sql()
    connection.ensure_connection()
    raw = connection.connection
    with connection.wrap_database_errors:
        try:
            with raw.pipeline() as pipe:
                cur = [psycopg.Cursor(raw) for _ in range(5)]
                cur[0].execute("BEGIN")
                cur[1].execute(sql["lot"], [lot_id], prepare=True)
                cur[2].execute(sql["head"], [lot_id], prepare=True)
                cur[3].execute(
                    sql["by_token" if by_token else "by_bidder"], [lot_id, list(set(keys))], prepare=True
                )
                cur[4].execute(sql["leader"], [lot_id], prepare=True)
                pipe.sync()
                row, head, found, leader = (
                    cur[1].fetchone(),
                    cur[2].fetchone(),
                    cur[3].fetchall(),
                    cur[4].fetchone(),
                )
                known = {r[0] for r in found}
                seats = {r[0]: Seat(*r[1:]) if r[1] is not None else None for r in found}
                lot, chain = None, ""
                if row is not None:
                    lot = Lot(id=lot_id, **dict(zip(_LOT_FIELDS, row[:-1], strict=True)))
                    chain = row[-1] or ""
                closed = lot_refusal(lot)
                if closed is not None or lot is None:
                    cur[0].execute("COMMIT")
                    return [closed if key in known else None for key, _, _ in offers], known
                book = _book(lot, leader)
                live = [(seats[key], amt, at) for key, amt, at in offers if key in known]
                decided, accepted, book = decide(lot, book, live)
                if accepted and head is None:
                    cur[0].execute("ROLLBACK")
                    return None
                if accepted and head is not None:
                    _write(cur, lot, book, accepted, chain=chain, head=(int(head[0]), str(head[1])))
                    payload = update_payload(lot, accepted)
                cur[0].execute("COMMIT")
            # the pipeline's exit sent the writes and the COMMIT and waited for them
        except BaseException:
            _roll_back(raw)
            raise
    if accepted:
        for (bid, _), (pk,) in zip(accepted, cur[1].fetchall(), strict=True):
            bid.pk = bid.id = pk
            bid._state.adding = False
            bid._state.db = connection.alias
        broadcast(lot.pk, payload)
    results = iter(decided)
    return [next(results) if key in known else None for key, _, _ in offers], known


def _book(lot: Lot, leader: tuple[Any, ...] | None) -> rules.Book:
    """`bidding.book_of` from the pipeline's read of the leader and its first bid at the price."""
    best = None
    if leader is not None and lot.current_price is not None:
        code, rank, at, seq = leader
        if at is None:
            at, seq = lot.starts_at, 0
        best = rules.Bid(code, lot.current_price, at, rank, seq)
    return rules.Book(lot.start_price, lot.increment, lot.starts_at, lot.ends_at, best, lot.bid_count)


def _write(
    cur: list[Any],
    lot: Lot,
    book: rules.Book,
    accepted: list[tuple[Bid, Registration]],
    *,
    chain: str,
    head: tuple[int, str],
) -> None:
    """Queue the group's writes: the bids (RETURNING their ids, read after the commit), the lot, the audit."""
    sql = _SQL["bids"] + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(accepted)) + " RETURNING id"
    params: list[Any] = []
    for bid, reg in accepted:
        params += [lot.pk, reg.pk, bid.seq, bid.amount, bid.at, bid.ends_at]
    cur[1].execute(sql, params)
    cur[2].execute(
        _SQL["update"], [book.count, book.ends_at, lot.leader_id, lot.current_price, lot.pk], prepare=True
    )
    from .bidding import audit_items

    for statement, values in audit_statements.pipelined_append(
        None, audit_items(lot, accepted), chain=chain, head=head
    ):
        cur[3].execute(statement, values)


def _roll_back(raw: Any) -> None:
    try:
        raw.rollback()
    except Exception:
        connection.close()
