"""Guards on the disposal of a controlled asset (处分): who may stop a sale, a deduction or a payout.

A domain that can forbid disposal (a third-party objection under CPL 238 stops the disposal of the
asset it claims) registers a guard from its AppConfig.ready(); a domain that disposes (auctions
publishing or confirming a lot, funds deducting or paying out an asset's proceeds) asks
`refusals(asset_id)` inside its own transaction and refuses when the answer is not empty. Core knows
neither side: the asset is the inquiry domain's asset-register id.

A domain whose disposal brings money into the case account (auctions: a lot's price once paid) registers
a proceeds source, so the payout guard (funds) can hold back a blocked asset's proceeds without knowing
where they came from.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

# A guard answers the reasons (Chinese, shown to the user) why the asset may not be disposed of now.
Guard = Callable[[int], list[str]]

_GUARDS: list[Guard] = []

# A proceeds source answers, for an enforcement case id, the money its disposal of each asset brought into
# the case account (asset id -> yuan).
ProceedsSource = Callable[[int], dict[int, Decimal]]

_SOURCES: list[ProceedsSource] = []


def register(guard: Guard) -> None:
    """Add a guard once (idempotent, so a re-run ready() does not double it)."""
    if guard not in _GUARDS:
        _GUARDS.append(guard)


def refusals(asset_id: int) -> list[str]:
    """Every registered guard's reasons against disposing of `asset_id`; empty means free to dispose."""
    reasons: list[str] = []
    for guard in _GUARDS:
        reasons.extend(guard(asset_id))
    return reasons


def register_proceeds(source: ProceedsSource) -> None:
    """Add a proceeds source once (idempotent, like `register`)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def proceeds(case_id: int) -> dict[int, Decimal]:
    """Every registered source's proceeds of the case per asset, summed (asset id -> yuan)."""
    out: dict[int, Decimal] = {}
    for source in _SOURCES:
        for asset_id, amount in source(case_id).items():
            out[asset_id] = out.get(asset_id, Decimal("0")) + amount
    return out
