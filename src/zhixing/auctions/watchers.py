"""The watchers' count of a lot, kept in the shared cache so every worker's WebSocket watchers add up.

The `shared` alias (Redis in the documented deployment, the database on the embedded default), never the
per-process `default`: with several web workers a per-process counter showed each worker its own
watchers only.

One cache object per process, not `caches["shared"]`: Django keeps cache objects per async context, so
every WebSocket consumer (a context of its own) opened and held its own Redis connection — 10,000
watchers were 10,000 Redis clients, Redis' default limit, after which the lot's broadcasts failed.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import BaseCache, caches
from django.core.signals import setting_changed
from django.dispatch import receiver

_shared: BaseCache | None = None


def _cache() -> BaseCache:
    global _shared
    if _shared is None:
        _shared = caches.create_connection("shared")
    return _shared


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    """Tests that override CACHES get a cache object of the new settings."""
    global _shared
    if setting == "CACHES":
        _shared = None


def key(lot_id: int) -> str:
    return f"auction:watchers:{lot_id}"


def change(lot_id: int, delta: int) -> int:
    cache = _cache()
    try:
        return int(cache.incr(key(lot_id), delta))
    except ValueError:  # first watcher: the counter does not exist yet
        cache.add(key(lot_id), 0, timeout=None)
        return int(cache.incr(key(lot_id), delta))


def count(lot_id: int) -> int:
    return max(int(_cache().get(key(lot_id)) or 0), 0)
