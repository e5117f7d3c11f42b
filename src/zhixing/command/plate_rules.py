"""Licence-plate arithmetic for vehicle watch (车辆布控): normalising, validating and OCR-tolerant matching.

Pure: no Django, no database. Car-park cameras misread a handful of look-alike characters (0/D/O/Q,
8/B, 1/I/L, 5/S, 2/Z, 6/G); the watched 粤AB5218 read as 粤A85Z18 must still match
(every difference is such a confusion), and a plate with an unrelated difference must not.

Matching works on a *confusion key*: every character replaced by its confusion class' representative, so
all OCR variants of a plate share one key and one dictionary look-up finds the candidates (O(1) per read,
however long the watchlist). The candidates are then scored: each position where the read and the watched
plate differ costs `CONFUSION_COST`; a hit needs `score >= threshold` (configurable,
`ZHIXING_COMMAND["plate_threshold"]`). With the default 0.75, at most two confusions are tolerated.

The province character (粤, 京…) is compared as is: OCR engines of Chinese plates recognise it with its
own classifier, and a different province is a different car.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

# Look-alike groups; the first character of each group is the class' representative.
CONFUSIONS: tuple[str, ...] = ("0DOQ", "8B", "1IL", "5S", "2Z", "6G")
_CLASS: dict[str, str] = {c: group[0] for group in CONFUSIONS for c in group}

CONFUSION_COST = 0.125
DEFAULT_THRESHOLD = 0.75

# A read: province, issuing-authority letter, then 5 (ordinary) or 6 (new-energy) letters or digits.
# Cameras may report I and O, which real plates never carry, and a look-alike digit for the authority
# letter (0 for D, 8 for B…): accepted here, resolved by the confusion key.
PLATE_RE = re.compile(rf"^[{PROVINCES}][A-Z012568][A-Z0-9]{{5,6}}$")
_DROP = str.maketrans("", "", " ·.-_•")


class PlateError(ValueError):
    """A plate that cannot be a Chinese licence plate; the message is Chinese and names the plate."""


def normalise(raw: str) -> str:
    """Upper-case half-width form without separators: '粤ａ·12345' → '粤A12345'."""
    text = unicodedata.normalize("NFKC", raw or "").upper().translate(_DROP)
    return text.strip()


def validate(raw: str) -> str:
    """The normalised plate, or PlateError saying what is wrong with it."""
    plate = normalise(raw)
    if not plate:
        raise PlateError("车牌号为空")
    if plate[0] not in PROVINCES:
        raise PlateError(f"车牌号“{raw}”首字不是省份简称")
    if not PLATE_RE.match(plate):
        raise PlateError(f"车牌号“{raw}”格式不正确（应为省份简称+字母+5至6位字母或数字）")
    return plate


def confusion_key(plate: str) -> str:
    """The key every OCR variant of `plate` shares (province kept, look-alikes folded)."""
    return plate[:1] + "".join(_CLASS.get(c, c) for c in plate[1:])


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


class Watchlist:
    """An in-memory index of watched plates by confusion key: `match(read)` is one dict look-up."""

    def __init__(self, entries: Iterable[tuple[int, str]] = ()) -> None:
        self._by_key: dict[str, object] = {}
        self.size = 0
        for watch_id, plate in entries:
            self.add(watch_id, plate)

    def add(self, watch_id: int, plate: str) -> None:
        key = confusion_key(plate)
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

    def _candidates(self, key: str) -> Iterator[tuple[int, str]]:
        found = self._by_key.get(key)
        if found is None:
            return iter(())
        return iter(found) if isinstance(found, list) else iter((found,))  # type: ignore[arg-type]

    def match(self, read: str, threshold: float = DEFAULT_THRESHOLD) -> Match | None:
        """The best watched plate `read` may be, if its score reaches `threshold`; exact wins ties."""
        best: Match | None = None
        for watch_id, plate in self._candidates(confusion_key(read)):
            s = score(read, plate)
            if s >= threshold and (best is None or s > best.score):
                best = Match(watch_id, plate, s)
        return best
