"""Shared state is shared between worker processes (issue 22): leases that expire when their holder
dies, one rate limit for two processes, periodic tasks enqueued once per period by two consumers, and
per-process caches that follow a change made elsewhere.

Each test runs on the embedded store (the database cache table) and, when `REDIS_TEST_URL` is set (the
PostgreSQL run of `make test`), on Redis, with real separate processes (`tests.worker_processes`).
"""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from huey.exceptions import TaskLockedException

from tests import worker_processes
from zhixing.core import leases

REDIS = os.environ.get("REDIS_TEST_URL", "")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["database", "redis"])
def store(request: Any, settings: Any) -> str:
    """'' for the database cache table, the Redis URL for Redis; the test process uses the same store."""
    if request.param == "database":
        return ""
    if not REDIS:
        pytest.skip("REDIS_TEST_URL not set (make test starts Redis for the PostgreSQL run)")
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": "zhixing",
        },
    }
    return REDIS


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# -- leases -------------------------------------------------------------------------------------------


def test_only_the_holder_renews_or_releases_a_lease(store: str) -> None:
    name = _unique("t-owner")
    assert leases.acquire(name, "a", 30)
    assert not leases.acquire(name, "b", 30)
    assert not leases.release(name, "b")  # not b's to free
    assert not leases.renew(name, "b", 30)
    assert leases.renew(name, "a", 30)
    assert not leases.acquire(name, "b", 30)
    assert leases.release(name, "a")
    assert leases.acquire(name, "b", 30)
    assert not leases.renew(name, "a", 30)  # a lost it: no silent take-back


def test_a_held_lease_refuses_a_second_holder_like_hueys_lock(store: str) -> None:
    name = _unique("t-held")
    with leases.lease(name, ttl=30) as held:
        with pytest.raises(TaskLockedException), leases.lease(name, ttl=30):
            pass
        assert held.lost is False
    with leases.lease(name, ttl=30):  # released at the end of the block
        pass


def test_an_expired_lease_goes_to_the_next_worker_and_its_old_holder_cannot_free_it(store: str) -> None:
    name = _unique("t-expiry")
    assert leases.acquire(name, "old", 1)
    time.sleep(1.3)
    assert leases.acquire(name, "new", 30)
    assert not leases.release(name, "old")
    assert not leases.acquire(name, "third", 30)


