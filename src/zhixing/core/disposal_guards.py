"""Guards on the disposal of a controlled asset (处分): who may stop a sale, a deduction or a payout.

A domain that can forbid disposal (a third-party objection under CPL 238 stops the disposal of the
asset it claims) registers a guard from its AppConfig.ready(); a domain that disposes (auctions
publishing or confirming a lot, funds deducting or paying out an asset's proceeds) asks
`refusals(asset_id)` inside its own transaction and refuses when the answer is not empty. Core knows
neither side: the asset is the inquiry domain's asset-register id.
"""

from __future__ import annotations

from collections.abc import Callable

# A guard answers the reasons (Chinese, shown to the user) why the asset may not be disposed of now.
Guard = Callable[[int], list[str]]

_GUARDS: list[Guard] = []


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
