"""Court and case details of hits, cached per subject with the index, and the answer fragments made of them.

A hit's answer depends only on the subject's measures and the partner's kind (`visibility.VIEWS`), so
besides the measures (`queries.subject_details` rows) the cache keeps, per partner kind and subject,
what the answers are made of: the single check's whole answer body, and the compact batch's tails (the
CSV row's or the JSON hit's end, encoded; `batch_tails`, keyed by the batch scan's key so that a cached
subject needs no string). A batch of hits then costs a dict look-up per hit and one join, a repeated
check a look-up. Everything a subject has cached is forgotten together, when the change log
names it (`follow`), on a rebuilt index, a new day, or when the cache is full.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from itertools import compress, repeat
from operator import is_
from typing import Any, cast

import numpy as np
from django.utils import timezone

from .. import queries
from ..rules import id_key
from ..screening import ScreeningIndex
from ..screening_scan import LineScan
from ..visibility import PartnerView, visible_measures, visible_since

DETAIL_CACHE_SUBJECTS = 200_000
NO_DETAILS: list[dict[str, Any]] = []  # a cached subject with no court or case (read only)


def shown_fields(view: PartnerView, measures: list[dict[str, Any]]) -> tuple[object, object, object] | None:
    """(since, court, case number) of the earliest in-force measure the partner may see, or None.

    Only measures of the partner's business count: a railway key is not told about an exit
    restriction's court and case, only about the measure that actually refuses its ticket; a field the
    partner kind may not see stays empty (`visible_measures` leaves it out).
    """
    rows = visible_measures(view, measures) if measures else ()
    if not rows:
        return None
    first = rows[0]
    since = first.get("since")
    return (since.isoformat() if since else None, first.get("court"), first.get("case_number"))


def _scan_keys(subjects: Iterable[str]) -> list[int | str]:
    """The subjects as the batch scan keys them (`LineScan.keys`: a resident ID's int key, else itself)."""
    return [k if n is None else n for k in subjects for n in (id_key(k),)]


class DetailCache:
    """`queries.subject_details` per subject, following the change log subject by subject, for one day.

    Every change to a subject's measures appends a change event naming it (`register.refresh_subject`,
    also when the mask stays), so when the index's cursor moves only the subjects named by the events
    in between are forgotten (one query for their keys); a subject nobody changed keeps its court and
    case details however busy the register is. A rebuilt index, a new day (measures come into force by
    date) or more than `FORGET_AT_MOST` events at once forget everything.
    """

    FORGET_AT_MOST = 10_000

    def __init__(self, limit: int = DETAIL_CACHE_SUBJECTS) -> None:
        self.limit = limit
        self.index: ScreeningIndex | None = None
        self.stamp: tuple[int, Any] = (-1, None)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        # (fragment name, partner kind) → subject → fragment; every entry's subject is in `rows`.
        self.fragments: dict[tuple[str, str], dict[str, Any]] = {}
        # (fragment name, partner kind) → the scan's key of a subject (`LineScan.keys`) → its batch tail.
        self.tails: dict[tuple[str, str], dict[int | str, bytes]] = {}
        # The subjects that may have details: those with a restriction or listing row when it was read,
        # and every subject a change event named since (a measure is never made without one). Any other
        # hit is a register-only subject (another court's list): NO_DETAILS, without a query.
        self.measured: set[str] | None = None
        self.measured_keys: set[int | str] = set()  # the same subjects as the batch scan keys them

    def _forget_all(self) -> None:
        self.rows = {}
        self.fragments = {}
        self.tails = {}
        self.measured = None

    def follow(self, index: ScreeningIndex, today: date | None = None) -> None:
        """Forget the subjects changed since the last call (all of them after a rebuild or a new day);
        `today` is the local date (by default `timezone.localdate()`)."""
        stamp = (index.cursor, today or timezone.localdate())
        if index is self.index and stamp == self.stamp:
            return
        changed = None
        if index is self.index and stamp[1] == self.stamp[1] and self.rows and stamp[0] > self.stamp[0]:
            changed = queries.changed_subjects(self.stamp[0], stamp[0], self.FORGET_AT_MOST)
        if changed is None:
            self._forget_all()
        else:
            scan_keys = _scan_keys(changed)
            if self.measured is not None:
                self.measured.update(changed)
                self.measured_keys.update(scan_keys)
            for key in changed:
                self.rows.pop(key, None)
            for cached in self.fragments.values():
                for key in changed:
                    cached.pop(key, None)
            for tails in self.tails.values():
                for scan_key in scan_keys:
                    tails.pop(scan_key, None)
        self.index, self.stamp = index, stamp

    def get(self, keys: list[str]) -> dict[str, list[dict[str, Any]]]:
        self._load(keys)
        rows = self.rows
        return {k: rows[k] for k in keys}

    def _load(self, keys: list[str]) -> None:
        rows = self.rows
        missing = [k for k in dict.fromkeys(keys) if k not in rows]
        if missing:
            measured = self._measured()
            asked = [k for k in missing if k in measured]
            found = queries.subject_details(asked) if asked else {}
            if len(rows) + len(missing) > self.limit:
                self._forget_all()
                self.measured = measured  # still true: only the cache was full
                rows = self.rows
            # one shared (never changed) empty list: no object per plain subject; C-level, no loop
            rows.update(zip(missing, map(found.get, missing, repeat(NO_DETAILS)), strict=True))

    def _measured(self) -> set[str]:
        """The subjects that may have details (read once, then kept up by `follow`)."""
        if self.measured is None:
            self.measured = queries.subjects_with_measures()
            self.measured_keys = set(_scan_keys(self.measured))
        return self.measured

    def fragments_of(
        self,
        name: str,
        kind: str,
        keys: list[str],
        make: Callable[[list[dict[str, Any]]], Any],
    ) -> dict[str, Any]:
        """subject → `make(its measures)` for a partner kind, made once per subject (cached with it).

        The caller reads the result with the keys it passed (all present); a subject made once costs a
        dict look-up afterwards.
        """
        cached = self.fragments.setdefault((name, kind), {})
        missing = [k for k in dict.fromkeys(keys) if k not in cached]
        if missing:
            before = self.fragments
            self._load(missing)
            if self.fragments is not before:  # the cache was full and was emptied: make them all again
                self._load(keys)
                cached = self.fragments.setdefault((name, kind), {})
                missing = list(dict.fromkeys(keys))
            rows = list(map(self.rows.__getitem__, missing))
            cached.update(zip(missing, map(make, rows), strict=True))
        return cached

    def batch_tails(
        self, name: str, kind: str, scan: LineScan, make: Callable[[list[dict[str, Any]]], bytes]
    ) -> list[bytes]:
        """Each hit's tail (`make(its measures)`, for a partner kind), in the scan's order; made once
        per subject and cached with it under the scan's key (`LineScan.keys`: no subject string is made
        for a cached one). A batch's new subjects' measures are read in one query; the tail of a subject
        without court or case details does not depend on the subject (`make(NO_DETAILS)`, shared)."""
        cached = self.tails.setdefault((name, kind), {})
        out = list(map(cached.get, scan.keys))
        if None not in out:
            return cast(list[bytes], out)
        missing = list(compress(range(len(out)), map(is_, out, repeat(None))))
        self._measured()
        keys = scan.keys
        # Only subjects with measures of their own are read and cached; every other hit (a register-only
        # subject) has the one shared plain tail, made here and never stored per subject.
        measured = self.measured_keys
        asked = list(compress(missing, map(measured.__contains__, map(keys.__getitem__, missing))))
        plain = make(NO_DETAILS)
        if not asked and len(missing) == len(out):
            return [plain] * len(out)
        filled = np.array(out, dtype=object)
        filled[missing] = plain
        if asked:
            subjects = scan.subjects(asked)
            found = queries.subject_details(subjects)
            made = {key: make(rows) for key, rows in found.items()}
            tails = list(map(made.get, subjects, repeat(plain)))
            if len(cached) + len(asked) > self.limit:
                cached.clear()
            cached.update(zip(map(keys.__getitem__, asked), tails, strict=True))
            filled[asked] = tails
        return cast(list[bytes], filled.tolist())


def check_body(
    key: str, mask: int, codes: list[str], labels: list[str], view: PartnerView, rows: Any
) -> bytes:
    """The single check's answer body (as the ninja handler gave it; `since` only for a kind that sees it)."""
    body: dict[str, Any] = {"id": key, "restricted": bool(mask), "restrictions": codes, "labels": labels}
    if "since" in view.fields:  # a field the kind may not see is absent, not null
        since = visible_since(view, rows)
        body["since"] = since.isoformat() if since else None
    body["cases"] = [_dated(m) for m in visible_measures(view, rows)]
    try:
        return json.dumps(body, ensure_ascii=False, default=str).encode()
    except UnicodeEncodeError:  # pragma: no cover - keys are validated subject keys
        return json.dumps(body, default=str).encode()


def _dated(measure: dict[str, Any]) -> dict[str, Any]:
    since = measure.get("since")
    if since is not None:
        return {**measure, "since": since.isoformat()}
    return measure
