"""Is a counterparty's stream of payments a regular income (or a regular payment)? Pure arithmetic.

Pay does not come on one day of the month: a salary may be paid every week, every two weeks, twice a
month, monthly, or irregularly (piece rates, a relative's "support"). A stream counts as regular when

- **periodic**: leaving out one-off amounts (more than `band` from the payer's median), the gaps between
  payments cluster in one cadence window of `cadences` (e.g. weekly 5–9 days, bi-weekly/semi-monthly
  12–17, monthly 25–35): at least `min_gap_share` of the gaps fall in the window of the median gap, and
  the amounts are stable (coefficient of variation ≤ `max_cv`); or
- **irregular but steady** (`irregular` configured): whatever the days, money comes in most months of the
  span (≥ `irregular.min_coverage` of the months from first to last payment, and at least
  `irregular.min_months` months: a longer record than a fixed cadence needs, so three chance transfers
  are not a wage) and the *monthly totals* are stable (coefficient of variation ≤ `irregular.max_cv`);

and in both cases it spans at least `min_months` calendar months and its monthly equivalent is at least
`min_amount` yuan.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import datetime
from statistics import median, pstdev
from typing import Any

DAYS_PER_MONTH = 30.44
LABELS = {
    "weekly": "每周",
    "biweekly": "每两周",
    "semimonthly": "每半月",
    "monthly": "每月",
    "irregular": "不定期但逐月稳定",
}


def _cv(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return pstdev(values) / mean if mean else 0.0


def _months(times: list[datetime]) -> list[tuple[int, int]]:
    return sorted({(t.year, t.month) for t in times})


def _span_months(times: list[datetime]) -> int:
    first, last = min(times), max(times)
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _cadence(gap: float, windows: dict[str, list[float]]) -> str:
    for name, (lo, hi) in windows.items():
        if lo <= gap <= hi:
            return name
    return ""


def periodic(times: list[datetime], amounts: list[float], cfg: dict[str, Any]) -> dict[str, Any] | None:
    """The periodic reading of a stream (already sorted by time), or None. Returns the cadence, the
    median gap in days, the amount CV and the indexes of the lines it rests on."""
    if len(times) < 3:
        return None
    mid = median(amounts)
    band = float(cfg.get("band", 0.15))
    core = [i for i, a in enumerate(amounts) if mid > 0 and abs(a - mid) <= band * mid]
    if len(core) < 3:
        return None
    ct = [times[i] for i in core]
    gaps = [(b - a).total_seconds() / 86400.0 for a, b in itertools.pairwise(ct)]
    gap = median(gaps)
    windows = cfg["cadences"]
    name = _cadence(gap, windows)
    if not name:
        return None
    lo, hi = windows[name]
    if sum(1 for g in gaps if lo <= g <= hi) < float(cfg.get("min_gap_share", 0.7)) * len(gaps):
        return None
    cv = _cv([amounts[i] for i in core])
    if cv > float(cfg["max_cv"]) or len(_months(ct)) < int(cfg["min_months"]):
        return None
    if name == "biweekly" and gap >= 14.5:
        name = "semimonthly"  # 1st and 16th: gaps of 15–16 days, not a fixed fortnight
    return {"cadence": name, "period_days": gap, "cv": cv, "core": core}


def irregular(times: list[datetime], amounts: list[float], cfg: dict[str, Any]) -> dict[str, Any] | None:
    """The irregular-but-steady reading (monthly totals), or None."""
    icfg = cfg.get("irregular")
    if not icfg or len(times) < 3:
        return None
    totals: dict[tuple[int, int], float] = defaultdict(float)
    for t, a in zip(times, amounts, strict=True):
        totals[(t.year, t.month)] += a
    months = len(totals)
    least = max(int(cfg["min_months"]), int(icfg.get("min_months", 0)))
    if months < least or months < float(icfg["min_coverage"]) * _span_months(times):
        return None
    cv = _cv(list(totals.values()))
    if cv > float(icfg["max_cv"]):
        return None
    gap = (max(times) - min(times)).total_seconds() / 86400.0 / (len(times) - 1)
    return {"cadence": "irregular", "period_days": gap, "cv": cv, "core": list(range(len(times)))}


def assess(
    times: list[datetime], amounts: list[float], ids: list[int], cfg: dict[str, Any]
) -> dict[str, Any] | None:
    """One counterparty's payments (sorted by time; amounts positive) judged against `cfg`; None when
    not regular. The result carries what the finding shows: cadence, months, lines, average amount,
    total, CV, typical gap in days, monthly equivalent and the evidence row ids."""
    found = periodic(times, amounts, cfg)
    if found is None:
        found = irregular(times, amounts, cfg)
    if found is None:
        return None
    core = found["core"]
    ct, ca = [times[i] for i in core], [amounts[i] for i in core]
    total = sum(ca)
    span_days = max((max(ct) - min(ct)).total_seconds() / 86400.0, 1.0)
    mean_gap = span_days / max(len(ct) - 1, 1)
    if found["cadence"] == "irregular":
        monthly = total / max(len(_months(ct)), 1)
    else:
        # the stream pays one amount per period: its monthly equivalent
        monthly = (total / len(ca)) * DAYS_PER_MONTH / max(found["period_days"], 1.0)
    if monthly < float(cfg["min_amount"]):
        return None
    return {
        "cadence": found["cadence"],
        "months": len(_months(ct)),
        "n": len(ca),
        "avg_amount": total / len(ca),
        "total": total,
        "cv": found["cv"],
        "period_days": mean_gap,
        "monthly": monthly,
        "span_days": span_days,
        "ids": [ids[i] for i in core],
    }
