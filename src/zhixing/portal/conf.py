"""The public portal's settings: `settings.ZHIXING_PORTAL_PUBLIC` (a dict) over these defaults.

* ``tip_action_days``: 10 working days to act on a tip — a platform choice, no legal source found
  (**UNCONFIRMED**).
* ``petition_answer_workdays``: 30 working days to answer a petition — rules.md §10.2 (执行信访 closed
  within 30 working days, SPC opinion quoted at [P40]; the document's identity is **UNCONFIRMED**).

The rest are platform choices:

| key | default | source |
|---|---|---|
| ``photo_max_bytes`` | 5 MiB per photo | platform choice |
| ``photos_max`` | 3 photos per tip | platform choice |
| ``text_max_chars`` | 2,000 characters of tip or petition text | platform choice |
| ``public_per_minute`` | 20 public portal requests per client and minute | platform choice |
| ``submit_per_hour`` | 5 tips or petitions per client and hour | platform choice |
| ``code_tries_per_hour`` | 10 progress look-ups per client and hour | platform choice |
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, int] = {
    "tip_action_days": 10,
    "petition_answer_workdays": 30,
    "photo_max_bytes": 5 * 1024 * 1024,
    "photos_max": 3,
    "text_max_chars": 2000,
    "public_per_minute": 20,
    "submit_per_hour": 5,
    "code_tries_per_hour": 10,
}


def get(key: str) -> Any:
    """The configured value of `key` (a key not in DEFAULTS is a programming error)."""
    return {**DEFAULTS, **getattr(settings, "ZHIXING_PORTAL_PUBLIC", {})}[key]
