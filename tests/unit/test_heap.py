"""The web worker's start-up heap is frozen out of the cyclic collector's full passes (core/heap.py)."""

import gc
import os
import subprocess
import sys

from zhixing.core import heap


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
