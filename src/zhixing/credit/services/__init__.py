"""Every write of the credit domain; each runs in one transaction with its audit record."""

from . import approval
from .corrections import decide_correction, file_correction, record_correction_service
from .delivery import dispatch_due, receive_reports
from .enumeration import observe as observe_screening
from .enumeration import sample_size as enumeration_sample_size
from .exit import decide_exit_reconsideration, file_exit_reconsideration, record_exit_service
from .exposure import (
    expose,
    report_impressions,
    resend_exposure,
    withdraw_exposure,
    withdraw_listing_exposure,
)
from .listing import (
    ListingData,
    extend_listing,
    list_debtor,
    record_application,
    reject_application,
)
from .objection import apply_correction, decide_correction_reconsideration, file_correction_reconsideration
from .partners import (
    RateLimited,
    audit_screening,
    create_partner,
    hit_rate_limit,
    partner_for_key,
    record_interception,
    revoke_partner,
)
from .removal import record_trigger, remove_listing, scan_credit
from .restrictions import (
    LIFT_TRIGGERS,
    BoundPerson,
    decide_private_consumption,
    lift_restriction,
    restrict_consumption,
    restrict_exit,
)

__all__ = [
    "LIFT_TRIGGERS",
    "BoundPerson",
    "ListingData",
    "RateLimited",
    "apply_correction",
    "approval",
    "audit_screening",
    "create_partner",
    "decide_correction",
    "decide_correction_reconsideration",
    "decide_exit_reconsideration",
    "decide_private_consumption",
    "dispatch_due",
    "enumeration_sample_size",
    "expose",
    "extend_listing",
    "file_correction",
    "file_correction_reconsideration",
    "file_exit_reconsideration",
    "hit_rate_limit",
    "lift_restriction",
    "list_debtor",
    "observe_screening",
    "partner_for_key",
    "receive_reports",
    "record_application",
    "record_correction_service",
    "record_exit_service",
    "record_interception",
    "record_trigger",
    "reject_application",
    "remove_listing",
    "report_impressions",
    "resend_exposure",
    "restrict_consumption",
    "restrict_exit",
    "revoke_partner",
    "scan_credit",
    "withdraw_exposure",
    "withdraw_listing_exposure",
]
