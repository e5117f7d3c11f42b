"""Case-funds configuration read from Django settings, with the embedded defaults.

`zhixing.config.settings.funds` defines these from the environment; the defaults here keep the app
working when that module is not imported (and let tests override with `settings.FUNDS_...`).

The custody bank's URL follows the launcher: unless `FUNDS_BANK_URL` is set, it is the partner
sandbox's base URL (`ZHIXING_SANDBOX_URL`, which `make run` sets to the sandbox it starts) plus
``/custody``, where the sandbox mounts its custody bank.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .rules import PayoutLimit, retry_delay_seconds
from .rules_clocks import FollowUp, HoldReason, reason_table

CUSTODY_MOUNT = "/custody"

_DEFAULTS: dict[str, object] = {
    "FUNDS_BANK_URL": "",  # empty: ZHIXING_SANDBOX_URL + CUSTODY_MOUNT
    "ZHIXING_SANDBOX_URL": "http://127.0.0.1:8001",
    "FUNDS_BANK_PARTNER": "custody-bank",
    "FUNDS_BANK_SECRET": "dev-custody-secret",
    "FUNDS_PLATFORM_PARTNER": "zhixing",
    "FUNDS_BANK_TIMEOUT_SECONDS": 10,
    "FUNDS_SEND_MAX_ATTEMPTS": 10,
    "FUNDS_SEND_BACKOFF_BASE": 60,
    "FUNDS_SEND_BACKOFF_CAP": 3600,
    "FUNDS_PAYOUT_DAYS": 30,
    "FUNDS_PAYOUT_WORKDAYS": False,
    "FUNDS_CLAIM_WORKDAYS": 3,
    "FUNDS_APPROVAL_CHAIN": "judge,director,president",
    "FUNDS_MISMATCH_EXTRA_ROLE": "judge",
    "FUNDS_NOTICE_BATCH_MAX": 500,
    "FUNDS_NOTICE_AHEAD_WORKDAYS": 1,
    "FUNDS_NOTICE_MAX_AGE_DAYS": 90,
    "FUNDS_INBOX_KICK_MS": 50,
    "FUNDS_PORTAL_LINK_DAYS": 30,
    "FUNDS_PORTAL_MAX_FAILURES": 5,
    "FUNDS_PORTAL_VERIFY_MINUTES": 15,
    "FUNDS_PORTAL_CHECKS_PER_LINK": 5,
    "FUNDS_PORTAL_CHECKS_PER_CLIENT": 20,
    "FUNDS_PORTAL_CHECK_WINDOW_SECONDS": 600,
    # 执行款孳息: rules.md has no rule (UNCONFIRMED): "cases" = to the cases pro rata by average daily
    # balance over the bank's interest period; "state" = kept off the cases (上缴/法院统一处理).
    "FUNDS_INTEREST_POLICY": "cases",
    # 扣留收入 (CPL-2023 Art 254): the local minimum living standard (最低生活保障标准, yuan per person per
    # month) kept for the debtor and each dependant (查封扣押冻结规定 Art 3(2)). It is the locality's
    # figure, not a national one: set it to the court's; the default is a placeholder the order form
    # shows and the judge may change per order (rule ).
    "FUNDS_WITHHOLDING_LIVING_STANDARD": "1000.00",
}


def get(name: str) -> object:
    return getattr(settings, name, _DEFAULTS[name])


def _int(name: str) -> int:
    return int(str(get(name)))


def bank_url() -> str:
    """The custody bank's API base: `FUNDS_BANK_URL`, else the launcher's sandbox + ``/custody``."""
    explicit = str(get("FUNDS_BANK_URL") or "").strip()
    if explicit:
        return explicit.rstrip("/")
    return str(get("ZHIXING_SANDBOX_URL")).rstrip("/") + CUSTODY_MOUNT


def bank_secret() -> str:
    return str(get("FUNDS_BANK_SECRET"))


def base_chain() -> list[str]:
    return [r.strip() for r in str(get("FUNDS_APPROVAL_CHAIN")).split(",") if r.strip()]


def approval_chain(name_mismatch: bool) -> list[str]:
    """The roles that approve a payout, in order.

    An account in another name than the party's adds one step of `FUNDS_MISMATCH_EXTRA_ROLE` (default
    a second judge, who reviews the authorisation): right after the last step of that role when the
    chain has one (so the steps stay in rank order), else before the final step. Every step must be
    taken by a different person (`services.payouts.chain_problem` checks the court has them).
    """
    chain = base_chain()
    if name_mismatch:
        extra = str(get("FUNDS_MISMATCH_EXTRA_ROLE")).strip()
        if extra in chain:
            at = len(chain) - chain[::-1].index(extra)
        else:
            at = len(chain) - 1 if len(chain) > 1 else len(chain)
        chain.insert(at, extra)
    return chain


def payout_limit() -> PayoutLimit:
    return PayoutLimit(days=_int("FUNDS_PAYOUT_DAYS"), workdays=bool(get("FUNDS_PAYOUT_WORKDAYS")))


def claim_workdays() -> int:
    return _int("FUNDS_CLAIM_WORKDAYS")


def notice_batch_max() -> int:
    """The most transfers one batch notice from the custody bank may carry."""
    return _int("FUNDS_NOTICE_BATCH_MAX")


def notice_ahead_workdays() -> int:
    """How many working days after the notice's business date a value date may lie (bank cut-off)."""
    return _int("FUNDS_NOTICE_AHEAD_WORKDAYS")


