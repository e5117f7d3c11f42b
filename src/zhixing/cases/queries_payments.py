"""Money performed on cases, read in bulk for other domains (credit's published 履行情况 and statistics).

The dated amounts as `queries.case_payments` answers them for one case — a reversal cancels the latest
earlier payments it undoes — for many cases in one query, with each case's obligation (执行标的额).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from .models import EnforcementCase, Payment


def net(rows: Iterable[tuple[date, Decimal]]) -> list[tuple[date, Decimal]]:
    """Dated payments in date order with reversals (negative rows) netted against the latest before."""
    kept: list[list[Any]] = []
    for paid_on, amount in rows:
        if amount > 0:
            kept.append([paid_on, amount])
            continue
        owed = -amount
        while owed > 0 and kept:
            take = min(owed, kept[-1][1])
            kept[-1][1] -= take
            owed -= take
            if kept[-1][1] == 0:
                kept.pop()
    return [(d, a) for d, a in kept]


def dated_payments(case_ids: Iterable[int]) -> dict[int, list[tuple[date, Decimal]]]:
    """{case id: its net dated payments}; a case without payments maps to []."""
    ids = sorted(set(case_ids))
    raw: dict[int, list[tuple[date, Decimal]]] = {i: [] for i in ids}
    rows = Payment.objects.filter(case_id__in=ids).order_by("case_id", "paid_on", "id")
    for case_id, paid_on, amount in rows.values_list("case_id", "paid_on", "amount"):
        raw[case_id].append((paid_on, amount))
    return {i: net(r) for i, r in raw.items()}


def obligations(case_ids: Iterable[int]) -> dict[int, Decimal]:
    """{case id: 执行标的额 (principal + adjudged interest + litigation costs)}."""
    rows = EnforcementCase.objects.filter(pk__in=set(case_ids)).values_list(
        "pk", "principal", "adjudged_interest", "litigation_costs"
    )
    return {pk: p + i + c for pk, p, i, c in rows}
