"""Every case-funds write. Other domains use `book_receipt` (e.g. inquiry deductions)."""

from .accounts import backfill_case_accounts, case_account
from .custody import set_custody_account
from .distribution import add_claim, create_plan, remove_claim
from .distribution_money import mark_paid, propose_line
from .distribution_objections import record_counter, record_objection, serve_plan
from .distribution_suits import conclude, record_judgment, record_suit
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
    "add_claim",
    "backfill_case_accounts",
    "book_costs",
    "book_incoming",
    "book_incoming_batch",
    "book_line",
    "book_receipt",
    "cancel",
    "case_account",
    "claim_receipt",
    "conclude",
    "confirm_account",
    "confirm_match",
    "create_plan",
    "decide",
    "delete_layout",
    "import_statement",
    "issue_token",
    "mark_paid",
    "propose",
    "propose_line",
    "reconcile_all",
    "reconcile_day",
    "reconcile_import",
    "record_counter",
    "record_judgment",
    "record_objection",
    "record_suit",
    "remove_claim",
    "report_xlsx",
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
