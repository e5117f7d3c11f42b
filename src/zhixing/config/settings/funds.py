"""Case funds (执行案款): the custody bank adapter and the payout/claim rules a court may configure."""

from .env import env_bool, env_int, env_str

# Development defaults (the sandbox custody bank of `make run`); production refuses them (production.py).
_DEV_BANK_URL = "http://127.0.0.1:8001/custody"
_DEV_BANK_SECRET = "dev-custody-secret"

# Where the custody bank's API lives (the sandbox mounts it under /custody).
FUNDS_BANK_URL = env_str("FUNDS_BANK_URL", _DEV_BANK_URL)
# Partner-protocol identity of the custody bank and the shared HMAC secret (one per partner).
FUNDS_BANK_PARTNER = env_str("FUNDS_BANK_PARTNER", "custody-bank")
FUNDS_BANK_SECRET = env_str("FUNDS_BANK_SECRET", _DEV_BANK_SECRET)
# Our own code when we sign payment orders to the bank.
FUNDS_PLATFORM_PARTNER = env_str("FUNDS_PLATFORM_PARTNER", "zhixing")
FUNDS_BANK_TIMEOUT_SECONDS = env_int("FUNDS_BANK_TIMEOUT_SECONDS", 10)
# Payout limit after money arrives: 30 calendar days (SPC) or N working days (local rules: 5/7/10).
FUNDS_PAYOUT_DAYS = env_int("FUNDS_PAYOUT_DAYS", 30)
FUNDS_PAYOUT_WORKDAYS = env_bool("FUNDS_PAYOUT_WORKDAYS", False)
# Unidentified receipts must be claimed or returned within this many working days.
FUNDS_CLAIM_WORKDAYS = env_int("FUNDS_CLAIM_WORKDAYS", 3)
# Approval chain for payouts, comma-separated roles; an account in another name adds one more step.
# One staff member approves at most one step of a payout, and never their own proposal.
FUNDS_APPROVAL_CHAIN = env_str("FUNDS_APPROVAL_CHAIN", "judge,director,president")
FUNDS_MISMATCH_EXTRA_ROLE = env_str("FUNDS_MISMATCH_EXTRA_ROLE", "director")
