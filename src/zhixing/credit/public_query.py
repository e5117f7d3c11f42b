"""The public blacklist query and exposure board as the page and the API answer them: throttle, then read.

Both entry points (`views.public_blacklist`, `api.public_blacklist`) call :func:`search`, so they share
one validation, one set of budgets and one disclosure policy (`public.public_entry`). Budgets, all kept
by `services.hit_rate_limit` (per scope and key, fixed window):

| scope | key | limit | what it stops |
|---|---|---|---|
| ``public`` | client address | 30 / minute | one client scraping the list |
| ``public-all`` | — | 1,200 / minute | many clients scraping together |
| ``public-id`` | client address | 20 / hour | one client trying ID numbers |
| ``public-id-all`` | — | 120 / minute | many clients trying ID numbers together |
| ``public-id-target`` | name + first four characters of the number | 5 / day | enumerating one person's ID |

Every budget is spent before the list is read, and a query refused by a budget is refused whether or
not it would have matched, so a refusal confirms nothing. A query that is malformed (or an ID number
without the name) is refused before any budget but the first two and without any read.
"""

from __future__ import annotations

from typing import Any

from zhixing.core.errors import ServiceError

from . import queries, services
from .public import (
    ID_GLOBAL_PER_MINUTE,
    ID_PER_CLIENT_PER_HOUR,
    ID_PER_TARGET_PER_DAY,
    PUBLIC_GLOBAL_PER_MINUTE,
    PUBLIC_PER_MINUTE,
    public_entry,
    target_key,
)

HOUR, DAY = 3600, 86400


def _general(client: str) -> None:
    services.hit_rate_limit("public", client, PUBLIC_PER_MINUTE)
    services.hit_rate_limit("public-all", "all", PUBLIC_GLOBAL_PER_MINUTE)


def search(client: str, q: str, number: str = "") -> list[dict[str, Any]]:
    """Published entries for a name, or for a name with its full ID number / credit code.

    Raises `services.RateLimited` (429) past a budget and `ServiceError` naming ``q`` or ``id`` for a
    query that is empty, too broad, has wildcards, or gives an ID number without the name.
    """
    _general(client)
    try:
        query = queries.parse_public_query(q, number)
    except queries.QueryTooBroad as exc:
        raise ServiceError(str(exc), field=exc.field) from None
    if query.number:
        services.hit_rate_limit("public-id", client, ID_PER_CLIENT_PER_HOUR, window=HOUR)
        services.hit_rate_limit("public-id-all", "all", ID_GLOBAL_PER_MINUTE)
        try:
            services.hit_rate_limit("public-id-target", target_key(query), ID_PER_TARGET_PER_DAY, window=DAY)
        except services.RateLimited:
            raise services.RateLimited("对同一被执行人的证件号码查询今日已达上限，请明日再试") from None
    return [public_entry(x) for x in queries.public_search(query)]


def exposure_board(client: str) -> list[dict[str, Any]]:
    """The exposure board's entries, under the same per-client and global budget as a name query."""
    _general(client)
    return [public_entry(x) for x in queries.exposure_board()]
