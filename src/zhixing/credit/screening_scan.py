"""A line batch screened in bulk: the hits as arrays (line numbers, visible masks, subject keys), no dict.

Pure module (no Django). :meth:`ScreeningIndex.screen_lines` reads the same scan as a `LineBatch`; the
screening gateway assembles its answers straight from the arrays (`gateway.compact`).

Fast path, when every line is a resident ID's 18 characters (`screening._fast_bytes`): the body's bytes are
read as one ``(n, 19)`` array; the GB 11643 check characters and the int64 keys (`rules.id_key`: the 18
characters read in base 11, X = 10) come from two matrix products over it, so no string or int is made
per line before the index's set is asked (``map(set.__contains__)`` in C). Persons with an uncommon
mask are looked up in the index's small dict only among the lines that missed the common set. Anything
else (a credit code, a blank or malformed line, a control character) goes line by line, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np

from .rules import id_key, subject_invalid, uscc_check_ok

if TYPE_CHECKING:
    from .screening import LineBatch, ScreeningIndex

_POW11 = 11 ** np.arange(17, -1, -1, dtype=np.int64)  # id_key's base-11 place values (11^17 … 1)
_RIC_WEIGHTS = np.array((7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), dtype=np.int64)
_RIC_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8) - 48  # check character for S mod 11 (as digit)
_X = ord("X") - ord("0")


@dataclass(frozen=True)
class LineScan:
    """A screened line batch: `asked` lines; per hit, ascending by line: its 1-based line number
    (`positions`), the mask the partner may see (`masks`) and its key in caches (`keys`: `rules.id_key`
    of a resident ID, a unit's credit code as it is); the invalid lines and their reasons."""

    asked: int
    positions: np.ndarray
    masks: np.ndarray
    keys: list[int | str]
    invalid: list[int]
    reasons: dict[int, str] = field(default_factory=dict)
    lines: Sequence[str] | bytes = b""  # the items (or, fast path, the normalised body they are read from)

    def subjects(self, hits: Sequence[int]) -> list[str]:
        """The subject keys (the register's text) of the hits at these indexes into `positions`."""
        lines = self.lines
        if isinstance(lines, bytes):  # fast path: ASCII digits, X and line feeds only
            lines = lines.decode("ascii").split("\n")
        at = (self.positions[np.asarray(hits, dtype=np.intp)] - 1).tolist()
        return list(map(lines.__getitem__, at))

    def batch(self) -> LineBatch:
        from .screening import LineBatch

        hits = dict(zip(self.positions.tolist(), self.masks.tolist(), strict=True))
        return LineBatch(self.asked, hits, self.invalid, self.reasons)


class SortedKeys:
    """A sorted int64 copy of the index's common-mask key set, for a batch's look-ups in bulk.

    ``map(set.__contains__)`` over a batch costs a random memory access or two per line in a set of
    millions of int objects (≈ 0.2–0.4 µs a line measured here); a binary search of the batch's sorted
    keys in one sorted array is a few times cheaper (`np.searchsorted`). The copy is made with the
    index (`queries.index_at`) or when a batch first needs it; afterwards every key the index changes
    is `touch`ed, and a batch key that was touched is answered from the live set, so the answer is
    always the set's. The copy is made again when the touched keys exceed 1/64 of it (at least
    `REFRESH_AT`). Memory: 8 bytes a key.
    """

    REFRESH_AT = 10_000

    def __init__(self) -> None:
        self.base: np.ndarray | None = None
        self.tracking = False  # touched keys are recorded from the first copy on
        self.touched: set[int] = set()
        self.touched_sorted: np.ndarray | None = None

    def touch(self, key: int) -> None:
        if self.tracking:
            self.touched.add(key)
            self.touched_sorted = None

    def reset(self) -> None:
        self.base, self.tracking, self.touched, self.touched_sorted = None, False, set(), None

    def prepare(self, live: set[int]) -> np.ndarray:
        """The sorted copy, made (again) now if it is missing or too many keys were touched."""
        base = self.base
        if base is None or len(self.touched) > max(self.REFRESH_AT, len(base) >> 6):
            # Touches are recorded in a new set BEFORE the copy is read: a key changed by another thread
            # while the copy is made (np.sort releases the GIL) is answered from the live set. np.fromiter
            # walks the set in C without running Python code, so it never sees the set change meanwhile.
            self.tracking, self.touched, self.touched_sorted = True, set(), None
            base = np.sort(np.fromiter(live, dtype=np.int64))
            self.base = base
        return base

    def contains(self, live: set[int], keys: np.ndarray) -> np.ndarray:
        """``[k in live for k in keys]`` as a bool array."""
        found = _member(self.prepare(live), keys)
        if self.touched:
            ts = self.touched_sorted
            if ts is None:
                ts = self.touched_sorted = np.sort(np.fromiter(self.touched, np.int64))
            for i in np.flatnonzero(_member(ts, keys)).tolist():
                found[i] = int(keys[i]) in live
        return found


def _member(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which `keys` are in the sorted `table`; the keys searched in ascending order (a binary search
    then walks memory it has just read)."""
    if not len(table) or not len(keys):
        return np.zeros(len(keys), dtype=bool)
    order = np.argsort(keys)
    ordered = keys[order]
    at = np.searchsorted(table, ordered)
    at[at == len(table)] = 0
    found = np.empty(len(keys), dtype=bool)
    found[order] = table[at] == ordered
    return found


def _empty(n: int, invalid: list[int], reasons: dict[int, str], lines: Sequence[str] | bytes) -> LineScan:
    none = np.zeros(0, dtype=np.int64)
    return LineScan(n, none, none, [], invalid, reasons, lines)


def scan_fast(index: ScreeningIndex, data: bytes, n: int, visible: int) -> LineScan:
    """Screen `n` lines that passed `screening._fast_bytes` (normalised `data`)."""
    rows = np.frombuffer(data + b"\n", dtype=np.uint8).reshape(n, 19)
    digits = rows[:, :18].astype(np.int64) - 48  # X reads 40 here
    checks = _RIC_CHECK[(digits[:, :17] @ _RIC_WEIGHTS) % 11]
    wrong = np.flatnonzero(digits[:, 17] != checks).tolist()
    # A wrong check character is invalid (never a hit or a miss), unless the line is an all-digit credit
    # code whose GB 32100 check passes.
    bad = [i for i in wrong if not uscc_check_ok(data[19 * i : 19 * i + 18].decode())]
    digits[:, 17][digits[:, 17] == _X] = 10
    keys = digits @ _POW11
    masks = np.zeros(n, dtype=np.int64)
    common_visible = index.common_mask & visible
    if common_visible:
        masks[index.sorted_keys.contains(index.common, keys)] = common_visible
    if index.other:
        rest = np.flatnonzero(masks == 0)
        other = np.fromiter(map(index.other.get, keys[rest].tolist(), repeat(0)), np.int64, len(rest))
        masks[rest] = other & visible
    if bad:
        masks[bad] = 0
    hits = np.flatnonzero(masks)
    invalid = [i + 1 for i in bad]
    return LineScan(
        n, hits + 1, masks[hits], keys[hits].tolist(), invalid, dict.fromkeys(invalid, "check_digit"), data
    )


def scan_slow(index: ScreeningIndex, lines: list[str], visible: int) -> LineScan:
    """Screen lines one by one (credit codes, malformed or blank lines, control characters)."""
    invalid: list[int] = []
    reasons: dict[int, str] = {}
    positions: list[int] = []
    masks: list[int] = []
    keys: list[int | str] = []
    for pos, s in enumerate(lines, 1):
        reason = subject_invalid(s)
        if reason:
            invalid.append(pos)
            reasons[pos] = reason
            continue
        k = id_key(s)
        m = (index.units.get(s, 0) if k is None else index.mask_of_key(k)) & visible
        if m:
            positions.append(pos)
            masks.append(m)
            keys.append(s if k is None else k)
    if not positions:
        return _empty(len(lines), invalid, reasons, lines)
    return LineScan(
        len(lines),
        np.array(positions, dtype=np.int64),
        np.array(masks, dtype=np.int64),
        keys,
        invalid,
        reasons,
        lines,
    )


def empty_scan() -> LineScan:
    return _empty(0, [], {}, b"")
