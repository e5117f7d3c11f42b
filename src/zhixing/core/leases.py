"""Leases: locks every worker process and machine sees, which expire when their holder dies.

Huey's `lock_task` stores a flag with no expiry: a consumer killed while holding it (SIGKILL, OOM, a
machine lost) keeps it until someone flushes the locks, so with several consumers a killed one stopped
e.g. the privacy-table build of a partner for good. A lease is held by a random token for `ttl`
seconds and renewed by a background thread of the holder every `ttl / 3` seconds while the work runs;
a dead holder stops renewing and the lease expires within `ttl`. Only the token's holder renews or
releases it, so a holder that overran its lease never frees the lease of the worker that took over.

The store is the `shared` cache every worker counts its rate limits in (settings/cache.py): Redis
(`SET NX PX` and two compare-and-act scripts) when REDIS_URL is set, otherwise the database table
(`SharedDatabaseCache.claim` / `release`, row-locked). Call outside a service's transaction (as tasks
do): on the database store a claim made inside one is seen by other workers only when it commits.

`once(name, ttl)` is the same claim never released: the first caller of the period wins (periodic
tasks, `zhixing.core.periodic`).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from huey.exceptions import TaskLockedException

log = logging.getLogger(__name__)

# Long jobs (a partner's privacy table at national scale) renew; the default outlives any pause of a
# live holder (a GC, a slow statement) many times over, and a dead one blocks for at most this long.
DEFAULT_TTL_SECONDS = 120.0

# Compare-and-act on Redis: only the token's holder extends or deletes the key.
_RENEW = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then "
    "return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
)
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class LeaseHeld(TaskLockedException):
    """Another worker holds the lease (a Huey `TaskLockedException`, so task code can treat both alike)."""


def _store() -> BaseCache:
    return caches[getattr(settings, "ZHIXING_LEASE_CACHE", "shared")]


def _key(name: str) -> str:
    return f"zx:lease:{name}"


def _redis(cache: BaseCache, key: str) -> tuple[Any, str] | None:
    """(redis client, the full key) when the store is Django's Redis cache, else None."""
    client = getattr(cache, "_cache", None)
    if client is None or not hasattr(client, "get_client"):
        return None
    return client.get_client(key, write=True), cache.make_and_validate_key(key)


def acquire(name: str, token: str, ttl: float) -> bool:
    """Take the lease `name` for `token` for `ttl` seconds; False when another token holds it."""
    cache, key = _store(), _key(name)
    redis = _redis(cache, key)
    if redis is not None:
        client, full = redis
        return bool(client.set(full, token, nx=True, px=max(1, int(ttl * 1000))))
    return bool(cache.claim(key, token, ttl))  # type: ignore[attr-defined]


def renew(name: str, token: str, ttl: float) -> bool:
    """Extend `token`'s lease to `ttl` seconds from now; False when it expired or another holds it."""
    cache, key = _store(), _key(name)
    redis = _redis(cache, key)
    if redis is not None:
        client, full = redis
        return bool(client.eval(_RENEW, 1, full, token, max(1, int(ttl * 1000))))
    return bool(cache.claim(key, token, ttl, renew_only=True))  # type: ignore[attr-defined]


def release(name: str, token: str) -> bool:
    """Free the lease if `token` still holds it."""
    cache, key = _store(), _key(name)
    redis = _redis(cache, key)
    if redis is not None:
        client, full = redis
        return bool(client.eval(_RELEASE, 1, full, token))
    return bool(cache.release(key, token))  # type: ignore[attr-defined]


def once(name: str, ttl: float) -> bool:
    """True for the first caller of `name` within `ttl` seconds, in every process (never released)."""
    return acquire(f"once:{name}", secrets.token_hex(8), ttl)


class Lease:
    """A held lease; `lost` turns True when a renewal found it expired or taken (the work overran)."""

    def __init__(self, name: str, token: str, ttl: float) -> None:
        self.name, self.token, self.ttl = name, token, ttl
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _renew_until_stopped(self) -> None:
        from django.db import connections

        try:
            while not self._stop.wait(self.ttl / 3):
                try:
                    ok = renew(self.name, self.token, self.ttl)
                except Exception:  # a store that is briefly down (Redis restart): try again next round
                    log.warning("lease %s: renewal failed", self.name, exc_info=True)
                    continue
                if not ok:
                    self.lost = True
                    log.error("lease %s expired while its holder was still working", self.name)
                    return
        finally:
            connections.close_all()  # this thread's own connections (database store)

    def start_renewing(self) -> None:
        self._thread = threading.Thread(
            target=self._renew_until_stopped, name=f"lease:{self.name}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.ttl)


@contextmanager
def lease(name: str, ttl: float = DEFAULT_TTL_SECONDS, *, keep_alive: bool = True) -> Iterator[Lease]:
    """Hold the lease `name` while the block runs; raise `LeaseHeld` when another worker holds it.

    With `keep_alive` (the default) a thread renews it every `ttl / 3` s until the block ends, so work
    may take longer than `ttl`; if the holder dies, the lease expires `ttl` s after the last renewal.
    """
    held = Lease(name, secrets.token_hex(16), ttl)
    if not acquire(name, held.token, ttl):
        raise LeaseHeld(f"lease {name} is held by another worker")
    if keep_alive:
        held.start_renewing()
    try:
        yield held
    finally:
        held.stop()
        try:
            release(name, held.token)
        except Exception:  # it expires on its own within ttl
            log.warning("lease %s: release failed", name, exc_info=True)
