"""The shared store on Redis (REDIS_URL set): Django's `RedisCache` with the one-step `count` of the limits.

`zhixing.core.ratelimit` counts with the store's `count` when it has one (`sharedcache.SharedDatabaseCache`
has it). Django's `RedisCache.incr` is two round trips (EXISTS, then INCRBY) and a window's first hit two
more (`add`, then INCRBY); the screening gateway counts every group of requests (each partner's calls,
and the enumeration detector's sums), so on the documented deployment those round trips were a share of
every group's wait (benchmarks/bench_credit.py --deployment postgres). Here a count is ONE round trip:
``SET key 0 EX timeout NX`` and ``INCRBY key delta`` in one MULTI/EXEC — atomic, the expiry set only
when the window starts (as `incr` then `add` did), the value a plain integer that `get` reads as
Django's serializer wrote it.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache


class SharedRedisCache(RedisCache):
    """`RedisCache` with `count` (see the module docstring)."""

    def count(self, key: Any, timeout: int, version: int | None = None, delta: int = 1) -> int:
        """Count `delta` more under `key`: `delta` when it is missing or expired (then it expires in
        `timeout` s). One round trip."""
        name = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(name, write=True)
        pipe = client.pipeline(transaction=True)
        pipe.set(name, 0, ex=timeout, nx=True)
        pipe.incrby(name, delta)
        _started, value = pipe.execute()
        return int(value)
