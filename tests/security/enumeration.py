"""The enumeration attack on the public blacklist query (issue 10 #1), as an outside attacker runs it.

An attacker reads one row of a name query — masked ID number, sex, age, court — and lists every resident
ID number consistent with it: the visible characters of the mask, a county code the national division
table (GB/T 2260, python-stdnum's copy) knows under the visible prefix, a birth date in the birth year
the published age implies (the page states its age policy: current year − birth year), a sequence whose
last digit has the published sex's parity, and the check character. Then it asks the query about each
candidate, hoping for a confirmation. Shared by the in-process and the real-server tests.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from stdnum import numdb

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_char(body17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, _WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class Disclosure:
    """What one public row tells about a person's ID number."""

    name: str
    id_masked: str
    sex: str  # 男 / 女
    age: int
    year: int  # the calendar year the row was read in

    @classmethod
    def of(cls, row: dict[str, Any], year: int) -> Disclosure:
        return cls(row["name"], row["id_masked"], row["sex"], int(row["age"]), year)

    def visible(self, number: str) -> bool:
        return all(m in ("*", c) for m, c in zip(self.id_masked, number, strict=True))


def counties(d: Disclosure) -> list[str]:
    """Six-digit division codes under the visible prefix that the national table knows."""
    db = numdb.get("cn/loc")
    prefix = d.id_masked[:6].split("*")[0]
    out = []
    for n in range(10 ** (6 - len(prefix))):
        code = f"{prefix}{n:0{6 - len(prefix)}d}"
        info = {k: v for _, props in db.info(code) for k, v in props.items()}
        if "county" in info and _shows(d, 0, code):
            out.append(code)
    return out


def _shows(d: Disclosure, start: int, text: str) -> bool:
    """Whether `text` at position `start` agrees with the visible characters of the mask."""
    return all(m in ("*", c) for m, c in zip(d.id_masked[start : start + len(text)], text, strict=True))


def birth_dates(d: Disclosure) -> list[date]:
    year = d.year - d.age
    first = date(year, 1, 1)
    days = 366 if calendar.isleap(year) else 365
    return [b for b in (first + timedelta(days=i) for i in range(days)) if _shows(d, 6, f"{b:%Y%m%d}")]


def sequences(d: Disclosure) -> list[str]:
    parity = 1 if d.sex == "男" else 0
    return [f"{s:03d}" for s in range(1000) if s % 2 == parity and _shows(d, 14, f"{s:03d}")]


def candidates(d: Disclosure, county: str | None = None) -> Iterator[str]:
    """Every ID number consistent with the row (in one county, when the attacker guesses it)."""
    days, seqs = birth_dates(d), sequences(d)
    for code in [county] if county else counties(d):
        for born in days:
            for seq in seqs:
                body = f"{code}{born:%Y%m%d}{seq}"
                number = body + check_char(body)
                if d.visible(number):
                    yield number


def candidate_count(d: Disclosure, county: str | None = None) -> int:
    """How many candidates `candidates` yields (counted one by one only when the check is visible)."""
    if d.id_masked[17] != "*":
        return sum(1 for _ in candidates(d, county))
    return len([county] if county else counties(d)) * len(birth_dates(d)) * len(sequences(d))


def is_candidate(number: str, d: Disclosure) -> bool:
    return (
        d.visible(number)
        and number[:6] in counties(d)
        and int(number[6:10]) == d.year - d.age
        and int(number[16]) % 2 == (1 if d.sex == "男" else 0)
        and check_char(number[:17]) == number[17]
    )
