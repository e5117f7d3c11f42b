"""Every write on cases. Each function runs in one transaction and appends its audit record there."""

from .asset_reports import open_report_period, record_asset_report
from .assignment import MAX_BATCH, BatchAssignmentError, assign_cases
from .costs import record_cost
from .db_statistics import PlannerRefresh, refresh_planner_statistics
from .deadlines import recompute_case_deadlines, recompute_open_cases, scan_due_nodes
from .dormant import checklist as dormant_checklist
from .dormant import confirm_precondition, request_resumption
from .duplicates import DuplicateFiling
from .excluded import end_excluded_period, start_excluded_period
from .filing import FilingData, PartyData, allocate_case_number, file_case, resume_case
from .judgment_terms import JudgmentTerms, record_judgment_terms
from .lifecycle import (
    add_node,
    approve_extension,
    assign_case,
    close_case,
    complete_node,
    reject_extension,
    request_extension,
    resume_execution,
    suspend_case,
    view_party_identity,
)
from .node_events import NodeEvent, complete_node_from_event, complete_nodes_from_event
from .notice import issue_and_serve_notice, issue_notice, measure_before_notice, record_notice_service
from .payment_order import record_payment_order
from .performance import record_payment
from .supervision import issue_supervision_order, reply_supervision_order
from .tracks import set_track_term, track_term_type

__all__ = [
    "MAX_BATCH",
    "BatchAssignmentError",
    "DuplicateFiling",
    "FilingData",
    "JudgmentTerms",
    "NodeEvent",
    "PartyData",
    "PlannerRefresh",
    "add_node",
    "allocate_case_number",
    "approve_extension",
    "assign_case",
    "assign_cases",
    "close_case",
    "complete_node",
    "complete_node_from_event",
    "complete_nodes_from_event",
    "confirm_precondition",
    "dormant_checklist",
    "end_excluded_period",
    "file_case",
    "issue_and_serve_notice",
    "issue_notice",
    "issue_supervision_order",
    "measure_before_notice",
    "open_report_period",
    "recompute_case_deadlines",
    "recompute_open_cases",
    "record_asset_report",
    "record_cost",
    "record_judgment_terms",
    "record_notice_service",
    "record_payment",
    "record_payment_order",
    "refresh_planner_statistics",
    "reject_extension",
    "reply_supervision_order",
    "request_extension",
    "request_resumption",
    "resume_case",
    "resume_execution",
    "scan_due_nodes",
    "set_track_term",
    "start_excluded_period",
    "suspend_case",
    "track_term_type",
    "view_party_identity",
]
