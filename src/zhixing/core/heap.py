"""The web worker's heap and the cyclic garbage collector: a settled process's objects are frozen.

CPython's full (generation 2) collection walks every tracked object the process holds, and it runs
whenever the objects promoted since the last one reach a quarter of the long-lived heap. A web worker
holds a few million such objects once Django, every domain's models, views, URL patterns, templates
and the ORM's caches are loaded, and almost none of them ever become garbage; under a steady load
(a hot lot's thousand bids a second: every request's short-lived objects that survive a young
collection are promoted) a full collection ran every ~2 s and held the event loop 0.3–1.0 s each time
(measured with `gc.callbacks` on the auction benchmark's workers, 2 workers on 2 cores), which every
WebSocket frame and bid answer waited behind.

`settle()` collects once and freezes what is left (`gc.freeze()`): the frozen objects move to the
permanent generation, which no later collection walks. Garbage cycles made after it are collected as
before; only the start-up heap is left alone (unfrozen at exit, so the interpreter's teardown
frees it as before).

The queue consumers settle too (`core.tasks.settle_consumer`, a Huey start-up hook): a statement
import allocates a list per line (≈ 8,000 a file), and with CPython's default thresholds those
allocations ran a young collection every 700 of them and full ones over the whole unfrozen heap —
≈ 10 % of an import's CPU (`benchmarks/bench_analytics_ingest.py`, docs/analytics.md).
"""

from __future__ import annotations

import atexit
import gc
import os

# Young collections every 50,000 net allocations (CPython: 700) and the middle one every 20 of them
# (10): a request's objects (a bid waits ~0.1 s for its group) then mostly die young instead of being
# promoted into the old generation, whose growth by a quarter is what starts a full collection.
THRESHOLDS = (50_000, 20, 10)


_SETTLED: set[int] = set()  # the process ids that settled (a forked child settles again)


def settle() -> None:
    """Collect the start-up garbage, then freeze what remains (call once the application is loaded;
    a second call in the same process does nothing: a consumer's every worker thread calls it)."""
    pid = os.getpid()
    if pid in _SETTLED:
        return
    _SETTLED.add(pid)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    atexit.register(gc.unfreeze)  # at exit the interpreter's teardown frees them as it would have


def frozen() -> int:
    """How many objects are frozen (in the permanent generation)."""
    return gc.get_freeze_count()
