"""Per-process caches that follow a change made in another worker: a generation number in Redis.

A few read-mostly tables are cached in each process (the holiday calendar, the custody accounts) and
reloaded after a short time or when this process changes them. With several web workers and consumers,
a change made in one worker reached the others only when their copy timed out. A `Generation` is a
counter in the shared Redis: the writer bumps it after commit, and every process compares it with the
number it loaded its copy under, reading Redis at most once per `POLL_SECONDS`, so a change reaches
every worker within that time.

Only with Redis (REDIS_URL): on the embedded database store a read per poll would be one more SQL
statement in requests that count their queries, and one process pair needs no more than the cache's
own time limit (which stays the fallback everywhere). A Redis error reads as "no news" (the time limit
still applies) and never fails the caller.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0


def _client() -> tuple[Any, str] | None:
    """The shared cache's Redis client and key prefix function, or None on the database store."""
    from django.conf import settings
    from django.core.cache import caches

    cache = caches[getattr(settings, "ZHIXING_LEASE_CACHE", "shared")]
    inner = getattr(cache, "_cache", None)
    if inner is None or not hasattr(inner, "get_client"):
        return None
    return inner, cache.make_and_validate_key("")


class Generation:
    """The change counter of one cached table, shared by every process through Redis."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._value = 0
        self._read_at = -POLL_SECONDS

    def _key(self, prefix: str) -> str:
        return f"{prefix}zx:gen:{self.name}"

    def bump(self) -> None:
        """Tell every process their copy is stale (call after the change has committed)."""
        found = _client()
        if found is None:
            return
        inner, prefix = found
        try:
            value = int(inner.get_client(write=True).incr(self._key(prefix)))
        except Exception:
            # Others reload when their copy's time limit runs out.
            log.warning("generation %s: bump failed", self.name, exc_info=True)
            return
        with self._lock:
            self._value, self._read_at = value, time.monotonic()

    def current(self) -> int:
        """The counter as last read (read again when older than `POLL_SECONDS`); 0 without Redis."""
        now = time.monotonic()
        with self._lock:
            if now - self._read_at < POLL_SECONDS:
                return self._value
        found = _client()
        if found is None:
            return 0
        inner, prefix = found
        try:
            raw = inner.get_client(write=False).get(self._key(prefix))
        except Exception:
            log.warning("generation %s: read failed", self.name, exc_info=True)
            return self._value
        with self._lock:
            self._value, self._read_at = int(raw or 0), now
            return self._value

    def forget(self) -> None:
        """Read Redis at the next `current()` (tests; after a local invalidation)."""
        with self._lock:
            self._read_at = -POLL_SECONDS
