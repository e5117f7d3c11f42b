"""Screening reads: the in-memory screening index, the change feed, a subject's measures."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection
from django.utils import timezone

from . import rules
from .models import (
    ChangeEvent,
    Listing,
    RestrictedSubject,
    Restriction,
)
from .queries_public import published
from .screening import ScreeningIndex, feed_deltas

# -- screening ----------------------------------------------------------------------
_INDEX = ScreeningIndex()
_INDEX_LOCK = threading.Lock()


def reset_index() -> None:
    """Forget the in-memory index (tests; after a restore)."""
    global _INDEX
    with _INDEX_LOCK:
        _INDEX = ScreeningIndex()


def current_index() -> ScreeningIndex:
    """The process's screening index, brought up to date with the change log (one cheap query)."""
    global _INDEX
    with connection.cursor() as cursor:  # plain SQL: the ORM's aggregate compiles for ~0.1 ms per call
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(ChangeEvent._meta.db_table)}")  # noqa: S608
        last = int(cursor.fetchone()[0] or 0)
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
    with connection.cursor() as cursor:  # plain SQL, as current_index
        cursor.execute(
            f"SELECT subject_key FROM {table} WHERE id > %s AND id <= %s",  # noqa: S608
            [after, upto],
        )
        return {row[0] for row in cursor.fetchall()}


_DETAIL_CHUNK = 5000  # subjects per query (every backend's limit of bound parameters is above it)


def _key_in(model: Any, keys: list[str]) -> tuple[str, list[str]]:
    """``<table>.subject_key IN (%s, …)`` for `extra(where=…)`: the same SQL as ``subject_key__in``
    without Django's per-value lookup preparation, which costs ~10 µs per key (0.2 s for a batch of
    10,000 hits)."""
    table = connection.ops.quote_name(model._meta.db_table)
    return f"{table}.subject_key IN ({', '.join(['%s'] * len(keys))})", keys


def subject_details(keys: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For restricted subjects: which court and case restrict them, since when (for the refusal message).

    Each in-force measure is one row with its screening `mask` (the codes it sets, as in the register),
    so that a partner is shown only the measures of its business (`visibility.visible_measures`).
    """
    out: dict[str, list[dict[str, Any]]] = {}
    today = timezone.localdate()
    kinds = dict(Restriction.Kind.choices)
    exit_bit = rules.CODE_BITS["exit"]
    unique = list(dict.fromkeys(keys))
    chunks = [unique[i : i + _DETAIL_CHUNK] for i in range(0, len(unique), _DETAIL_CHUNK)]
    rows: list[tuple[Any, ...]] = []
    for chunk in chunks:
        where, params = _key_in(Restriction, chunk)
        rows.extend(
            Restriction.objects.filter(
                status=Restriction.Status.ACTIVE, effective_on__lte=today, awaiting_service=False
            )
            .extra(where=[where], params=params)  # noqa: S610 - placeholders only, values bound
            .values_list("subject_key", "court__name", "case__number", "effective_on", "kind", "items")
        )
    rows.sort(key=lambda r: r[3])
    for key, court, number, since, kind, items in rows:
        out.setdefault(key, []).append(
            {
                "court": court,
                "case_number": number,
                "since": since,
                "measure": kinds.get(kind, kind),
                "mask": exit_bit if kind == Restriction.Kind.EXIT else rules.items_mask(items),
            }
        )
    for chunk in chunks:
        where, params = _key_in(Listing, chunk)
        for key, court, number, since in (
            published()
            .extra(where=[where], params=params)  # noqa: S610 - placeholders only, values bound
            .values_list("subject_key", "court__name", "case__number", "publish_on")
        ):
            out.setdefault(key, []).append(
                {
                    "court": court,
                    "case_number": number,
                    "since": since,
                    "measure": "失信被执行人",
                    "mask": rules.CODE_BITS["blacklist"],
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
