"""Rate limits shared by every web process: fixed-window counters in the shared cache.

The counters live in Django's cache `settings.ZHIXING_RATE_LIMIT_CACHE` (alias "shared"): Redis when
REDIS_URL is set, the database cache (`zhixing.core.sharedcache`) otherwise. Either is one store for
all workers and machines, so a limit of N per minute means N, whatever the number of workers.
Identifiers (addresses, partner ids) are hashed into the key, so any string is a valid identifier.

On the database store a count is part of the caller's transaction: call `hit_rate_limit` before a
service opens its transaction (as views and the partner authentication do), or a refused attempt that
rolls back would not be counted.

Redis restarting (a deployment's maintenance, the soak test's fault) must not answer 500: a count that
cannot reach Redis is retried for `STORE_RETRY_SECONDS`, then the call is admitted uncounted and a
warning logged. Failing open for those seconds is the lesser harm: nobody outside can make Redis
restart, and every limit here bounds a rate, not a total. Database errors are not caught (the request
could not proceed anyway).
"""

from __future__ import annotations

import hashlib
import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.utils import timezone

from .errors import ServiceError

log = logging.getLogger(__name__)

STORE_RETRY_SECONDS = 3.0


def store_unavailable() -> tuple[type[BaseException], ...]:
    """The errors of a shared store that cannot be reached (Redis down or restarting)."""
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a pinned dependency
        return ()
    return (RedisConnectionError, RedisTimeoutError)


class RateLimited(ServiceError):
    """Too many calls in the current window (HTTP 429)."""

    status = 429

    def __init__(self, message: str = "请求过于频繁，请稍后再试") -> None:
        super().__init__(message, code="rate_limited")


def store() -> BaseCache:
    """The cache the limits count in."""
    return caches[getattr(settings, "ZHIXING_RATE_LIMIT_CACHE", "shared")]


def window_key(scope: str, ident: str, window: int) -> str:
    """The counter's key for the current window of `window` seconds."""
    slot = int(timezone.now().timestamp()) // window
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"zx:rl:{scope}:{digest}:{window}:{slot}"


def count_hit(scope: str, ident: str, window: int = 60, n: int = 1) -> int:
    """Count `n` calls (or items) of `ident` in `scope`; the total in the current window, these included.

    0 when the store stayed unreachable for `STORE_RETRY_SECONDS` (the calls are then admitted).
    """
    unavailable = store_unavailable()
    deadline = time.monotonic() + STORE_RETRY_SECONDS
    while True:
        try:
            return _count(scope, ident, window, n)
        except unavailable:
            if time.monotonic() >= deadline:
                log.warning("rate-limit store unreachable: %s admitted uncounted", scope, exc_info=True)
                return 0
            time.sleep(0.1)


def _count(scope: str, ident: str, window: int, n: int) -> int:
    cache = store()
    name = window_key(scope, ident, window)
    count = getattr(cache, "count", None)
    if count is not None:  # the database store counts in one locked step (zhixing.core.sharedcache)
        return int(count(name, window + 5, delta=n))
    try:
        return int(cache.incr(name, n))
    except ValueError:  # first call of the window (or the entry expired)
        if cache.add(name, n, timeout=window + 5):
            return n
        try:
            return int(cache.incr(name, n))  # another worker created it meanwhile
        except ValueError:
            return n


# Seconds until the window of the last refusal in this request ends: the 429's `Retry-After`
# (`core.headers.SecurityHeadersMiddleware`; views catch `RateLimited` and render their own page).
RETRY_AFTER: ContextVar[int | None] = ContextVar("zhixing_retry_after", default=None)


def hit_rate_limit(scope: str, ident: str, limit: int, window: int = 60) -> None:
    """Fixed-window counter in the shared cache; raises RateLimited (429) past `limit` calls per window."""
    if count_hit(scope, ident, window) > limit:
        left = window - int(timezone.now().timestamp()) % window
        RETRY_AFTER.set(max(left, RETRY_AFTER.get() or 0))
        raise RateLimited()


def admit(scope: str, ident: str, limit: int, n: int, window: int = 60) -> int:
    """Count `n` calls at once (a batch of requests); how many of them, in order, are within `limit`.

    The same counter and rule as `hit_rate_limit` (the i-th call is refused when the window's count,
    it included, exceeds `limit`), counted in one step for the screening gateway's request batches.
    """
    if n <= 0:
        return 0
    total = count_hit(scope, ident, window, n=n)
    return max(0, min(n, limit - (total - n)))


# A lease is this share of a limit (at most LEASE_MAX calls), taken from the shared store at once.
LEASE_SHARE = 100
LEASE_MAX = 1_000


class Leases:
    """`admit` for one long-lived process that counts many calls a second (the screening engine):
    the calls are taken from the shared counter in leases, not one store round trip per group.

    The shared counter is moved by a lease (1/LEASE_SHARE of the limit, at most LEASE_MAX calls, at
    least what the group needs), and what the process took but has not used is spent by its next groups
    of the same window without asking the store. So the shared count never admits more than `limit`
    calls in a window, whatever the number of processes and machines: each process admits only what its
    leases got under the limit. What can differ from counting each call: near the limit, another
    process may be refused while this one still holds up to a lease of unused calls (at most 1 % of
    the limit per process, and only in the window's last lease); with one process the result is exact.
    A limit under LEASE_SHARE calls takes no lease bigger than the group (every group counts).
    """

    def __init__(self) -> None:
        self.held: dict[str, int] = {}  # the window's counter key → calls taken and not yet used
        self.slot = -1

    def admit(self, scope: str, ident: str, limit: int, n: int, window: int = 60) -> int:
        """How many of `n` calls, in order, are within `limit` (as `admit`, counted in leases)."""
        if n <= 0:
            return 0
        slot = int(timezone.now().timestamp()) // window
        if slot != self.slot:  # a new window: what was held belonged to the last one
            self.held, self.slot = {}, slot
        name = window_key(scope, ident, window)
        held = self.held.get(name, 0)
        if held < n:
            lease = max(n - held, min(limit // LEASE_SHARE, LEASE_MAX))
            total = count_hit(scope, ident, window, n=lease)
            if total == 0:  # the store stayed unreachable: admitted uncounted (`count_hit`)
                return n
            held += max(0, min(lease, limit - (total - lease)))
        admitted = min(n, held)
        self.held[name] = held - admitted
        return admitted