def notice_max_age_days() -> int:
    """How many calendar days before the notice's business date a value date may lie."""
    return _int("FUNDS_NOTICE_MAX_AGE_DAYS")


def inbox_kick_seconds() -> float:
    """A web process asks for the inbox to be booked at most once per `FUNDS_INBOX_KICK_MS` (the booker
    keeps draining at least this long after it starts, so no notice waits for the periodic sweep)."""
    return _int("FUNDS_INBOX_KICK_MS") / 1000


def send_max_attempts() -> int:
    """Automatic attempts to reach the bank with one payment order before a person must look."""
    return _int("FUNDS_SEND_MAX_ATTEMPTS")


def send_backoff(attempt: int) -> timedelta:
    """Wait after failed attempt number `attempt` before the next automatic one."""
    return timedelta(
        seconds=retry_delay_seconds(attempt, _int("FUNDS_SEND_BACKOFF_BASE"), _int("FUNDS_SEND_BACKOFF_CAP"))
    )


def portal_link_lifetime() -> timedelta:
    """How long a remote-payout link stays valid after it is issued (default 30 days)."""
    return timedelta(days=_int("FUNDS_PORTAL_LINK_DAYS"))


def portal_max_failures() -> int:
    """Failed identity checks after which a link is locked (a new link must be issued)."""
    return _int("FUNDS_PORTAL_MAX_FAILURES")


def portal_verify_window() -> timedelta:
    """How long one passed identity check allows one change of the receiving account."""
    return timedelta(minutes=_int("FUNDS_PORTAL_VERIFY_MINUTES"))


def portal_check_limits() -> tuple[int, int, int]:
    """Identity checks allowed per link and per client address within the window (seconds)."""
    return (
        _int("FUNDS_PORTAL_CHECKS_PER_LINK"),
        _int("FUNDS_PORTAL_CHECKS_PER_CLIENT"),
        _int("FUNDS_PORTAL_CHECK_WINDOW_SECONDS"),
    )


# -- payout clocks and holds (rules.md §7.1; delays and follow-up period UNCONFIRMED) ----------------

_DEFAULTS.update(
    {
        "FUNDS_HOLD_FOLLOWUP_DAYS": 10,  # "pay within 10 days after the cause ends" (UNCONFIRMED)
        "FUNDS_HOLD_FOLLOWUP_WORKDAYS": False,
        "FUNDS_HOLD_RESUME": "later",  # later | remaining | followup (rules_clocks.FollowUp)
        "FUNDS_HOLD_REASONS": (),  # extra/replacing reasons: [{"code", "label", "article", ...}]
        "FUNDS_CLOCK_SOON_WORKDAYS": 5,  # "due soon" (yellow) within this many working days
        "FUNDS_CLOCK_SCAN_BATCH": 2000,
    }
)


def follow_up() -> FollowUp:
    return FollowUp(
        days=_int("FUNDS_HOLD_FOLLOWUP_DAYS"),
        workdays=bool(get("FUNDS_HOLD_FOLLOWUP_WORKDAYS")),
        mode=str(get("FUNDS_HOLD_RESUME")),
    )


def hold_reasons() -> dict[str, HoldReason]:
    """The lawful reasons to hold money longer, with their articles (defaults + settings)."""
    raw = get("FUNDS_HOLD_REASONS") or ()
    return reason_table(raw)  # type: ignore[arg-type]


def clock_soon_workdays() -> int:
    return _int("FUNDS_CLOCK_SOON_WORKDAYS")


def clock_scan_batch() -> int:
    return max(_int("FUNDS_CLOCK_SCAN_BATCH"), 1)


INTEREST_POLICIES = ("cases", "state")


def interest_policy() -> str:
    """How the custody account's interest (执行款孳息) is allocated: "cases" (default) or "state"."""
    policy = str(get("FUNDS_INTEREST_POLICY")).strip()
    if policy not in INTEREST_POLICIES:
        raise ImproperlyConfigured(f"FUNDS_INTEREST_POLICY 须为 cases 或 state，现为 {policy!r}")
    return policy


def withholding_living_standard() -> Decimal:
    """The default local minimum living standard for an income-withholding order (yuan per person per
    month; configuration `FUNDS_WITHHOLDING_LIVING_STANDARD`, rule R-0.9)."""
    try:
        value = Decimal(str(get("FUNDS_WITHHOLDING_LIVING_STANDARD")))
    except InvalidOperation as exc:
        raise ImproperlyConfigured("FUNDS_WITHHOLDING_LIVING_STANDARD 应为金额（元）") from exc
    if value <= 0:
        raise ImproperlyConfigured("FUNDS_WITHHOLDING_LIVING_STANDARD 须大于0")
    return value.quantize(Decimal("0.01"))