def test_a_lease_held_by_a_killed_worker_expires_and_a_live_one_is_renewed(store: str) -> None:
    """The privacy-table build's case: its consumer is SIGKILLed mid-build; another consumer may build
    once the lease's time has run out, while a live holder keeps it however long the work takes."""
    name, ttl = _unique("credit-privacy-build"), 2.0
    holder = worker_processes.spawn(
        f"""
        from zhixing.core.leases import lease
        with lease({name!r}, ttl={ttl}):
            print("held", flush=True)
            time.sleep(120)
        """,
        redis_url=store,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        time.sleep(ttl * 1.6)  # past the first ttl: only renewal keeps it
        assert not leases.acquire(name, "other", ttl)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        killed_at = time.monotonic()
        while not leases.acquire(name, "other", ttl):
            assert time.monotonic() - killed_at < ttl + 2, "the dead holder's lease never expired"
            time.sleep(0.1)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


# -- one rate limit for two worker processes ---------------------------------------------------------


def test_two_worker_processes_share_one_rate_limit(store: str) -> None:
    """A limit of 50 per minute admits 50 calls in total whether one worker or two take them."""
    scope, limit, per_worker = _unique("t-two-workers"), 50, 40
    code = f"""
        from zhixing.core.ratelimit import RateLimited, hit_rate_limit
        admitted = 0
        for _ in range({per_worker}):
            try:
                hit_rate_limit({scope!r}, "198.51.100.77", {limit})
                admitted += 1
            except RateLimited:
                pass
        print(admitted)
    """
    workers = [worker_processes.spawn(code, redis_url=store) for _ in range(2)]
    results = []
    for w in workers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
        results.append(int(out.strip()))
    assert sum(results) == limit
    assert all(r >= per_worker - (2 * per_worker - limit) for r in results)  # each got its share or more


# -- periodic tasks: once per period with two consumers ----------------------------------------------


def _due(timestamp: datetime) -> set[str]:
    """Every periodic task Huey itself finds due at `timestamp` (without the claim)."""
    from django.utils.module_loading import autodiscover_modules
    from huey.api import Huey
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")
    return {t.name for t in Huey.read_periodic(HUEY, timestamp)}


def _scheduler(*minutes: datetime) -> str:
    """A consumer's scheduler looking at each of `minutes` in turn: one JSON list per line."""
    return f"""
        import json
        from datetime import datetime
        from django.utils.module_loading import autodiscover_modules
        from huey.contrib.djhuey import HUEY
        autodiscover_modules("tasks")  # as run_huey does
        for when in {[m.isoformat() for m in minutes]!r}:
            print(json.dumps(sorted(t.name for t in HUEY.read_periodic(datetime.fromisoformat(when)))))
    """


def test_two_consumers_enqueue_each_periodic_task_once_per_period(store: str) -> None:
    """Both consumers' schedulers look at the same minute at once: between them every due task is
    enqueued exactly once; a third look in that minute enqueues nothing; the next minute is claimed
    afresh."""
    offset = uuid.uuid4().int % (24 * 365)  # an hour no earlier run of this test claimed
    minute = datetime(2031, 1, 1) + timedelta(hours=offset)  # on the hour: */5, */10, */15 are due
    consumers = [worker_processes.spawn(_scheduler(minute), redis_url=store) for _ in range(2)]
    enqueued: list[list[str]] = []
    for c in consumers:
        out, err = c.communicate(timeout=120)
        assert c.returncode == 0, err
        enqueued.append(json.loads(out))
    due = _due(minute)
    assert len(due) >= 10  # the sweeps every minute and every 5/10/15 minutes
    assert set(enqueued[0]).isdisjoint(enqueued[1])
    assert sorted(enqueued[0] + enqueued[1]) == sorted(due)
    next_minute = minute + timedelta(minutes=1)
    again, following = worker_processes.run(_scheduler(minute, next_minute), redis_url=store).splitlines()
    assert json.loads(again) == []  # a third look at the same minute: already claimed
    assert json.loads(following) == sorted(_due(next_minute))  # the next minute is claimed afresh


# -- per-process caches follow a change made in another worker ---------------------------------------


def test_a_holiday_year_loaded_in_another_worker_reaches_this_ones_calendar(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With Redis the change reaches every worker at its next poll; on the embedded store the copy
    keeps its 30-second time limit (one process pair)."""
    from zhixing.core import generations, holidays

    monkeypatch.setattr(generations, "POLL_SECONDS", 0.0)
    holidays.invalidate()
    year = 2040 + uuid.uuid4().int % 50
    assert not holidays.current_calendar().covers(year)
    worker_processes.run(
        f"""
        from datetime import date
        from zhixing.core.holidays import load_year
        load_year(None, {year}, [(date({year}, 1, 1), False, "元旦")], source="测试")
        """,
        redis_url=store,
    )
    assert holidays.current_calendar().covers(year) is bool(store)


# -- Redis restarting ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_limit_whose_redis_is_restarting_admits_after_its_retries_instead_of_failing(
    settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from zhixing.core import ratelimit

    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        },
    }
    monkeypatch.setattr(ratelimit, "STORE_RETRY_SECONDS", 0.3)
    started = time.monotonic()
    assert ratelimit.count_hit("t-down", "198.51.100.8") == 0
    ratelimit.hit_rate_limit("t-down", "198.51.100.8", 1)  # admitted, not a 500
    assert ratelimit.admit("t-down", "198.51.100.8", 5, 3) == 3
    assert time.monotonic() - started >= 0.9  # each call retried for its 0.3 s first
    assert "rate-limit store unreachable: t-down admitted uncounted" in caplog.text


# -- live updates: a notification pushed by one process reaches a socket held by another ------------


@pytest.mark.skipif(not REDIS, reason="needs REDIS_TEST_URL (the in-memory layer is one process's own)")
def test_a_push_from_a_consumer_reaches_the_group_joined_in_a_web_worker() -> None:
    """The web worker holding the user's WebSocket joined `notify.<id>`; a consumer (here another
    process) writes the notification and pushes it through the Redis layer."""
    group = f"notify.{uuid.uuid4().int % 10**9}"
    listener = worker_processes.spawn(
        f"""
        import asyncio, json
        from channels.layers import get_channel_layer
        async def listen():
            layer = get_channel_layer()
            channel = await layer.new_channel()
            await layer.group_add({group!r}, channel)
            print("joined", flush=True)
            message = await asyncio.wait_for(layer.receive(channel), timeout=60)
            print(json.dumps(message), flush=True)
        asyncio.run(listen())
        """,
        redis_url=REDIS,
    )
    try:
        assert listener.stdout is not None
        assert listener.stdout.readline().strip() == "joined"
        worker_processes.run(
            f"""
            from asgiref.sync import async_to_sync
            from channels.layers import get_channel_layer
            message = {{"type": "notify.message", "data": {{"text": "案件已分配"}}}}
            async_to_sync(get_channel_layer().group_send)({group!r}, message)
            """,
            redis_url=REDIS,
        )
        out, err = listener.communicate(timeout=60)
        assert listener.returncode == 0, err
        assert json.loads(out) == {"type": "notify.message", "data": {"text": "案件已分配"}}
    finally:
        if listener.poll() is None:
            listener.kill()
            listener.wait()
