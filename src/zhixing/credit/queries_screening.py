"""Screening reads: the in-memory screening index, the change feed, a subject's measures."""

from __future__ import annotations

import json
import threading
from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core import plain_statements
from zhixing.courts.models import Court

from . import rules
from .models import (
    ChangeEvent,
    Listing,
    RestrictedSubject,
    Restriction,
)
from .screening import ScreeningIndex, feed_deltas

# -- screening ----------------------------------------------------------------------
_INDEX = ScreeningIndex()
_INDEX_LOCK = threading.Lock()


def reset_index() -> None:
    """Forget the in-memory index (tests; after a restore)."""
    global _INDEX
    with _INDEX_LOCK:
        _INDEX = ScreeningIndex()


def log_cursor_sql() -> str:
    """The change log's cursor (its last event's id, NULL when empty) as one SQL expression, for a
    statement that reads it beside something else (the screening gateway's partner keys)."""
    # plain SQL: the ORM's aggregate compiles for ~0.1 ms per call
    return f"(SELECT MAX(id) FROM {connection.ops.quote_name(ChangeEvent._meta.db_table)})"  # noqa: S608


def current_index() -> ScreeningIndex:
    """The process's screening index, brought up to date with the change log (one cheap query)."""
    row = plain_statements.fetch_one(f"SELECT {log_cursor_sql()}")
    return index_at(int((row[0] if row else 0) or 0))


def index_at(last: int) -> ScreeningIndex:
    """The process's screening index brought up to the change log's cursor `last`, read by the caller
    (`log_cursor_sql`): applied incrementally, rebuilt when the log went back (a restore) or on first use."""
    global _INDEX
    idx = _INDEX
    if last == idx.cursor:
        return idx
    with _INDEX_LOCK:
        idx = _INDEX
        if last < idx.cursor or idx.cursor == 0:
            fresh = ScreeningIndex()
            fresh.load(
                RestrictedSubject.objects.filter(mask__gt=0)
                .values_list("subject_key", "mask")
                .iterator(chunk_size=10000)
            )
            fresh.cursor = last
            fresh.key_table.prepare(fresh.common)  # the batches' hashed copy, with the index (memory)
            _INDEX = fresh
            return fresh
        for key, mask in (
            ChangeEvent.objects.filter(id__gt=idx.cursor, id__lte=last)
            .order_by("id")
            .values_list("subject_key", "new_mask")
        ):
            idx.set(key, mask)
        idx.cursor = last
        return idx


def changed_subjects(after: int, upto: int, limit: int) -> set[str] | None:
    """The subjects of the change events after `after` up to `upto` (the screening gateway's detail
    cache forgets them), or None when there are more than `limit` events (forget everything)."""
    if upto - after > limit:
        return None
    table = connection.ops.quote_name(ChangeEvent._meta.db_table)
    rows = plain_statements.fetch(  # plain SQL, as current_index
        f"SELECT subject_key FROM {table} WHERE id > %s AND id <= %s",  # noqa: S608
        [after, upto],
    )
    return {row[0] for row in rows}


def subjects_with_measures() -> set[str]:
    """Every subject with a restriction or a listing row of its own, whatever its status: the only
    subjects `subject_details` can find anything for. A subject known only from the register (bulk-loaded
    from another court's list) has no court or case here, so the gateway asks nothing about it."""
    r, lst = Restriction._meta.db_table, Listing._meta.db_table
    qn = connection.ops.quote_name
    rows = plain_statements.fetch(  # plain SQL, as current_index
        f"SELECT subject_key FROM {qn(r)} UNION SELECT subject_key FROM {qn(lst)}",  # noqa: S608
        [],
    )
    return {row[0] for row in rows if row[0]}


