"""Case funds (执行案款): the custody bank adapter and the payout/claim rules a court may configure."""

from .env import env_bool, env_int, env_str
from .partners import ZHIXING_SANDBOX_URL

# Development default secret of the sandbox custody bank; production refuses it (production.py), and
# refuses the embedded sandbox's loopback address as the bank's URL too.
_DEV_BANK_URL = "http://127.0.0.1:8001/custody"
_DEV_BANK_SECRET = "dev-custody-secret"

# Where the custody bank's API lives. Unset: the partner sandbox the launcher starts, which mounts
# its custody bank under /custody (so `make run` on any PORT/ZHIXING_SANDBOX_URL reaches it).
# Production has no sandbox and must set FUNDS_BANK_URL.
FUNDS_BANK_URL = env_str("FUNDS_BANK_URL", "").strip() or (
    ZHIXING_SANDBOX_URL.rstrip("/") + "/custody" if ZHIXING_SANDBOX_URL else ""
)
# Partner-protocol identity of the custody bank and the shared HMAC secret (one per partner).
FUNDS_BANK_PARTNER = env_str("FUNDS_BANK_PARTNER", "custody-bank")
FUNDS_BANK_SECRET = env_str("FUNDS_BANK_SECRET", _DEV_BANK_SECRET)
# Our own code when we sign payment orders to the bank.
FUNDS_PLATFORM_PARTNER = env_str("FUNDS_PLATFORM_PARTNER", "zhixing")
FUNDS_BANK_TIMEOUT_SECONDS = env_int("FUNDS_BANK_TIMEOUT_SECONDS", 10)
# A payment order the bank cannot be reached with is re-sent (same idempotency key) automatically,
# at most this many times, waiting BASE·2^(n−1) seconds (capped) between attempts; then finance decides.
FUNDS_SEND_MAX_ATTEMPTS = env_int("FUNDS_SEND_MAX_ATTEMPTS", 10)
FUNDS_SEND_BACKOFF_BASE = env_int("FUNDS_SEND_BACKOFF_BASE", 60)
FUNDS_SEND_BACKOFF_CAP = env_int("FUNDS_SEND_BACKOFF_CAP", 3600)
# Payout limit after money arrives: 30 calendar days (SPC) or N working days (local rules: 5/7/10).
FUNDS_PAYOUT_DAYS = env_int("FUNDS_PAYOUT_DAYS", 30)
FUNDS_PAYOUT_WORKDAYS = env_bool("FUNDS_PAYOUT_WORKDAYS", False)
# Unidentified receipts must be claimed or returned within this many working days.
FUNDS_CLAIM_WORKDAYS = env_int("FUNDS_CLAIM_WORKDAYS", 3)
# Approval chain for payouts, comma-separated roles; an account in another name adds one more step.
# One staff member approves at most one step of a payout, and never their own proposal.
FUNDS_APPROVAL_CHAIN = env_str("FUNDS_APPROVAL_CHAIN", "judge,director,president")
# The extra step must be a role the court has enough people in for every step to be a different
# person (a court has one director and one president): a second judge reviews the authorisation.
FUNDS_MISMATCH_EXTRA_ROLE = env_str("FUNDS_MISMATCH_EXTRA_ROLE", "judge")
# Bank notices: a value date may lie at most this many working days after the notice's business date
# (the bank's cut-off) and at most this many calendar days before it.
FUNDS_NOTICE_AHEAD_WORKDAYS = env_int("FUNDS_NOTICE_AHEAD_WORKDAYS", 1)
FUNDS_NOTICE_MAX_AGE_DAYS = env_int("FUNDS_NOTICE_MAX_AGE_DAYS", 90)
# Single bank notices go to a durable inbox and are booked in batches behind the acknowledgment: a
# web process kicks the booker at most once per this many milliseconds (services/inbox.py).
FUNDS_INBOX_KICK_MS = env_int("FUNDS_INBOX_KICK_MS", 50)
# Remote-payout links: lifetime, failed identity checks before the link locks, how long one passed
# check allows one change of the receiving account, and the throttle on identity checks.
FUNDS_PORTAL_LINK_DAYS = env_int("FUNDS_PORTAL_LINK_DAYS", 30)
FUNDS_PORTAL_MAX_FAILURES = env_int("FUNDS_PORTAL_MAX_FAILURES", 5)
FUNDS_PORTAL_VERIFY_MINUTES = env_int("FUNDS_PORTAL_VERIFY_MINUTES", 15)
FUNDS_PORTAL_CHECKS_PER_LINK = env_int("FUNDS_PORTAL_CHECKS_PER_LINK", 5)
FUNDS_PORTAL_CHECKS_PER_CLIENT = env_int("FUNDS_PORTAL_CHECKS_PER_CLIENT", 20)
FUNDS_PORTAL_CHECK_WINDOW_SECONDS = env_int("FUNDS_PORTAL_CHECK_WINDOW_SECONDS", 600)
