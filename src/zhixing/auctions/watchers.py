"""The watchers' count of a lot, kept in the shared cache so every worker's WebSocket watchers add up."""

from __future__ import annotations

from django.core.cache import cache


def key(lot_id: int) -> str:
    return f"auction:watchers:{lot_id}"


def change(lot_id: int, delta: int) -> int:
    try:
        return int(cache.incr(key(lot_id), delta))
    except ValueError:  # first watcher: the counter does not exist yet
        cache.add(key(lot_id), 0, timeout=None)
        return int(cache.incr(key(lot_id), delta))


def count(lot_id: int) -> int:
    return max(int(cache.get(key(lot_id)) or 0), 0)
