"""Every write on objections; each runs in one transaction with its audit record.

A third-party objection (案外人异议, CPL-2023 Art 238) names a controlled asset of the enforcement case;
from its filing until its outcome allows, `disposal_refusals(asset_id)` (registered with
`zhixing.core.disposal_guards`) answers why that asset may not be disposed of, and every disposing path
(a deduction order, a payout of the asset's proceeds, an auction lot) asks it in its own transaction.

The writes live in one module per step (filing, ruling, outcomes) with the shared input checks
(inputs) and the disposal guard (blocking); this package re-exports every public name so
`from zhixing.objections import services` / `services.X` keep working.
"""

from __future__ import annotations

from .blocking import (
    disposal_refusals,
    facts,
)
from .filing import (
    OPEN_STATES,
    TYPE_CODE,
    file_third_party,
)
from .inputs import (
    ObjectorData,
)
from .outcomes import (
    end_suit,
    record_suit,
    withdraw,
)
from .ruling import (
    decide,
    record_service,
    start_service_windows,
)

__all__ = [
    "OPEN_STATES",
    "TYPE_CODE",
    "ObjectorData",
    "decide",
    "disposal_refusals",
    "end_suit",
    "facts",
    "file_third_party",
    "record_service",
    "record_suit",
    "start_service_windows",
    "withdraw",
]
