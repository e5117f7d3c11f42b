"""The web worker's and the queue consumer's start-up heap is frozen out of the cyclic collector's full
passes (core/heap.py)."""

import gc
import os
import subprocess
import sys

import pytest

from zhixing.core import heap


@pytest.fixture(autouse=True)
def unsettled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a process that has not settled (another test in this worker may have
    imported the ASGI application, which settles)."""
    monkeypatch.setattr(heap, "_SETTLED", set())


def test_settle_freezes_what_the_process_holds_and_still_collects_new_cycles():
    class Node:
        pass

    held = [Node() for _ in range(1000)]
    before = gc.get_threshold()
    try:
        heap.settle()
        assert heap.frozen() >= 1000
        assert gc.get_threshold() == (50_000, 20, 10)
        tracked = {id(o) for o in gc.get_objects()}
        assert not any(id(n) in tracked for n in held)  # no collection walks them
        cycle = Node()
        cycle.me = cycle  # type: ignore[attr-defined]
        assert id(cycle) in {id(o) for o in gc.get_objects()}  # a new object is collected as before
        del cycle
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_settle_is_once_per_process_whichever_worker_thread_calls_it(monkeypatch: pytest.MonkeyPatch):
    class Node:
        pass

    freezes: list[int] = []
    real_freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: (freezes.append(1), real_freeze())[1])
    before = gc.get_threshold()
    try:
        heap.settle()
        later = [Node() for _ in range(1000)]
        heap.settle()  # the consumer's second worker thread starting
        assert len(freezes) == 1
        tracked = {id(o) for o in gc.get_objects()}
        assert all(id(n) in tracked for n in later)  # left to the collector as before
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_a_queue_consumer_settles_its_heap_as_its_workers_start():
    # what `manage.py run_huey` does before its workers take tasks: load every app's tasks, then
    # each worker thread calls the start-up hooks
    code = (
        "import gc, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'zhixing.config.settings';"
        "import django; django.setup();"
        "from django.utils.module_loading import autodiscover_modules; autodiscover_modules('tasks');"
        "from huey.contrib.djhuey import HUEY; hooks = list(HUEY._startup);"
        "[h() for h in HUEY._startup.values()]; frozen = gc.get_freeze_count();"
        "[h() for h in HUEY._startup.values()];"
        "print(' '.join(hooks), frozen, gc.get_freeze_count(), *gc.get_threshold())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, timeout=120, check=True
    )
    *hooks, frozen, again, t0, t1, t2 = out.stdout.split()
    assert "settle_consumer" in hooks
    assert int(frozen) > 100_000  # Django, every app's models and tasks
    assert int(again) == int(frozen)  # the second worker thread's call changes nothing
    assert (int(t0), int(t1), int(t2)) == (50_000, 20, 10)


def test_the_asgi_application_is_loaded_then_frozen():
    code = (
        "import gc, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'zhixing.config.settings';"
        "import zhixing.config.asgi; print(gc.get_freeze_count(), len(gc.get_objects()), *gc.get_threshold())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, timeout=120, check=True
    )
    frozen, unfrozen, *thresholds = map(int, out.stdout.split())
    assert thresholds == [50_000, 20, 10]
    assert frozen > 100_000  # Django, every app's models and views, the URL patterns
    assert unfrozen < 1_000
    assert "leaked" not in out.stderr  # unfrozen at exit: teardown frees it as before
