"""Database connections of long-lived pool threads (the ASGI fast paths of bank notices, screening and bids).

Django closes (SQLite, `CONN_MAX_AGE=0`) or health-checks (PostgreSQL, `CONN_HEALTH_CHECKS`: one
``SELECT 1``) the connection around every request; for a call as small as a bank notice, a screening group
or a bid that costs as much as the call itself (reopening SQLite also checkpoints its WAL). A pool thread
instead keeps its connection until a statement fails (then it is checked and closed if unusable, so the
caller's retry gets a fresh one) or `CONN_MAX_AGE` runs out.
"""

from __future__ import annotations

import time

from django.db import connections


def recycle_connection() -> None:
    """Before and after each unit of a pool thread's work: keep the thread's connection while it is
    healthy, close it when a statement failed and it is unusable, or when `CONN_MAX_AGE` has run out."""
    conn = connections["default"]
    if conn.connection is None:
        return
    if conn.in_atomic_block:
        # Someone's transaction is open on this connection (a caller running the fast path inline, as
        # tests do): closing it would end that transaction under its owner. A pool thread's unit of work
        # never starts inside one. (Django's check closes any connection whose autocommit differs from
        # the settings', which is every connection inside a transaction, once an error was recorded.)
        return
    if conn.errors_occurred:
        conn.close_if_unusable_or_obsolete()
    elif (
        conn.settings_dict.get("CONN_MAX_AGE")
        and conn.close_at is not None
        and time.monotonic() >= conn.close_at
    ):
        conn.close()
