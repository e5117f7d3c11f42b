"""Precision, recall and Wilson score intervals; the gate's floors (pure)."""

from __future__ import annotations

import math
from typing import Any

Z95 = 1.959964


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of a proportion k/n (None when n = 0).

    Unlike k/n ± z·se it stays inside [0, 1] and is honest at 0/n and n/n.
    """
    if n <= 0:
        return None
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


def rate(k: int, n: int) -> dict[str, Any]:
    ci = wilson(k, n)
    return {
        "k": k,
        "n": n,
        "value": round(k / n, 4) if n else None,
        "ci95": [round(ci[0], 4), round(ci[1], 4)] if ci else None,
    }


def score(truth: list[bool], fired: list[bool]) -> dict[str, Any]:
    """Confusion counts with precision and recall (each with its Wilson 95 % interval)."""
    tp = sum(1 for t, f in zip(truth, fired, strict=True) if t and f)
    fp = sum(1 for t, f in zip(truth, fired, strict=True) if not t and f)
    fn = sum(1 for t, f in zip(truth, fired, strict=True) if t and not f)
    tn = len(truth) - tp - fp - fn
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": rate(tp, tp + fp),
        "recall": rate(tp, tp + fn),
    }


def floor(committed: dict[str, Any], gate: dict[str, Any], metric: str) -> float | None:
    """The lowest value the gate accepts for `metric` of a rule.

    The lower Wilson bound of the committed full-sample figure, but never above the committed value of
    the gate's own (smaller, fixed-seed) sample: the gate's sample is deterministic, so while nothing
    changes it reproduces that value exactly and passes; a change that moves the rule below both fails.
    """
    full, small = committed[metric], gate[metric]
    bounds = [x for x in ((full["ci95"] or [None])[0], small["value"]) if x is not None]
    return min(bounds) if bounds else None
