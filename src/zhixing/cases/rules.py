"""Pure enforcement arithmetic: deadlines, the application fee, delay interest, node colours, and
the one spelling of a basis number the duplicate-filing check compares.

Purpose: the legal arithmetic of an enforcement case, as pure functions of dates, amounts and a
:class:`~zhixing.core.workdays.WorkCalendar` (no ORM, no clock: "today" is always an argument), so every
rule is unit-tested around holidays and band edges (DESIGN invariant 7 "Deadlines are computed").

Imports only the standard library, :mod:`zhixing.core.workdays` and :mod:`zhixing.core.money`.

The arithmetic lives in one module per concept — :mod:`.rules_deadlines`, :mod:`.rules_filing`,
:mod:`.rules_money`, :mod:`.rules_notice` (beside the older ``rules_*`` modules); this module re-exports
them so ``from zhixing.cases.rules import …`` keeps working.
"""

from __future__ import annotations

from .rules_deadlines import (
    Deadline,
    ExtensionStep,
    Pause,
    Unit,
    capped_due,
    compute_deadline,
    extension_step,
    node_color,
)
from .rules_deadlines import (
    _Pauses as _Pauses,
)
from .rules_filing import (
    basis_key,
    case_number,
    filing_key,
    performance_period_expired,
    type_code_problem,
)
from .rules_money import (
    DELAY_RATE,
    application_fee,
    delay_days,
    delay_interest,
)
from .rules_notice import (
    NOTICE_AFTER_ASSIGNMENT_DAYS,
    NOTICE_AFTER_MEASURE_DAYS,
    asset_report_due_on,
    asset_report_late,
    asset_report_window,
    notice_due_after_assignment,
    notice_due_after_measure,
    notice_period_ends_on,
)

__all__ = [
    "DELAY_RATE",
    "NOTICE_AFTER_ASSIGNMENT_DAYS",
    "NOTICE_AFTER_MEASURE_DAYS",
    "Deadline",
    "ExtensionStep",
    "Pause",
    "Unit",
    "application_fee",
    "asset_report_due_on",
    "asset_report_late",
    "asset_report_window",
    "basis_key",
    "capped_due",
    "case_number",
    "compute_deadline",
    "delay_days",
    "delay_interest",
    "extension_step",
    "filing_key",
    "node_color",
    "notice_due_after_assignment",
    "notice_due_after_measure",
    "notice_period_ends_on",
    "performance_period_expired",
    "type_code_problem",
]
