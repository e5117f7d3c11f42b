"""The generated world's records: events on a statement, trips, relatives, debtors (pure dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

P_START = date(2024, 1, 1)
P_END = date(2025, 12, 31)

# Every rule of RuleSet v1 (rules.LABELS); the measurement reports each, measured or not.
RULES = [
    "regular_income",
    "hidden_salary",
    "inflow_vs_claim",
    "luxury_spending",
    "tipping",
    "restriction_violation",
    "related_transfers",
    "round_tripping",
    "evasion",
    "balance_threshold",
    "regular_payees",
]

# What 限消规定 Art 3 restricts, as tags on events and trips (gaming is luxury spending, not restricted).
RESTRICTED_TAGS = {"air", "rail", "star_hotel", "luxury", "abroad"}
LUXURY_TAGS = RESTRICTED_TAGS | {"gaming"}


@dataclass
class Event:
    """One statement line before a layout writes it. `amount` is signed, in `currency`."""

    ts: datetime
    amount: Decimal
    cp: str = ""
    account: str = ""
    summary: str = ""
    category: str = ""
    currency: str = "CNY"
    channel: str = "any"  # bank | wallet | any: which of the debtor's accounts carries it
    mark: str = ""  # "" | refund | reversal | neutral | closed
    tag: str = ""  # ground-truth meaning: salary, tip, air, luxury, related, sweep, ...
    income: bool = False  # earned income (salary, gig, business): what inflow_vs_claim means


@dataclass
class Trip:
    kind: str  # 航班 | 火车 | 酒店
    start: datetime
    end: datetime
    origin: str
    destination: str
    carrier: str
    seat: str
    amount: Decimal
    country: str = "中国"
    tag: str = ""  # air | rail | star_hotel | abroad | "" (not restricted)


@dataclass
class Relative:
    name: str
    relation: str  # spouse | sibling | parent | company
    found_by: str  # declared (RelatedPerson) | address (same surname and address) | legal_rep
    account: str = ""
    declared_account: bool = False


@dataclass
class Debtor:
    index: int
    name: str
    birth: date
    address: str
    claim: int
    effective_on: date
    restricted_from: date | None
    freeze_on: date | None
    layouts: list[str]
    relatives: list[Relative] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)
    labels: dict[str, bool] = field(default_factory=dict)
    variants: dict[str, str] = field(
        default_factory=dict
    )  # rule → the variant planted (for recall by variant)
    honest: list[str] = field(default_factory=list)  # legitimate-looking flows of an honest debtor
    overlap: bool = False  # the first file is exported twice with an overlapping month
    typos: int = 0  # rows with a broken date or amount (quarantined on import)
