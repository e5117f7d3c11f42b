"""One `seed_demo` per test module: the `make run` demo loaded once, rolled back when the module ends.

Loading the demo takes tens of seconds, and a dozen tests each used to load their own to check what it
left. `loaded` loads it once inside an outer transaction; each test's own `db` transaction nests in
it as a savepoint, so what a test writes is undone after it, and the whole demo is undone after the
module's last test (no other test on the worker sees it).

Limits: a transactional test (`transaction=True`) flushes the database and a live server or another
process cannot see the uncommitted demo, so neither may use this world.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

# The size the shared checks were written for. Not enough for every check: at 100 cases some states
# (an entrustment closed, an exposure withdrawing, a 执转破 transfer, an overdue payout clock, two
# controls expiring in 越秀) are missing, so the checks of those share a load of `make run`'s default
# size (seed_demo's `DEFAULT_CASES`, tests/services/test_demo_world_default.py).
CASES = 100


@dataclass(frozen=True)
class DemoWorld:
    cases: int
    output: str  # what `seed_demo` printed (verbosity 1)


@contextmanager
def loaded(django_db_blocker: Any, cases: int = CASES) -> Iterator[DemoWorld]:
    """The demo of `cases` cases (`CASES` unless told), loaded on entry and rolled back on exit: a
    module-scoped fixture's body (after `django_db_setup`)."""
    from tests.conftest import _UNWORDED

    atomic = transaction.atomic()
    out = StringIO()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            # What each test's autouse fixtures set: a fast hasher, no post-commit worker kick.
            inquiry = {**getattr(settings, "ZHIXING_INQUIRY", {}), "kick_on_commit": False}
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], ZHIXING_INQUIRY=inquiry
            ):
                _UNWORDED.clear()
                call_command("seed_demo", cases=cases, stdout=out)
            unworded = list(dict.fromkeys(_UNWORDED))
            _UNWORDED.clear()
            if unworded:  # the per-test guard clears the list before the module's first test
                pytest.fail("\n".join(unworded), pytrace=False)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield DemoWorld(cases=cases, output=out.getvalue())
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
        caches["default"].clear()  # figures the demo cached in process memory (command_demo)
