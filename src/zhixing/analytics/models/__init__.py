"""Ability-to-pay analysis (履行能力大数据分析): imported flows, layout presets, rule sets, profiles.

The analytics domain reads cases only through `zhixing.cases.queries`; the foreign keys to `Party`
are read-only references (a debtor of a case), never written here.

The models live in concept modules (`imports`, `travel`, `related`, `profiles`, `leads`; the layout,
correction and exchange-rate models in `..layouts`, `..amendments`, `..currency`) and are all
importable from here, as before the split (no migration changed).
"""

from ..amendments import TransactionCorrection
from ..currency import ExchangeRate
from ..layouts import StatementPreset
from .imports import MONEY, ImportJob, QuarantinedRow, Transaction
from .leads import PropertyLead
from .profiles import BatchRun, Profile, RuleSet
from .related import RelatedPerson
from .travel import TravelRecord

__all__ = [
    "MONEY",
    "BatchRun",
    "ExchangeRate",
    "ImportJob",
    "Profile",
    "PropertyLead",
    "QuarantinedRow",
    "RelatedPerson",
    "RuleSet",
    "StatementPreset",
    "Transaction",
    "TransactionCorrection",
    "TravelRecord",
]
