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
from itertools import compress, repeat

from .rules import ALL_ITEMS, CODE_BITS, CREDIT_CODE, codes_of, id_key, items_mask, key_id

COMMON_MASK = items_mask(ALL_ITEMS) | CODE_BITS["blacklist"]


def _fast_batch(joined: str, n: int) -> bool:
    """`joined` (a newline-joined batch of `n` items) is all 17 digits + digit/X; C-level scans only."""
    if len(joined) != 19 * n - 1 or joined[18::19] != "\n" * (n - 1):
        return False  # some item is not exactly 18 characters
    body = joined.replace("\n", "").replace("X", "")
    if not (body.isascii() and body.isdigit()):
        return False
    # An X is allowed only as the 18th character of an item.
    return joined[17::19].count("X") == joined.count("X")


def malformed(numbers: list[str]) -> list[str]:
    """Items that are neither a well-formed resident ID nor a credit code (fast when all are IDs)."""
    if not numbers or _fast_batch("\n".join(numbers), len(numbers)):
        return []
    return [s for s in numbers if id_key(s) is None and not CREDIT_CODE.fullmatch(s)]


class ScreeningIndex:
    def __init__(self, common_mask: int = COMMON_MASK) -> None:
        self.common_mask = common_mask
        self.common: set[int] = set()
        self.other: dict[int, int] = {}
        self.units: dict[str, int] = {}
        self.cursor = 0  # id of the last change event applied
        self.lock = threading.Lock()
        self._keyed: dict[str, tuple[int, dict[str, str]]] = {}  # partner hmac key → (cursor, hash → ID)

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
        if mask == self.common_mask:
            self.common.add(key)
            self.other.pop(key, None)
        else:
            self.common.discard(key)
            if mask:
                self.other[key] = mask
            else:
                self.other.pop(key, None)
        self._keyed.clear()  # keyed tables are rebuilt lazily after any change

    def load(self, rows: Iterable[tuple[str, int]]) -> None:
        for subject_key, mask in rows:
            self.set(subject_key, mask)

    def bulk_load_keys(self, keys: Iterable[int]) -> None:
        """Fast path for building a large register of common-mask persons (benchmark, rebuild)."""
        self.common.update(keys)

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

    def check_many(self, subject_keys: list[str], visible: int) -> dict[str, int]:
        """Restricted subjects among `subject_keys` with the mask this partner may see (misses omitted).

        Fast path, when every item is 18 characters of digits with at most a final X: the batch is
        converted with C-level calls only (join, one character-class scan, ``int(…, 11)`` per item via
        ``map``, set membership via ``map``, ``compress``). Anything else goes item by item.
        """
        joined = "\n".join(subject_keys)
        if subject_keys and _fast_batch(joined, len(subject_keys)):
            keys = list(map(int, joined.replace("X", "A").split("\n"), repeat(11)))
            numbers: list[str] = subject_keys
            out: dict[str, int] = {}
        else:
            numbers, keys, out = [], [], {}
            for s in subject_keys:
                k = id_key(s)
                if k is None:
                    m = self.units.get(s, 0) & visible
                    if m:
                        out[s] = m
                else:
                    numbers.append(s)
                    keys.append(k)
        common_visible = self.common_mask & visible
        if common_visible:
            out.update(dict.fromkeys(compress(numbers, map(self.common.__contains__, keys)), common_visible))
        if self.other:
            for number, key in zip(numbers, keys, strict=True):
                m = self.other.get(key, 0) & visible
                if m:
                    out[number] = m
        return out

    # -- privacy mode --------------------------------------------------------------------------------
    def keyed_table(self, secret: str) -> dict[str, str]:
        """HMAC-SHA256(secret, ID) → ID for every restricted person, built once per partner key."""
        cached = self._keyed.get(secret)
        if cached is not None and cached[0] == self.cursor:
            return cached[1]
        raw = secret.encode()
        table: dict[str, str] = {}
        for key in (*self.common, *self.other):
            number = key_id(key)
            table[hmac.new(raw, number.encode(), hashlib.sha256).hexdigest()] = number
        for code in self.units:
            table[hmac.new(raw, code.encode(), hashlib.sha256).hexdigest()] = code
        self._keyed[secret] = (self.cursor, table)
        return table

    def memory_bytes(self) -> int:
        """Approximate memory held by the index containers and int objects."""
        import sys

        n = len(self.common) + len(self.other)
        return sys.getsizeof(self.common) + sys.getsizeof(self.other) + sys.getsizeof(self.units) + n * 32


def keyed_hash(secret: str, number: str) -> str:
    """What a partner computes in privacy mode: hex HMAC-SHA256 of the ID number under the shared key."""
    return hmac.new(secret.encode(), number.encode(), hashlib.sha256).hexdigest()


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
