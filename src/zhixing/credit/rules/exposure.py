"""Exposure (曝光) targeting and delivery: the debtor's area, a media partner's coverage, retries."""

from __future__ import annotations

# -- exposure (曝光) targeting and delivery ---------------------------------------------------------------
AREA_PREFIX_LENGTHS = (2, 4, 6)  # GB/T 2260: province, prefecture, county


def debtor_area(kind: str, subject_key: str) -> str:
    """The six-digit division code of the debtor's registration area, or "" when it has none.

    A person: the household-registration area, the first 6 digits of the resident ID (GB 11643-1999);
    an organisation: the registration authority's division code, characters 3–8 of the unified social
    credit code (GB 32100-2015), i.e. where it is registered.
    """
    code = subject_key[:6] if kind == "person" else subject_key[2:8]
    return code if len(code) == 6 and code.isdigit() else ""


def covers(partner_area: str, area: str) -> bool:
    """A media partner covering `partner_area` (a 2/4/6-digit prefix; "" = nationwide) reaches `area`."""
    return bool(area) and area.startswith(partner_area)


def backoff_seconds(attempts: int, base: int, cap: int) -> int:
    """Wait before the next attempt after `attempts` unsuccessful ones: base · 2^(n−1), capped."""
    return int(min(cap, base * 2 ** max(0, attempts - 1)))