def _as_date(value: Any) -> date:
    """A DATE column as read by a raw cursor (SQLite may hand over its ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


_ITEMS_MASK: dict[Any, int] = {}  # a consumption restriction's stored `items` → its screening mask


def _items_mask(raw: Any) -> int:
    """`rules.items_mask` of a stored `items` value (JSON text from a raw cursor), memoised: a register
    holds few distinct item lists."""
    key = raw if isinstance(raw, str) else json.dumps(raw)
    mask = _ITEMS_MASK.get(key)
    if mask is None:
        items = json.loads(raw) if isinstance(raw, str) else raw
        mask = rules.items_mask(items or [])
        if len(_ITEMS_MASK) < 4096:
            _ITEMS_MASK[key] = mask
    return mask


def _key_source(vendor: str) -> tuple[str, str]:
    """(a table of the statement's key list, bound as ONE parameter; the join that reads it first).

    SQLite: the JSON array's elements (`json_each`), CROSS JOIN so that they drive the join;
    PostgreSQL: the text array's (`unnest`). Each key then costs one index search. An ``IN (%s, …)``
    list of 10,000 placeholders cost 7× more on SQLite (10,000 parameters bound and an ephemeral index
    built over them per half of the statement: 15.7 ms against 2.1 ms for 10,000 subjects, measured).
    """
    if vendor == "postgresql":
        return "unnest(%s::text[]) AS j(value)", "JOIN"
    return "json_each(%s) AS j", "CROSS JOIN"


def _key_list(vendor: str, keys: list[str]) -> Any:
    """The parameter `_key_source` reads (SQLite: keys of ASCII letters and digits, as every resident
    ID and credit code is, need no escaping: joined in C instead of `json.dumps`)."""
    if vendor == "postgresql":
        return keys
    text = "".join(keys)
    if text.isascii() and text.encode("ascii").isalnum():
        return '["' + '","'.join(keys) + '"]' if keys else "[]"
    return json.dumps(keys)


_DETAILS_SQL: dict[str, str] = {}  # database alias → the statement (built once)


def _details_sql() -> str:
    """One statement for the details of a list of subjects (`_key_source`): the in-force restrictions
    (source 0) and the published listings (source 1), each with its court's name and its case's number.

    The same rows as the ORM's `Restriction.objects.filter(status=ACTIVE, effective_on__lte=today,
    awaiting_service=False)` and `published()` with ``court__name``, ``case__number`` (inner joins: both
    keys are required), written once by hand: the ORM compiled two querysets per call (≈ 1 ms of CPU
    for a screening group's hits, most of the gateway's per-check cost with a cold detail cache).
    """
    sql = _DETAILS_SQL.get(connection.alias)
    if sql is None:
        sql = _DETAILS_SQL[connection.alias] = _build_details_sql()
    return sql


def _build_details_sql() -> str:
    qn = connection.ops.quote_name
    r, lst = Restriction._meta, Listing._meta
    court, case = Court._meta, EnforcementCase._meta
    keys, join = _key_source(connection.vendor)

    def col(meta: Any, name: str) -> str:
        return qn(meta.get_field(name).column)

    court_name = f"c.{col(court, 'name')}"
    case_number = f"k.{col(case, 'number')}"
    return (
        f"SELECT 0, r.{col(r, 'subject_key')}, {court_name}, {case_number}, r.{col(r, 'effective_on')}, "  # noqa: S608
        f"r.{col(r, 'kind')}, r.{col(r, 'items')} "
        f"FROM {keys} {join} {qn(r.db_table)} r ON r.{col(r, 'subject_key')} = j.value "
        f"AND r.{col(r, 'status')} = %s AND r.{col(r, 'effective_on')} <= %s "
        f"AND r.{col(r, 'awaiting_service')} = %s "
        f"JOIN {qn(court.db_table)} c ON c.{qn(str(court.pk.column))} = r.{col(r, 'court')} "
        f"JOIN {qn(case.db_table)} k ON k.{qn(str(case.pk.column))} = r.{col(r, 'case')} "
        f"UNION ALL "
        f"SELECT 1, l.{col(lst, 'subject_key')}, {court_name}, {case_number}, l.{col(lst, 'publish_on')}, "
        f"NULL, NULL "
        f"FROM {keys} {join} {qn(lst.db_table)} l ON l.{col(lst, 'subject_key')} = j.value "
        f"AND l.{col(lst, 'status')} = %s AND l.{col(lst, 'publish_on')} <= %s "
        f"JOIN {qn(court.db_table)} c ON c.{qn(str(court.pk.column))} = l.{col(lst, 'court')} "
        f"JOIN {qn(case.db_table)} k ON k.{qn(str(case.pk.column))} = l.{col(lst, 'case')}"
    )


def subject_details(keys: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For restricted subjects: which court and case restrict them, since when (for the refusal message).

    Each in-force measure is one row with its screening `mask` (the codes it sets, as in the register),
    so that a partner is shown only the measures of its business (`visibility.visible_measures`).
    A subject's restrictions come first, earliest first, then its published listings. One plain
    statement (`_details_sql`, `core.plain_statements`), the keys bound as one list.
    """
    out: dict[str, list[dict[str, Any]]] = {}
    today = timezone.localdate()
    kinds = dict(Restriction.Kind.choices)
    exit_kind = Restriction.Kind.EXIT.value
    exit_bit = rules.CODE_BITS["exit"]
    blacklist_bit = rules.CODE_BITS["blacklist"]
    unique = list(dict.fromkeys(keys))
    restrictions: list[tuple[Any, ...]] = []
    listings: list[tuple[Any, ...]] = []
    ops = connection.ops
    day = ops.adapt_datefield_value(today)
    active_r, active_l = Restriction.Status.ACTIVE.value, Listing.Status.ACTIVE.value
    if unique:
        listed = _key_list(connection.vendor, unique)
        params = [listed, active_r, day, False, listed, active_l, day]
        for row in plain_statements.fetch(_details_sql(), params):
            (listings if row[0] else restrictions).append(row)
    restrictions.sort(key=lambda r: _as_date(r[4]))
    for _, key, court, number, since, kind, items in restrictions:
        out.setdefault(key, []).append(
            {
                "court": court,
                "case_number": number,
                "since": _as_date(since),
                "measure": kinds.get(kind, kind),
                "mask": exit_bit if kind == exit_kind else _items_mask(items),
            }
        )
    for _, key, court, number, since, _kind, _items in listings:
        out.setdefault(key, []).append(
            {
                "court": court,
                "case_number": number,
                "since": _as_date(since),
                "measure": "失信被执行人",
                "mask": blacklist_bit,
            }
        )
    return out


def change_feed(cursor: int, visible: int, limit: int = 1000) -> tuple[list[dict[str, Any]], int]:
    """Deltas after `cursor` visible to a partner: a subject 'added' or 'removed' for its business."""
    out: list[dict[str, Any]] = []
    last = cursor
    while len(out) < limit:
        rows = list(
            ChangeEvent.objects.filter(id__gt=last)
            .order_by("id")
            .values_list("id", "subject_key", "old_mask", "new_mask", "at")[: limit * 4]
        )
        if not rows:
            break
        deltas, consumed = feed_deltas(rows, visible, limit - len(out))
        out.extend(deltas)
        last = consumed if consumed is not None else last
    return out, last
