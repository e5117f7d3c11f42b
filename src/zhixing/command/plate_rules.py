"""Licence-plate arithmetic for vehicle watch (车辆布控): normalising, validating and OCR-tolerant matching.

Pure: no Django, no database. Car-park cameras misread a handful of look-alike characters (0/D/O/Q,
8/B, 1/I/L, 5/S, 2/Z, 6/G); the watched 粤AB5218 read as 粤A85Z18 must still match
(every difference is such a confusion), and a plate with an unrelated difference must not.

Matching works on a *confusion key*: every character replaced by its confusion class' representative, so
all OCR variants of a plate share one key and one dictionary look-up finds the candidates (O(1) per read,
however long the watchlist). The candidates are then scored: each position where the read and the watched
plate differ costs `CONFUSION_COST`; a hit needs `score >= threshold` (configurable,
`ZHIXING_COMMAND["plate_threshold"]`). With the default 0.75, at most two confusions are tolerated.

Precision scales with the watchlist. Folding look-alikes shrinks the key space, so the chance that an
unwatched car's plate, read correctly, lands within a few look-alikes of *some* watched plate grows with
the list: ~2.6 other real plates are one look-alike away from a typical plate, out of 24 × 34⁵ ≈ 1.1e9
ordinary plates of a province. The list counts, as it is built, the expected false hits per read of an
unwatched car for each number of tolerated confusions (`Watchlist.false_hit_rate`); `tolerance(budget)`
is the largest number whose rate stays within the budget (`ZHIXING_COMMAND["plate_false_hit_budget"]`,
default 1e-5 per read). An exact match always alerts; a look-alike match within the tolerance alerts;
one beyond it is a *possible sighting* (疑似), kept without an alert (`Match.alerts`).

The province character (粤, 京…) is compared as is: OCR engines of Chinese plates recognise it with its
own classifier, and a different province is a different car.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

# Look-alike groups; the first character of each group is the class' representative.
CONFUSIONS: tuple[str, ...] = ("0DOQ", "8B", "1IL", "5S", "2Z", "6G")
_CLASS: dict[str, str] = {c: group[0] for group in CONFUSIONS for c in group}

CONFUSION_COST = 0.125
DEFAULT_THRESHOLD = 0.75
DEFAULT_FALSE_HIT_BUDGET = 1e-5  # expected false look-alike alerts per read of an unwatched car
MAX_CONFUSIONS = 2  # counted per watchlist (`false_hit_rate`); more are never tolerated at 0.75

# What other cars carry: real plates have no I or O; the authority letter is a letter.
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PLATE_ALNUM = PLATE_LETTERS + "0123456789"
_KEY_TABLE = str.maketrans(_CLASS)
# Per character: how many *other* real-plate characters it can be mistaken for, as the authority letter
# and at the later positions (D→0/Q, B→8, but I and O never appear on a plate).
_ALTERNATES_FIRST = {c: sum(1 for x in g if x != c and x in PLATE_LETTERS) for g in CONFUSIONS for c in g}
_ALTERNATES = {c: sum(1 for x in g if x != c and x in PLATE_ALNUM) for g in CONFUSIONS for c in g}
EXACT_SAMPLE = 10_000  # plates counted one by one for the false-hit rate; beyond, every SAMPLE_EVERY-th
SAMPLE_EVERY = 50

# A read: province, issuing-authority letter, then 5 (ordinary) or 6 (new-energy) letters or digits.
# Cameras may report I and O, which real plates never carry, and a look-alike digit for the authority
# letter (0 for D, 8 for B…): accepted here, resolved by the confusion key. `validate` checks the same
# with string methods (tests/command/field/test_plate_rules.py compares them).
PLATE_RE = re.compile(rf"^[{PROVINCES}][A-Z012568][A-Z0-9]{{5,6}}$")
_DROP = str.maketrans("", "", " ·.-_•")


class PlateError(ValueError):
    """A plate that cannot be a Chinese licence plate; the message is Chinese and names the plate."""


def normalise(raw: str) -> str:
    """Upper-case half-width form without separators: '粤ａ·12345' → '粤A12345'."""
    text = raw or ""
    if not unicodedata.is_normalized("NFKC", text):  # a C-speed check: cameras send NFKC already
        text = unicodedata.normalize("NFKC", text)
    return text.upper().translate(_DROP).strip()


_PROVINCE_SET = frozenset(PROVINCES)
_AUTHORITY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ012568")


def validate(raw: str) -> str:
    """The normalised plate, or PlateError saying what is wrong with it (the checks of `PLATE_RE`, by
    string methods: one read costs no regular-expression run)."""
    plate = normalise(raw)
    if not plate:
        raise PlateError("车牌号为空")
    if plate[0] not in _PROVINCE_SET:
        raise PlateError(f"车牌号“{raw}”首字不是省份简称")
    rest = plate[2:]
    if not (
        7 <= len(plate) <= 8
        and plate[1] in _AUTHORITY
        and rest.isascii()
        and rest.isalnum()  # ASCII and upper-cased: A-Z and 0-9 only
    ):
        raise PlateError(f"车牌号“{raw}”格式不正确（应为省份简称+字母+5至6位字母或数字）")
    return plate


def canonical(raw: str) -> bool:
    """True when `raw` is a valid plate already in normalised form (`validate(raw) == raw`): a camera's
    usual answer, recognised without normalising it."""
    rest = raw[2:]
    return (
        7 <= len(raw) <= 8
        and raw[0] in _PROVINCE_SET
        and raw[1] in _AUTHORITY
        and rest.isascii()
        and rest.isalnum()
        and (rest.isupper() or rest.isdigit())
    )


def confusion_key(plate: str) -> str:
    """The key every OCR variant of `plate` shares (province kept, look-alikes folded)."""
    return plate.translate(_KEY_TABLE)  # province characters are in no class


def neighbours(plate: str) -> tuple[int, ...]:
    """How many other real plates are exactly 1, 2 … `MAX_CONFUSIONS` look-alikes away from `plate`
    (the elementary symmetric sums of the per-position alternatives)."""
    sums = [1] + [0] * MAX_CONFUSIONS
    for i, c in enumerate(plate[1:]):
        a = (_ALTERNATES_FIRST if i == 0 else _ALTERNATES).get(c, 0)
        if a:
            for k in range(MAX_CONFUSIONS, 0, -1):
                sums[k] += sums[k - 1] * a
    return tuple(sums[1:])


def plate_space(plate: str) -> int:
    """Real plates of `plate`'s province and length: a letter, then letters or digits."""
    return len(PLATE_LETTERS) * len(PLATE_ALNUM) ** max(len(plate) - 2, 0)


