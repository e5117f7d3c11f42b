"""Caches: `shared`, one store for every web process and machine, and a per-process `default`.

Every rate limit (public queries, partner keys, sign-in) counts in `shared`, so a limit of N per
minute is N whatever the number of workers (see `zhixing.core.ratelimit`): Redis when REDIS_URL is
set, the database otherwise. The database cache's table is created by a core migration
(`core.SharedCacheEntry`), so a fresh `migrate` is all it needs. `default` stays in process memory
for anything that may differ between processes.
"""

from typing import Any

from .env import env_int, env_str

_redis = env_str("REDIS_URL", "")

_shared: dict[str, Any]
if _redis:
    _shared = {
        # Django's RedisCache with the limits' one-round-trip `count`.
        "BACKEND": "zhixing.core.sharedcache_redis.SharedRedisCache",
        "LOCATION": _redis,
        "KEY_PREFIX": "zhixing",
    }
else:
    _shared = {
        "BACKEND": "zhixing.core.sharedcache.SharedDatabaseCache",
        "LOCATION": "zhixing_cache",
        # Past this many rows a write first deletes the expired ones (live entries are never evicted).
        "OPTIONS": {"MAX_ENTRIES": env_int("ZHIXING_CACHE_MAX_ENTRIES", 20000)},
    }

CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": _shared,
}

# The cache alias the rate limits count in.
ZHIXING_RATE_LIMIT_CACHE = "shared"
