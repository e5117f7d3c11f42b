"""The watchers' count is one figure for every web worker: it lives in the shared cache, so a worker's
own memory (the per-process `default` cache) neither holds it nor hides another worker's watchers."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from zhixing.auctions import watchers

pytestmark = pytest.mark.django_db


def test_every_workers_watchers_add_up_in_the_shared_cache() -> None:
    caches["shared"].delete(watchers.key(77))
    assert watchers.change(77, 1) == 1
    assert watchers.change(77, 1) == 2
    caches["default"].clear()  # stands for another worker: its own memory holds nothing of the count
    assert watchers.count(77) == 2
    caches["shared"].incr(watchers.key(77), 3)  # three watchers join on another worker
    assert watchers.change(77, -1) == 4
    assert caches["shared"].get(watchers.key(77)) == 4
    assert caches["default"].get(watchers.key(77)) is None


def test_a_count_never_shows_below_zero() -> None:
    caches["shared"].delete(watchers.key(78))
    assert watchers.change(78, -1) == -1  # a leave seen before its join (reconnect race)
    assert watchers.count(78) == 0


def test_the_count_uses_one_cache_client_per_process_not_one_per_socket() -> None:
    """Every WebSocket consumer runs in a context of its own: `caches["shared"]` gives each context its
    own cache object (with Redis, its own connection: 10,000 watchers reached Redis' client limit)."""
    import contextvars

    assert contextvars.Context().run(watchers._cache) is contextvars.Context().run(watchers._cache)
    per_context = [contextvars.Context().run(lambda: caches["shared"]) for _ in range(2)]
    assert per_context[0] is not per_context[1]  # what the count used before
