"""The in-memory screening index: who is restricted from what, answered without the database.

Pure module (no Django). Persons are keyed by :func:`rules.id_key` (an int64 per ID number); most
persons carry the same mask (every consumption item plus the blacklist), so the index keeps a plain
``set`` of int keys for that common mask and a small ``dict`` for every other mask: membership and
batch intersection run in C. Units (credit codes do not fit in 64 bits) live in a dict by code.
Updates come from the register's change log as (subject_key, new_mask) pairs.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress, repeat

import numpy as np

from .rules import (
    ALL_ITEMS,
    CODE_BITS,
    codes_of,
    control_char,
    id_key,
    items_mask,
    subject_invalid,
    uscc_check_ok,
)
from .screening_scan import KeyTable, LineScan, empty_scan, scan_fast, scan_slow

COMMON_MASK = items_mask(ALL_ITEMS) | CODE_BITS["blacklist"]


def _fast_bytes(data: bytes, n: int) -> bool:
    """`data` (a newline-joined batch of `n` items) is all 17 digits + digit/X; C-level scans only."""
    if len(data) != 19 * n - 1 or data[18::19] != b"\n" * (n - 1):
        return False  # some item is not exactly 18 characters
    if data.translate(None, b"0123456789X\n"):
        return False  # some other byte
    # An X is allowed only as the 18th character of an item.
    return data[17::19].count(b"X") == data.count(b"X")


_RIC_WEIGHTS = np.array((7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), dtype=np.int64)
_RIC_CHECK_BYTES = np.frombuffer(b"10X98765432", dtype=np.uint8)  # check character for S mod 11 = 0…10


def _bad_checks(data: bytes, n: int) -> list[int]:
    """0-based items of a fast-path batch (see :func:`_fast_bytes`) whose check character is wrong.

    GB 11643 MOD 11-2 for all items at once (one matrix product); the rare item that fails it is still
    valid when it is an all-digit credit code whose GB 32100 check passes.
    """
    rows = np.frombuffer(data + b"\n", dtype=np.uint8).reshape(n, 19)
    sums = (rows[:, :17].astype(np.int64) - 48) @ _RIC_WEIGHTS
    wrong = np.flatnonzero(rows[:, 17] != _RIC_CHECK_BYTES[sums % 11])
    if not len(wrong):
        return []
    return [i for i in wrong.tolist() if not uscc_check_ok(data[19 * i : 19 * i + 18].decode())]


def _joined(numbers: list[str]) -> bytes:
    # surrogatepass: a lone surrogate from JSON must not raise; it just fails the fast path.
    return "\n".join(numbers).encode("utf-8", "surrogatepass")


def normalise_lines(data: bytes) -> bytes:
    """A text batch as the index reads it: upper-case, LF line ends, no final newline, no UTF-8 BOM."""
    data = data.removeprefix(b"\xef\xbb\xbf").upper()
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data[:-1] if data.endswith(b"\n") else data


def count_lines(data: bytes) -> int:
    """How many items a text batch holds (checked against the limit before any screening work)."""
    data = normalise_lines(data)
    return data.count(b"\n") + 1 if data else 0


def batch_lines(data: bytes) -> list[str]:
    """The items of a text batch as text, by line (bytes that are not UTF-8 make that line invalid).

    Spaces around an item are dropped; a line holding a control character (a tab, NUL, …) is kept as it
    is, so that it is reported invalid (``control``), never trimmed into an ID and answered.
    """
    data = normalise_lines(data)
    if not data:
        return []
    text = data.decode(errors="replace")
    if control_char(text) is None:
        return [s.strip() for s in text.split("\n")]
    return [s if control_char(s) else s.strip() for s in text.split("\n")]


@dataclass(frozen=True)
class LineBatch:
    """Result of a compact batch: how many lines, hits by 1-based line → visible mask, invalid lines.

    `reasons` gives each invalid line's reason code (``rules.INVALID_REASONS``: format, check_digit, control).
    """

    asked: int
    hits: dict[int, int]
    invalid: list[int]
    reasons: dict[int, str] = field(default_factory=dict, compare=False)


def malformed(numbers: list[str]) -> dict[str, str]:
    """Items that are not a valid resident ID or credit code → reason (format, check_digit), in order.

    Fast (one C-level scan and one matrix product) when all items are 18-digit IDs.
    """
    if not numbers:
        return {}
    joined = _joined(numbers)
    if _fast_bytes(joined, len(numbers)):
        return {numbers[i]: "check_digit" for i in _bad_checks(joined, len(numbers))}
    out: dict[str, str] = {}
    for s in numbers:
        reason = subject_invalid(s)
        if reason:
            out[s] = reason
    return out


class ScreeningIndex:
    def __init__(self, common_mask: int = COMMON_MASK) -> None:
        self.common_mask = common_mask
        self.common: set[int] = set()
        self.other: dict[int, int] = {}
        self.units: dict[str, int] = {}
        self.cursor = 0  # id of the last change event applied
        self.key_table = KeyTable()  # `common` as a hashed array, for batches (`screening_scan`)
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.common) + len(self.other) + len(self.units)

    # -- updates -------------------------------------------------------------------------------------
    def set(self, subject_key: str, mask: int) -> None:
        key = id_key(subject_key)
        if key is None:
            if mask:
                self.units[subject_key] = mask
            else:
                self.units.pop(subject_key, None)
            return
        self.key_table.touch(key)
        if mask == self.common_mask:
            self.common.add(key)
            self.other.pop(key, None)
        else:
            self.common.discard(key)
            if mask:
                self.other[key] = mask
            else:
                self.other.pop(key, None)

    def load(self, rows: Iterable[tuple[str, int]]) -> None:
        for subject_key, mask in rows:
            self.set(subject_key, mask)

    def bulk_load_keys(self, keys: Iterable[int]) -> None:
        """Fast path for building a large register of common-mask persons (benchmark, rebuild)."""
        self.common.update(keys)
        self.key_table.reset()

    # -- look-ups ------------------------------------------------------------------------------------
    def mask_of(self, subject_key: str) -> int:
        key = id_key(subject_key)
        if key is None:
            return self.units.get(subject_key, 0)
        if key in self.common:
            return self.common_mask
        return self.other.get(key, 0)

    def mask_of_key(self, key: int) -> int:
        if key in self.common:
            return self.common_mask
        return self.other.get(key, 0)

    def _hit_masks(self, keys: list[int], visible: int) -> dict[int, int]:
        """Positions in `keys` of restricted persons → visible mask.

        Persons with the common mask are found with ``map(set.__contains__)`` + ``compress``; the rarer
        other masks with ``map(dict.get)``. No Python-level loop over the batch, only over the hits of
        uncommon masks.
        """
        positions = range(len(keys))
        out: dict[int, int] = {}
        common_visible = self.common_mask & visible
        if common_visible:
            out = dict.fromkeys(compress(positions, map(self.common.__contains__, keys)), common_visible)
        if self.other:
            masks = list(map(self.other.get, keys, repeat(0)))
            # compress keeps the positions with a mask, filter the masks themselves: same length.
            found = zip(compress(positions, masks), filter(None, masks), strict=True)
            extra = {i: m & visible for i, m in found}
            extra = {i: m for i, m in extra.items() if m}
            if extra:
                out.update(extra)
                out = dict(sorted(out.items()))
        return out

    def check_many(self, subject_keys: list[str], visible: int) -> dict[str, int]:
        """Restricted subjects among `subject_keys` with the mask this partner may see (misses omitted).

        Fast path, when every item is 18 characters of digits with at most a final X: the items are
        scanned as a line batch (`screening_scan.scan_fast`: arrays, no string or int per item).
        Anything else goes item by item.

        Invalid items (wrong form or check character, :func:`malformed`) are never answered as hits.
        """
        joined = _joined(subject_keys)
        if subject_keys and _fast_bytes(joined, len(subject_keys)):
            scan = scan_fast(self, joined, len(subject_keys), visible)
            lines = (scan.positions - 1).tolist()
            return dict(zip(map(subject_keys.__getitem__, lines), scan.masks.tolist(), strict=True))
        out: dict[str, int] = {}
        numbers: list[str] = []
        keys: list[int] = []
        for s in subject_keys:
            if subject_invalid(s):
                continue
            k = id_key(s)
            if k is None:
                m = self.units.get(s, 0) & visible
                if m:
                    out[s] = m
            else:
                numbers.append(s)
                keys.append(k)
        for i, m in self._hit_masks(keys, visible).items():
            out[numbers[i]] = m
        return out

    def scan_lines(self, data: bytes, visible: int) -> LineScan:
        """Screen a compact batch (the request body, one ID number or credit code per line) into arrays.

        Positions are 1-based line numbers. Blank or malformed lines are reported as invalid, never
        dropped, so positions always match the partner's file. The caller enforces the batch limit
        (:func:`count_lines` first). Fast path when every line is a resident ID: the body's bytes are
        read as one array (`screening_scan.scan_fast`: no string or int made per line).
        """
        data = normalise_lines(data)
        if not data:
            return empty_scan()
        n = data.count(b"\n") + 1
        if _fast_bytes(data, n):
            return scan_fast(self, data, n, visible)
        return scan_slow(self, batch_lines(data), visible)

    def screen_lines(self, data: bytes, visible: int) -> LineBatch:
        """:meth:`scan_lines` as a `LineBatch` (hits by line number)."""
        return self.scan_lines(data, visible).batch()

    def memory_bytes(self) -> int:
        """Approximate memory held by the index containers and int objects."""
        import sys

        n = len(self.common) + len(self.other)
        return sys.getsizeof(self.common) + sys.getsizeof(self.other) + sys.getsizeof(self.units) + n * 32


def keyed_hash(secret: str, number: str) -> str:
    """What a partner computes in privacy mode: hex HMAC-SHA256 of the ID number under the shared key."""
    return hmac.new(secret.encode(), number.encode(), hashlib.sha256).hexdigest()


def _signed64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def digest64(secret: bytes, number: str) -> int:
    """The stored prefix of a keyed hash: its first 8 bytes as a signed int64 (a BigIntegerField).

    8 bytes keep the partner's table small; a prefix match is always confirmed against the full hash,
    so a collision (≈ 3 × 10⁻⁶ for 10 M rows) can never return the wrong person.
    """
    return int.from_bytes(hmac.digest(secret, number.encode(), "sha256")[:8], "big", signed=True)


def hash_prefix(hex_hash: str) -> int:
    """:func:`digest64` of a partner's 64-hex-character keyed hash."""
    return _signed64(int(hex_hash[:16], 16))


def feed_deltas(
    rows: Iterable[tuple[int, str, int, int, object]], visible: int, limit: int
) -> tuple[list[dict[str, object]], int | None]:
    """Turn change events (id, subject, old mask, new mask, at) into a partner's deltas.

    Only what the partner may see counts: a subject is 'added' when its visible mask goes from empty to
    non-empty, 'removed' when it becomes empty, 'changed' otherwise; invisible changes are skipped.
    Returns the deltas and the id of the last event consumed (None if none).
    """
    out: list[dict[str, object]] = []
    last = None
    for eid, key, old, new, at in rows:
        last = eid
        before, after = old & visible, new & visible
        if before == after:
            continue
        action = "added" if not before else "removed" if not after else "changed"
        out.append({"seq": eid, "id": key, "action": action, "restrictions": codes_of(after), "at": at})
        if len(out) >= limit:
            break
    return out, last
