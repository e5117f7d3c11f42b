"""Reads for distribution: whether the case's court seized the debtor's property first (首封).

Distribution among several creditors is conducted by the court that first seized the property
(执行工作规定 Art 56, rules.md §7.2). The platform knows it from the case's controls: a control of rank
1 (or an effective freeze, seizure or deduction with no rank recorded) is this court's first seizure; a
case whose controls are all queued (轮候, rank > 1) stands behind another court.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Asset

_HELD = (Asset.State.FROZEN, Asset.State.SEIZED, Asset.State.DEDUCTED, Asset.State.QUEUED)


@dataclass(frozen=True)
class SeizureFact:
    first: bool  # True: this case holds a first-rank control
    label: str  # the asset and its rank, in Chinese


def first_seizure(case_id: int) -> SeizureFact | None:
    """What the case's controls say about who seized first, or None when the case has no control."""
    rows = list(
        Asset.objects.filter(case_id=case_id, state__in=_HELD)
        .exclude(kind=Asset.Kind.INFO)
        .order_by("seizure_rank", "pk")
        .values_list("kind", "ref", "state", "seizure_rank")
    )
    if not rows:
        return None
    kinds = dict(Asset.Kind.choices)
    for kind, ref, state, rank in rows:
        if state != Asset.State.QUEUED and (rank is None or rank == 1):
            return SeizureFact(True, f"{kinds.get(kind, kind)} {ref} 首封")
    kind, ref, _state, rank = rows[0]
    return SeizureFact(False, f"{kinds.get(kind, kind)} {ref} 轮候第{rank or '?'}顺位")