def score(read: str, watched: str) -> float:
    """1.0 for identical plates, minus CONFUSION_COST per look-alike difference; 0.0 if any difference is
    not a confusion (different length, province or class)."""
    if len(read) != len(watched) or read[:1] != watched[:1]:
        return 0.0
    s = 1.0
    for a, b in zip(read[1:], watched[1:], strict=True):
        if a == b:
            continue
        if _CLASS.get(a, a) != _CLASS.get(b, b):
            return 0.0
        s -= CONFUSION_COST
    return max(s, 0.0)


@dataclass(frozen=True)
class Match:
    watch_id: int
    plate: str
    score: float
    alerts: bool = True  # False: a possible sighting (look-alikes beyond the list's tolerance)


class Watchlist:
    """An in-memory index of watched plates by confusion key: `match(read)` is one dict look-up."""

    def __init__(self, entries: Iterable[tuple[int, str]] = ()) -> None:
        self._by_key: dict[str, object] = {}
        self.size = 0
        # Expected false hits per unwatched read at exactly 1, 2 … confusions, summed over the plates.
        self._rates = [0.0] * MAX_CONFUSIONS
        for watch_id, plate in entries:
            self.add(watch_id, plate)

    def add(self, watch_id: int, plate: str) -> None:
        if self.size < EXACT_SAMPLE or self.size % SAMPLE_EVERY == 0:
            weight = 1 if self.size < EXACT_SAMPLE else SAMPLE_EVERY
            space = plate_space(plate)
            for k, n in enumerate(neighbours(plate)):
                self._rates[k] += weight * n / space
        key = plate.translate(_KEY_TABLE)
        item = (watch_id, plate)
        found = self._by_key.get(key)
        # One entry per key is the norm: store the tuple itself, a list only on a collision (memory at 1 M).
        if found is None:
            self._by_key[key] = item
        elif isinstance(found, list):
            found.append(item)
        else:
            self._by_key[key] = [found, item]
        self.size += 1

    def false_hit_rate(self, confusions: int) -> float:
        """Expected look-alike matches per read of an unwatched car (read correctly, of the watched plates'
        province) when up to `confusions` look-alikes are tolerated."""
        return sum(self._rates[: max(0, min(confusions, MAX_CONFUSIONS))])

    def tolerance(self, budget: float = DEFAULT_FALSE_HIT_BUDGET) -> int:
        """The most look-alikes a match may have and still alert: the largest number whose expected
        false-hit rate stays within `budget` (0: only exact matches alert)."""
        k = 0
        while k < MAX_CONFUSIONS and self.false_hit_rate(k + 1) <= budget:
            k += 1
        return k

    def match(
        self, read: str, threshold: float = DEFAULT_THRESHOLD, tolerance: int | None = None
    ) -> Match | None:
        """The best watched plate `read` may be, if its score reaches `threshold`; exact wins ties. The
        match alerts when it has at most `tolerance` look-alikes (`tolerance()`; None: any number), else
        it is a possible sighting."""
        found: Any = self._by_key.get(read.translate(_KEY_TABLE))
        if found is None:  # nearly every read: one dict miss
            return None
        best: tuple[int, str, float] | None = None
        for watch_id, plate in found if isinstance(found, list) else (found,):
            s = score(read, plate)
            if s >= threshold and (best is None or s > best[2]):
                best = (watch_id, plate, s)
        if best is None:
            return None
        confusions = round((1.0 - best[2]) / CONFUSION_COST)
        return Match(best[0], best[1], best[2], alerts=tolerance is None or confusions <= tolerance)
