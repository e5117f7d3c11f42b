"""Every case-funds write. Other domains use `book_receipt` (e.g. inquiry deductions)."""

from .accounts import backfill_case_accounts, case_account, set_custody_account
from .distribution import create_plan, record_objection, resolve_plan, serve_plan
from .fees import book_costs, settle_fee
from .layouts import delete_layout, save_layout
from .payouts import cancel, decide, propose
from .portal import confirm_account, issue_token, verify_identity
from .receipt_batches import BatchResult, book_incoming_batch
from .receipts import Incoming, book_incoming, book_receipt, claim_receipt
from .reconcile_actions import book_line, confirm_match, reconcile_all, reconcile_day
from .returns import resume_returns, return_receipt
from .sending import resume_sending, send
from .statements import import_statement, reconcile_import, report_xlsx

__all__ = [
    "BatchResult",
    "Incoming",
    "backfill_case_accounts",
    "book_costs",
    "book_incoming",
    "book_incoming_batch",
    "book_line",
    "book_receipt",
    "cancel",
    "case_account",
    "claim_receipt",
    "confirm_account",
    "confirm_match",
    "create_plan",
    "decide",
    "delete_layout",
    "import_statement",
    "issue_token",
    "propose",
    "reconcile_all",
    "reconcile_day",
    "reconcile_import",
    "record_objection",
    "report_xlsx",
    "resolve_plan",
    "resume_returns",
    "resume_sending",
    "return_receipt",
    "save_layout",
    "send",
    "serve_plan",
    "set_custody_account",
    "settle_fee",
    "verify_identity",
]
