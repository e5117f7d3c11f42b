"""Rate limits count in one store shared by every process: the database cache, or Redis when configured.

Per-process memory multiplied every limit by the number of workers; these tests hold the store to
being shared (separate connections and separate cache clients see one count) and exact under
concurrency, and its counters to never being evicted while live.
"""

from __future__ import annotations

import importlib
import inspect
import os
import threading
import uuid
import warnings
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.db import connections
from django.utils import timezone

from zhixing.core import ratelimit
from zhixing.core.models import SharedCacheEntry
from zhixing.core.ratelimit import RateLimited, count_hit, hit_rate_limit
from zhixing.core.sharedcache import SharedDatabaseCache


def test_hit_rate_limit_keeps_its_signature_and_credit_reexports_it() -> None:
    from zhixing.credit import services as credit_services
    from zhixing.credit.services import partners

    assert (
        str(inspect.signature(hit_rate_limit))
        == "(scope: 'str', ident: 'str', limit: 'int', window: 'int' = 60) -> 'None'"
    )
    assert credit_services.hit_rate_limit is hit_rate_limit is partners.hit_rate_limit
    assert credit_services.RateLimited is RateLimited


def test_limits_use_the_shared_database_cache_without_redis(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhixing.config.settings import cache as cache_settings

    assert settings.ZHIXING_RATE_LIMIT_CACHE == "shared"
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert (
        importlib.reload(cache_settings).CACHES["shared"]["BACKEND"]
        == "zhixing.core.sharedcache.SharedDatabaseCache"
    )
    monkeypatch.setenv("REDIS_URL", "redis://10.0.0.5:6379/0")
    shared = importlib.reload(cache_settings).CACHES["shared"]
    assert (shared["BACKEND"], shared["LOCATION"]) == (
        "zhixing.core.sharedcache_redis.SharedRedisCache",
        "redis://10.0.0.5:6379/0",
    )
    monkeypatch.undo()
    importlib.reload(cache_settings)


@pytest.mark.django_db
def test_limit_is_enforced_from_the_shared_table() -> None:
    for _ in range(3):
        hit_rate_limit("test", "198.51.100.1", 3)
    with pytest.raises(RateLimited) as err:
        hit_rate_limit("test", "198.51.100.1", 3)
    assert (err.value.status, err.value.message) == (429, "请求过于频繁，请稍后再试")
    hit_rate_limit("test", "198.51.100.2", 3)  # another client has its own count
    assert SharedCacheEntry.objects.count() == 2  # the counters are rows every process reads


@pytest.mark.django_db
def test_any_identifier_makes_a_valid_key() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # CacheKeyWarning: spaces, control characters, length
        for ident in ("2001:db8::1", "名 字\n\x00", "x" * 400):
            assert count_hit("test", ident) == 1


@pytest.mark.django_db(transaction=True)
def test_separate_connections_count_every_hit_exactly_once() -> None:
    """Workers counting at the same moment, each on its own database connection: no hit is lost."""
    threads, per_thread = 4, 15
    seen: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def work() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                seen.append(count_hit("race", "203.0.113.5"))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    assert errors == []
    assert sorted(seen) == list(range(1, threads * per_thread + 1))


@pytest.mark.django_db
def test_live_counters_are_never_evicted() -> None:
    """Django's database cache evicts a share of live rows past MAX_ENTRIES; a limiter must not."""
    small = SharedDatabaseCache("zhixing_cache", {"OPTIONS": {"MAX_ENTRIES": 3}})
    small.set("old-1", 1, timeout=1)
    small.set("old-2", 1, timeout=1)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        for i in range(8):
            small.set(f"live-{i}", i, timeout=60)
        assert [small.get(f"live-{i}") for i in range(8)] == list(range(8))
        assert set(SharedCacheEntry.objects.values_list("cache_key", flat=True)) == {
            small.make_key(f"live-{i}") for i in range(8)
        }


@pytest.mark.django_db
def test_incr_keeps_the_expiry_and_refuses_expired_entries() -> None:
    shared = caches["shared"]
    shared.add("n", 1, timeout=30)
    expires = SharedCacheEntry.objects.get().expires
    assert shared.incr("n", 4) == 5
    assert SharedCacheEntry.objects.get().expires == expires
    with time_machine.travel(timezone.now() + timedelta(seconds=31)), pytest.raises(ValueError):
        shared.incr("n")


@pytest.mark.skipif(not os.environ.get("REDIS_TEST_URL"), reason="needs REDIS_TEST_URL")
def test_two_redis_clients_share_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache.backends.redis import RedisCache

    url = os.environ["REDIS_TEST_URL"]
    one, two = RedisCache(url, {"KEY_PREFIX": "zx-test"}), RedisCache(url, {"KEY_PREFIX": "zx-test"})
    clients = iter([one, two] * 3)
    monkeypatch.setattr(ratelimit, "store", lambda: next(clients))
    scope = f"redis-{uuid.uuid4().hex}"
    for _ in range(5):
        hit_rate_limit(scope, "198.51.100.9", 5)
    with pytest.raises(RateLimited):
        hit_rate_limit(scope, "198.51.100.9", 5)


@pytest.mark.skipif(not os.environ.get("REDIS_TEST_URL"), reason="needs REDIS_TEST_URL")
def test_redis_counts_in_one_round_trip_and_shares_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache.backends.redis import RedisCache
    from redis.client import Redis

    from zhixing.core.sharedcache_redis import SharedRedisCache

    url = os.environ["REDIS_TEST_URL"]
    one, two = (
        SharedRedisCache(url, {"KEY_PREFIX": "zx-test"}),
        SharedRedisCache(url, {"KEY_PREFIX": "zx-test"}),
    )
    plain = RedisCache(url, {"KEY_PREFIX": "zx-test"})
    key = f"count-{uuid.uuid4().hex}"
    one.count(f"warm-{key}", 5)  # a server that never saw the script loads it once (SCRIPT LOAD)
    trips: list[str] = []
    real = Redis.execute_command
    monkeypatch.setattr(
        Redis, "execute_command", lambda self, *a, **k: trips.append(a[0]) or real(self, *a, **k)
    )
    assert [one.count(key, 30, delta=3), two.count(key, 30, delta=2), one.count(key, 30)] == [3, 5, 6]
    assert trips == ["EVALSHA", "EVALSHA", "EVALSHA"]  # one round trip per count, a window's first too
    monkeypatch.undo()
    # The same counter Django's own client reads and adds to; the expiry is the window's, not extended.
    assert plain.get(key) == 6 and plain.incr(key, 4) == 10 and two.count(key, 30) == 11
    ttl = plain._cache.get_client(write=False).ttl(plain.make_and_validate_key(key))
    assert 0 < ttl <= 30
    plain.delete(key)
    assert one.count(key, 30, delta=7) == 7  # gone (expired or deleted): the count starts again
    assert 0 < plain._cache.get_client(write=False).ttl(plain.make_and_validate_key(key)) <= 30


@pytest.mark.django_db
def test_count_starts_a_fresh_window_and_sweeps_expired_counters() -> None:
    shared = caches["shared"]
    assert [shared.count("a", 10), shared.count("a", 10), shared.count("b", 10)] == [1, 2, 1]
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        assert shared.count("a", 10) == 1  # the expired entry restarts at 1 with a new expiry
        assert shared.count("a", 10) == 2
        assert shared.count("c", 10) == 1  # a new counter removes the expired ones ("b")
        assert set(SharedCacheEntry.objects.values_list("cache_key", flat=True)) == {
            shared.make_key("a"),
            shared.make_key("c"),
        }


@pytest.mark.django_db
def test_a_live_count_is_one_statement_and_get_reads_it() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shared = caches["shared"]
    if not connection.features.can_return_columns_from_insert:
        pytest.skip("the database has no INSERT … RETURNING: counted in a locked read and a write")
    assert shared.count("one", 30, delta=3) == 3  # a new window (and the sweep of expired counters)
    with CaptureQueriesContext(connection) as queries:
        assert shared.count("one", 30, delta=2) == 5
    assert len(queries) == 1 and "ON CONFLICT" in queries[0]["sql"]
    assert shared.get("one") == 5 and SharedCacheEntry.objects.get().value == "i:5"
    assert shared.incr("one") == 6 and shared.get("one") == 6


@pytest.mark.django_db
def test_a_counter_stored_as_a_pickle_still_counts() -> None:
    shared = caches["shared"]
    shared.set("old", 7, timeout=30)  # Django's own encoding (counters written before)
    expires = SharedCacheEntry.objects.get().expires
    assert shared.count("old", 30) == 8  # counted the former way: its window is kept
    assert SharedCacheEntry.objects.get().expires == expires
    assert shared.count("old", 30) == 9 and shared.get("old") == 9
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert shared.count("old", 30) == 1  # expired: a new window
