"""`core.pool_connections.recycle_connection`: a pool thread's connection is kept while healthy, closed
once unusable or past its age, and never closed under a transaction that is still open on it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from zhixing.core.pool_connections import recycle_connection

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_open_transaction_is_never_closed_under_its_owner() -> None:
    """A full-suite failure on PostgreSQL: an earlier error left `errors_occurred` set, and a test calling
    the bank-notice fast path inline lost its connection (and its transaction) to the recycle."""
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        connection.errors_occurred = True
        recycle_connection()
        assert connection.connection is raw and not connection.needs_rollback
        with connection.cursor() as cur:  # the transaction goes on (Django would have closed it)
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
    connection.errors_occurred = False


def test_a_healthy_connection_is_kept_and_an_unusable_one_closed() -> None:
    connection.ensure_connection()
    raw = connection.connection
    recycle_connection()
    assert connection.connection is raw  # healthy: kept between units of work
    raw.close()
    connection.errors_occurred = True
    recycle_connection()
    assert connection.connection is None  # unusable: closed, the next unit of work reconnects


def test_an_open_transaction_outlives_the_connections_age(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same on PostgreSQL's `CONN_MAX_AGE` (60 s): a test's connection is older than that after a
    minute of the run, and the inline fast path closed it for its age."""
    import time

    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    with transaction.atomic():
        connection.ensure_connection()
        monkeypatch.setattr(connection, "close_at", time.monotonic() - 1)
        recycle_connection()
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
        assert not connection.needs_rollback
    recycle_connection()  # outside any transaction the age applies again
    assert connection.connection is None
