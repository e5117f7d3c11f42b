"""Every write of network inquiry. Each function runs in a transaction and appends its audit record there."""

from .callbacks import CallbackResult, receive
from .controls import approve, reject, request_control
from .deductions import mark_deduction_booked
from .dispatch import claim, dispatch_due, dispatch_once
from .dormant import (
    PAGE_WORK,
    RunResult,
    SweepResult,
    reinquire,
    reinquire_page,
    reinquiry_run,
    reinquiry_sweep,
    settle_rounds,
)
from .expiry import lapse_expired, raise_warnings, term_sweep
from .lookups import record_export, record_register_view
from .queue_notices import apply_queue_notices
from .renewals import RenewalResult, renew_controls
from .requests import Centralised, centralised_inquiry, debtor_problem, start_inquiry
from .targeted import targeted_query
from .triage import (
    clear_flag,
    decide,
    decide_triage,
    evaluate,
    propose_triage,
    set_flag,
    triage_sweep,
)
from .upkeep import release_excess, release_sweep

__all__ = [
    "PAGE_WORK",
    "CallbackResult",
    "Centralised",
    "RenewalResult",
    "RunResult",
    "SweepResult",
    "apply_queue_notices",
    "approve",
    "centralised_inquiry",
    "claim",
    "clear_flag",
    "debtor_problem",
    "decide",
    "decide_triage",
    "dispatch_due",
    "dispatch_once",
    "evaluate",
    "lapse_expired",
    "mark_deduction_booked",
    "propose_triage",
    "raise_warnings",
    "receive",
    "record_export",
    "record_register_view",
    "reinquire",
    "reinquire_page",
    "reinquiry_run",
    "reinquiry_sweep",
    "reject",
    "release_excess",
    "release_sweep",
    "renew_controls",
    "request_control",
    "set_flag",
    "settle_rounds",
    "start_inquiry",
    "targeted_query",
    "term_sweep",
    "triage_sweep",
]
