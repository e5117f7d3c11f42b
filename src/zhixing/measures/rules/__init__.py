"""The consequence table: what each case event does to each enforcement measure, with its article.

Pure data and arithmetic, no ORM. One row per (event, measure); every row names its action, who decides
(the platform in the event's transaction, or the judge on a proposal), the article it rests on (section
of rules.md), and whether a court may configure it. Rows the rules leave open (UNCONFIRMED in rules.md,
or not covered by any article read) are configurable with the default given here; rows an article
settles are not.

Vocabulary
- events: money performed (part or all of the claim), each closing mode of rules.md §2.4, suspension by
  ground (§2.3), resumption, and the removal of a dishonest listing;
- measures: freeze, seizure (both held in the asset register), deduction orders in flight, consumption
  restriction, exit restriction, dishonest listing, media exposure, control requests not yet answered;
- actions: release (a control), cancel (a request not yet answered), lift (a restriction), remove
  (a listing or an exposure), keep.

The table lives in one module per concept (vocabulary, articles, the case's events, the disposal's
events, configuration); this package re-exports every name so `from zhixing.measures import rules` /
`rules.X` keep working.
"""

from __future__ import annotations

from .articles import (
    BANKRUPTCY_RELEASE,
    CASE_ENDED,
    CONSUMPTION_PAID,
    DORMANT_KEEPS,
    DORMANT_LISTING,
    ENDED_RELEASE,
    ENDED_RESTRICTION,
    EXIT_NOT_TIED,
    EXIT_PAID,
    EXPOSURE_FOLLOWS,
    KEEP_NOTHING_SAYS,
    LISTING_CONSUMPTION,
    LISTING_PAID,
    NONE,
    OVER_SEIZURE,
    PAID_RELEASE,
    PAYMENT_KEEPS,
    RESUMED_KEEPS,
    S5,
    S23,
    S24,
    S33,
    S34,
    S35,
    S62,
    S64,
    SUSPENSION_KEEPS,
    SUSPENSION_LISTING,
    SUSPENSION_PENDING,
    A,
    J,
)
from .case_events import (
    DEFAULT_TABLE,
    OBJECTION_UNDO,
)
from .configuration import (
    TableError,
    parse_override,
    table,
)
from .disposal_events import (
    OBJECTION_CLEARED_RESUMES,
    OBJECTION_FINAL_RELEASES,
    OBJECTION_SUSPENDS_LOT,
    OBJECTION_UPHELD_CANCELS,
    PRICE_OBJECTION_CLEARED_RESUMES,
    PRICE_OBJECTION_SUSPENDS_LOT,
    PRICE_OBJECTION_UPHELD_CANCELS,
    S21,
    S41,
    S42,
    S43,
    SALE_MEASURES,
    SALE_NOT_CONCERNED,
    SALE_PROCEEDS,
    SALE_RELEASE,
    SALE_TERM,
    SALE_TITLE,
    SET_OFF_RELEASE,
    SET_OFF_TITLE,
)
from .vocabulary import (
    ACTION_LABELS,
    ACTIONS_FOR,
    EVENT_LABELS,
    MEASURE_LABELS,
    Action,
    Decider,
    Event,
    Measure,
    Rule,
    closing_event,
    payment_event,
    suspension_event,
)

__all__ = [
    "ACTIONS_FOR",
    "ACTION_LABELS",
    "BANKRUPTCY_RELEASE",
    "CASE_ENDED",
    "CONSUMPTION_PAID",
    "DEFAULT_TABLE",
    "DORMANT_KEEPS",
    "DORMANT_LISTING",
    "ENDED_RELEASE",
    "ENDED_RESTRICTION",
    "EVENT_LABELS",
    "EXIT_NOT_TIED",
    "EXIT_PAID",
    "EXPOSURE_FOLLOWS",
    "KEEP_NOTHING_SAYS",
    "LISTING_CONSUMPTION",
    "LISTING_PAID",
    "MEASURE_LABELS",
    "NONE",
    "OBJECTION_CLEARED_RESUMES",
    "OBJECTION_FINAL_RELEASES",
    "OBJECTION_SUSPENDS_LOT",
    "OBJECTION_UNDO",
    "OBJECTION_UPHELD_CANCELS",
    "OVER_SEIZURE",
    "PAID_RELEASE",
    "PAYMENT_KEEPS",
    "PRICE_OBJECTION_CLEARED_RESUMES",
    "PRICE_OBJECTION_SUSPENDS_LOT",
    "PRICE_OBJECTION_UPHELD_CANCELS",
    "RESUMED_KEEPS",
    "S5",
    "S21",
    "S23",
    "S24",
    "S33",
    "S34",
    "S35",
    "S41",
    "S42",
    "S43",
    "S62",
    "S64",
    "SALE_MEASURES",
    "SALE_NOT_CONCERNED",
    "SALE_PROCEEDS",
    "SALE_RELEASE",
    "SALE_TERM",
    "SALE_TITLE",
    "SET_OFF_RELEASE",
    "SET_OFF_TITLE",
    "SUSPENSION_KEEPS",
    "SUSPENSION_LISTING",
    "SUSPENSION_PENDING",
    "A",
    "Action",
    "Decider",
    "Event",
    "J",
    "Measure",
    "Rule",
    "TableError",
    "closing_event",
    "parse_override",
    "payment_event",
    "suspension_event",
    "table",
]
