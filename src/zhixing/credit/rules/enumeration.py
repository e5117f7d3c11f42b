"""Enumeration detection: when a partner's screening looks like a walk through ID numbers."""

from __future__ import annotations

from dataclasses import dataclass

from .subjects import _RIC


# -- enumeration detection -----------------------------------------------------------------------------
@dataclass(frozen=True)
class EnumerationThresholds:
    """When a partner's screening looks like someone walking through ID numbers rather than travellers.

    All values are UNCONFIRMED operating choices (no rule or partner agreement fixes them); they are
    settings (``ZHIXING_ENUMERATION``, docs/credit.md) so an administrator can tune them per deployment.

    * ``window_seconds`` — the sliding unit: counters are kept per partner per fixed window.
    * ``max_volume`` — IDs asked in one window above which the partner is flagged whatever it asks.
    * ``min_sample`` / ``max_miss_ratio`` — with at least ``min_sample`` IDs asked in the window, a miss
      ratio at or above ``max_miss_ratio`` is flagged. The register holds ≈ 0.75 % of residents, so
      2,000 real travellers with no hit at all happen with probability ≈ 3 × 10⁻⁷.
    * ``sample_size`` / ``min_sequential_sample`` / ``near`` / ``max_sequential_share`` — of the last
      ``sample_size`` resident IDs asked (at least ``min_sequential_sample``), the share whose 17-digit
      body lies within ``near`` of another's (same area and birth date with a close sequence number, or
      the same sequence on the next day: 1,000 apart) is flagged at or above ``max_sequential_share``.
    """

    window_seconds: int = 600
    max_volume: int = 200_000
    min_sample: int = 2_000
    max_miss_ratio: float = 1.0
    sample_size: int = 200
    min_sequential_sample: int = 50
    near: int = 1_000
    max_sequential_share: float = 0.5


ENUMERATION_REASONS = {
    "volume": "查询量超过上限",
    "miss_ratio": "未命中比例异常",
    "sequential": "身份号码连号或近似连号",
}


def id_body(number: str) -> int | None:
    """The first 17 digits of a resident ID as an int (area, birth date, sequence); None if malformed."""
    if len(number) != 18 or not _RIC.fullmatch(number):
        return None
    return int(number[:17])


def sequential_share(bodies: list[int], near: int) -> float:
    """Share of `bodies` lying within `near` of another one (distinct values; duplicates do not count)."""
    values = sorted(set(bodies))
    if len(values) < 2:
        return 0.0
    close = 0
    for i, v in enumerate(values):
        before = i > 0 and v - values[i - 1] <= near
        after = i + 1 < len(values) and values[i + 1] - v <= near
        close += before or after
    return close / len(values)


def enumeration_signals(
    asked: int, hits: int, bodies: list[int], t: EnumerationThresholds
) -> tuple[tuple[str, ...], float]:
    """(Reasons tripped, sequential share) for a partner's window: `asked` IDs, `hits` of them restricted,
    `bodies` the recent resident IDs' bodies (:func:`id_body`). Reasons are keys of ENUMERATION_REASONS."""
    reasons: list[str] = []
    if asked > t.max_volume:
        reasons.append("volume")
    if asked >= t.min_sample and asked and (asked - hits) / asked >= t.max_miss_ratio:
        reasons.append("miss_ratio")
    share = 0.0
    if len(set(bodies)) >= t.min_sequential_sample:
        share = sequential_share(bodies, t.near)
        if share >= t.max_sequential_share:
            reasons.append("sequential")
    return tuple(reasons), share
