"""Synthetic resident ID numbers for load tests and the screening benchmark (pure: no Django).

`synthetic_id(i)` is the i-th of a deterministic series of VALID resident IDs (GB 11643 check character,
real county codes, birth dates 1950–1999): the persons `manage.py credit_load_register` puts on the
register are `synthetic_id(0 … N-1)`; `synthetic_id(i, listed=False)` is a different valid person who
is never put there (a miss). The series is spread over counties and birth dates, so consecutive numbers
of the series are not sequential ID numbers (the enumeration detector's "sequential" signal).
"""

from __future__ import annotations

from datetime import date, timedelta

from stdnum.cn import ric as _ric

# County-level codes (GB/T 2260) of 40 districts across the provinces.
AREAS = (
    "110101",
    "110105",
    "110108",
    "120101",
    "130102",
    "140105",
    "150102",
    "210102",
    "220102",
    "230102",
    "310101",
    "310104",
    "310115",
    "320102",
    "330102",
    "340102",
    "350102",
    "360102",
    "370102",
    "410102",
    "420102",
    "430102",
    "440103",
    "440104",
    "440106",
    "440304",
    "450102",
    "460105",
    "500103",
    "510104",
    "520102",
    "530102",
    "540102",
    "610102",
    "620102",
    "630102",
    "640104",
    "650102",
    "320505",
    "330106",
)
_FIRST = date(1950, 1, 1)
_DAYS = 18_262  # 1950-01-01 … 1999-12-31
_MISS_SEQ = 500  # listed persons take sequence numbers below 500, misses from 500 up


def synthetic_id(i: int, *, listed: bool = True) -> str:
    """The i-th synthetic person (0 ≤ i < 40 × 18,262 × 500 ≈ 365 M)."""
    area = AREAS[i % len(AREAS)]
    j = i // len(AREAS)
    born = _FIRST + timedelta(days=(j * 7919) % _DAYS)  # a prime stride: neighbours are far apart
    seq = j // _DAYS + (0 if listed else _MISS_SEQ)
    body = f"{area}{born:%Y%m%d}{seq:03d}"
    return body + _ric.calc_check_digit(body + "0")  # stdnum reads the body before a check character
