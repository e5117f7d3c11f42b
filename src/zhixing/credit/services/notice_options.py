"""Art 8 notices (失信通报): their settings (`ZHIXING_CREDIT_NOTICES`), logger and idempotency keys."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings

from .. import rules
from ..models import ListingNotice

log = logging.getLogger("zhixing.credit.art8")
S = ListingNotice.Status
DEFAULTS: dict[str, Any] = {
    "max_attempts": 5,
    "backoff_base": 60,  # seconds; doubled each attempt
    "backoff_cap": 3600,
    "http_timeout": 10,
    "lease_seconds": 60,
    "claim_batch": 500,
    "notify_removal": True,  # UNCONFIRMED (docs/rules-additions.md "Art 8 notices")
    "notify_performance": True,  # UNCONFIRMED (docs/rules-additions.md "Art 8 notices")
    "notify_changes": True,  # UNCONFIRMED (docs/rules-additions.md "Art 8 notices"): corrections, legal rep
    "superior_natures": rules.SUPERIOR_NATURES,
}


def option(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "ZHIXING_CREDIT_NOTICES", {})}[name]


def new_key(event: str) -> str:
    return f"art8-{event}-{uuid.uuid4().hex}"
