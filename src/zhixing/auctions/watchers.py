"""The watchers' count of a lot, kept in the shared cache so every worker's WebSocket watchers add up.

The `shared` alias (Redis in the documented deployment, the database on the embedded default), never the
per-process `default`: with several web workers a per-process counter showed each worker its own
watchers only.
"""

from __future__ import annotations

from django.core.cache import BaseCache, caches


def _cache() -> BaseCache:
    return caches["shared"]


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
