"""Case-funds configuration read from Django settings, with the embedded defaults.

`zhixing.config.settings.funds` defines these from the environment; the defaults here keep the app
working when that module is not imported (and let tests override with `settings.FUNDS_...`).
"""

from __future__ import annotations

from django.conf import settings

from .rules import PayoutLimit

_DEFAULTS: dict[str, object] = {
    "FUNDS_BANK_URL": "http://127.0.0.1:8001/custody",
    "FUNDS_BANK_PARTNER": "custody-bank",
    "FUNDS_BANK_SECRET": "dev-custody-secret",
    "FUNDS_PLATFORM_PARTNER": "zhixing",
    "FUNDS_BANK_TIMEOUT_SECONDS": 10,
    "FUNDS_PAYOUT_DAYS": 30,
    "FUNDS_PAYOUT_WORKDAYS": False,
    "FUNDS_CLAIM_WORKDAYS": 3,
    "FUNDS_APPROVAL_CHAIN": "judge,director,president",
    "FUNDS_MISMATCH_EXTRA_ROLE": "director",
    "FUNDS_NOTICE_BATCH_MAX": 500,
}


def get(name: str) -> object:
    return getattr(settings, name, _DEFAULTS[name])


def bank_url() -> str:
    return str(get("FUNDS_BANK_URL")).rstrip("/")


def bank_secret() -> str:
    return str(get("FUNDS_BANK_SECRET"))


def approval_chain(name_mismatch: bool) -> list[str]:
    chain = [r.strip() for r in str(get("FUNDS_APPROVAL_CHAIN")).split(",") if r.strip()]
    if name_mismatch:
        chain.insert(len(chain) - 1 if len(chain) > 1 else len(chain), str(get("FUNDS_MISMATCH_EXTRA_ROLE")))
    return chain


def payout_limit() -> PayoutLimit:
    return PayoutLimit(days=int(str(get("FUNDS_PAYOUT_DAYS"))), workdays=bool(get("FUNDS_PAYOUT_WORKDAYS")))


def claim_workdays() -> int:
    return int(str(get("FUNDS_CLAIM_WORKDAYS")))


def notice_batch_max() -> int:
    """The most transfers one batch notice from the custody bank may carry."""
    return int(str(get("FUNDS_NOTICE_BATCH_MAX")))
