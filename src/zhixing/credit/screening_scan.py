"""A line batch screened in bulk: the hits as arrays (line numbers, visible masks, subject keys), no dict.

Pure module (no Django). :meth:`ScreeningIndex.screen_lines` reads the same scan as a `LineBatch`; the
screening gateway assembles its answers straight from the arrays (`gateway.compact`).

Fast path, when every line is a resident ID's 18 characters (`screening._fast_bytes`): the body's bytes are
read as one ``(n, 19)`` array; the GB 11643 check characters and the int64 keys (`rules.id_key`: the 18
characters read in base 11, X = 10) come from two matrix products over it, so no string or int is made
per line; the keys are then looked up all at once in a hashed copy of the index's set (`KeyTable`).
Persons with an uncommon mask are looked up in the index's small dict only among the lines that missed
the common set. Anything else (a credit code, a blank or malformed line, a control character) goes line
by line, as before.
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


class KeyTable:
    """The index's common-mask key set as a hashed int64 table, for a batch's look-ups in bulk.

    ``map(set.__contains__)`` over a batch costs a random memory access or two per line in a set of
    millions of int objects (≈ 0.2–0.4 µs a line); a binary search in a sorted copy (`np.searchsorted`)
    is cheap while the copy fits the CPU's caches but not at the issue's scale: each of its ~24 steps
    waits for the one before, so at 10.59 M keys (85 MB) a 10,000-ID batch spent 4.5 ms in it against
    0.9 ms at 200,000. Here the keys are grouped by a hash bucket (one bucket a key on average, a
    bucket's keys side by side, `offsets` telling where each bucket starts): a look-up reads its
    bucket's bounds and compares a few keys, and numpy issues a batch's reads all at once, so their
    cache misses overlap (≈ 0.6–0.8 ms a batch at either size). Memory: 8 bytes a key and 4 a bucket.

    It stays exact while the index changes: the table is made with the index (`queries.index_at`) or
    when a batch first needs it; afterwards every key the index changes is `touch`ed, and a batch key
    that was touched is answered from the live set. The table is made again when the touched keys exceed
    1/64 of it (at least `REFRESH_AT`).
    """

    REFRESH_AT = 10_000

    def __init__(self) -> None:
        self.base: tuple[np.ndarray, np.ndarray] | None = None  # (keys by bucket, bucket offsets)
        self.tracking = False  # touched keys are recorded from the first table on
        self.touched: set[int] = set()
        self.touched_sorted: np.ndarray | None = None

    def touch(self, key: int) -> None:
        if self.tracking:
            self.touched.add(key)
            self.touched_sorted = None

    def reset(self) -> None:
        self.base, self.tracking, self.touched, self.touched_sorted = None, False, set(), None

    def prepare(self, live: set[int]) -> tuple[np.ndarray, np.ndarray]:
        """The table, made (again) now if it is missing or too many keys were touched."""
        base = self.base
        if base is None or len(self.touched) > max(self.REFRESH_AT, len(base[0]) >> 6):
            # Touches are recorded in a new set BEFORE the set is read: a key changed by another thread
            # while the table is made (numpy releases the GIL) is answered from the live set. np.fromiter
            # walks the set in C without running Python code, so it never sees the set change meanwhile.
            self.tracking, self.touched, self.touched_sorted = True, set(), None
            base = self.base = hashed_table(np.fromiter(live, dtype=np.int64, count=len(live)))
        return base

    def contains(self, live: set[int], keys: np.ndarray) -> np.ndarray:
        """``[k in live for k in keys]`` as a bool array."""
        found = _in_table(*self.prepare(live), keys)
        if self.touched:
            ts = self.touched_sorted
            if ts is None:
                ts = self.touched_sorted = np.sort(np.fromiter(self.touched, np.int64))
            for i in np.flatnonzero(_in_sorted(ts, keys)).tolist():
                found[i] = int(keys[i]) in live
        return found


_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)  # 2^64 / golden ratio: multiplicative hashing


def _buckets(keys: np.ndarray, size: int) -> np.ndarray:
    """Each key's bucket in [0, size): the key times 2^64/φ (wrapping), its high 32 bits scaled to `size`
    by a multiplication and a shift (no division; `size` < 2^32)."""
    mixed = (keys.astype(np.uint64) * _FIBONACCI) >> np.uint64(32)
    return np.asarray((mixed * np.uint64(size)) >> np.uint64(32), dtype=np.intp)


def hashed_table(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct int64 `keys` grouped by bucket (as many buckets as keys): (keys in bucket order, offsets),
    bucket b's keys being ``keys[offsets[b]:offsets[b + 1]]``."""
    size = max(1, len(keys))
    buckets = _buckets(keys, size)
    order = np.argsort(buckets, kind="stable")
    offsets = np.zeros(size + 1, dtype=np.int32 if size < 2**31 else np.int64)
    np.cumsum(np.bincount(buckets, minlength=size), out=offsets[1:])
    return keys[order], offsets


def _in_table(table: np.ndarray, offsets: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which `keys` are in a `hashed_table`: every key's bucket compared one slot a round, all keys
    at once (the rounds are as many as the fullest bucket asked, a handful)."""
    found = np.zeros(len(keys), dtype=bool)
    if not len(table) or not len(keys):
        return found
    buckets = _buckets(keys, len(offsets) - 1)
    lo = offsets[buckets].astype(np.intp)
    hi = offsets[buckets + 1].astype(np.intp)
    active = np.flatnonzero(hi > lo)
    lo, hi = lo[active], hi[active]
    while len(active):
        hit = table[lo] == keys[active]
        found[active[hit]] = True
        lo += 1
        going = ~hit & (lo < hi)
        active, lo, hi = active[going], lo[going], hi[going]
    return found


def _in_sorted(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which `keys` are in the sorted `table` (a small one: the touched keys)."""
    if not len(table) or not len(keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.searchsorted(table, keys)
    at[at == len(table)] = 0
    return np.asarray(table[at] == keys)


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
        masks[index.key_table.contains(index.common, keys)] = common_visible
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
