"""Root pytest configuration: background tasks run synchronously in tests (Huey immediate mode)."""

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _huey_immediate() -> Iterator[None]:
    """Run Huey tasks inline, in memory, so a test sees their effect and leaves no queue behind."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@pytest.fixture(autouse=True)
def _environment_restored() -> Iterator[None]:
    """Give every test back the process environment it started with.

    Code under test may set variables for its children (the launcher's `os.environ.setdefault` of
    ZHIXING_PLATFORM_URL, for one); left behind, they would reach every server a later test on the same
    worker starts and point its sandbox's callbacks at a port nobody listens on.
    """
    import os

    before = dict(os.environ)
    yield
    if dict(os.environ) != before:
        os.environ.clear()
        os.environ.update(before)


# Fixtures through which a test reaches the database under test.
_DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)
# Words in a module's source that say its tests may reach a database or a Redis by another way than the
# fixtures (a server subprocess, a connection of their own, the backend's vendor): such a module is never
# marked automatically.
_OTHER_WAYS_IN = (
    "DATABASE_URL",
    "REDIS",
    "redis",
    "postgres",
    "psycopg",
    "connection",
    "vendor",
    "subprocess",
    "live_asgi",
    "worker_processes",
)


@pytest.hookimpl(tryfirst=True)
def _mark_backend_neutral(items: list[pytest.Item]) -> None:
    """Mark `backend_neutral` every test that touches no database (ADR 0029).

    A test with neither a `django_db` marker nor a database fixture cannot reach the Django database
    (pytest-django refuses it), so it runs alike on both stages; the PostgreSQL stage skips it. Modules
    whose source names another way to a database (a subprocess, DATABASE_URL, a Redis, the connection)
    are left as they are. Runs first, so that `-m "not backend_neutral"` sees the marker."""
    sources: dict[str, bool] = {}
    for item in items:
        if item.get_closest_marker("django_db") or _DATABASE_FIXTURES & set(
            getattr(item, "fixturenames", ())
        ):
            continue
        path = str(item.path)
        if path not in sources:
            try:
                text = item.path.read_text(encoding="utf-8")
            except OSError:
                text = _OTHER_WAYS_IN[0]
            sources[path] = not any(word in text for word in _OTHER_WAYS_IN)
        if sources[path]:
            item.add_marker(pytest.mark.backend_neutral)


class _BackendNeutralPlugin:
    pytest_collection_modifyitems = staticmethod(_mark_backend_neutral)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Heavy modules first; serialized rollback for transactional tests.

    Order: scripts/test.sh runs `pytest -n 2 --dist loadfile --no-loadscope-reorder`, so xdist hands out
    whole modules in the order they are collected here. A module with a test marked `slow` goes first and
    the browser (e2e) modules next: a long module dealt out last would leave one core idle while the
    other finishes it (xdist's own reorder puts modules with few tests, the long single-test walks, last).
    The sort is stable, so the order within a module (pytest-django's: plain, then transactional) holds.

    Transactional tests flush every table when they end, including the reference data that data
    migrations load (case types, node types, partner categories). Serialized rollback restores it, so
    a test that runs after a transactional one on the same worker still finds it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        if marker is None and ("transactional_db" in fixtures or "live_server" in fixtures):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
            continue
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(
                pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}),
                append=False,
            )

    def weight(item: pytest.Item) -> int:
        if item.get_closest_marker("slow") is not None:
            return 0
        return 1 if item.get_closest_marker("e2e") is not None else 2

    module_weight: dict[str, int] = {}
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        module_weight[module] = min(module_weight.get(module, 2), weight(item))
    items.sort(key=lambda item: module_weight[item.nodeid.split("::", 1)[0]])


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, request: pytest.FixtureRequest, django_db_blocker: Any
) -> Iterator[None]:
    """Keep the serialized reference data reachable from every connection object.

    Django stores it on the connection wrapper, but asgiref's context-local connection handler hands a
    test that runs inside another context (Playwright's event loop, a worker thread) a fresh wrapper
    without it, and serialized rollback then silently restores nothing. Storing it on the wrapper
    class makes every wrapper of this backend see it.
    """
    from django.db import connections

    conn = connections["default"]
    contents = getattr(conn, "_test_serialized_contents", None)
    if contents is not None:
        type(conn)._test_serialized_contents = contents  # type: ignore[attr-defined]
    # The database was just migrated and nothing has written to it yet: the real-server tests copy it
    # instead of migrating a template of their own (~160 migrations, minutes of CPU on a busy machine).
    # Not when it is reused from an earlier run (it may hold that run's leftovers) or built without
    # migrations (no reference data).
    if not request.config.getoption("reuse_db") and not request.config.getoption("nomigrations"):
        from tests import live_asgi

        with django_db_blocker.unblock():
            live_asgi.adopt_migrated_database(conn)
    yield


def pytest_configure(config: pytest.Config) -> None:
    """Restore the reference data right after a transactional test flushes the database.

    Django restores serialized data only when the *next* transactional test starts; under
    `pytest-xdist --dist loadfile` an ordinary test from another file may run in between on the same
    worker and would find no case types or partner categories. Restoring at teardown closes that gap.
    (Also registers the automatic `backend_neutral` marking.)
    """
    config.pluginmanager.register(_BackendNeutralPlugin(), "zhixing-backend-neutral")
    from django.db import connections
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def teardown_and_restore(self: TransactionTestCase) -> None:
        original(self)
        if not self.serialized_rollback:
            return
        for alias in self._databases_names(include_mirrors=False):  # type: ignore[attr-defined]
            conn = connections[alias]
            contents = getattr(conn, "_test_serialized_contents", None)
            if contents:
                conn.creation.deserialize_db_from_string(contents)

    TransactionTestCase._fixture_teardown = teardown_and_restore  # type: ignore[method-assign]
