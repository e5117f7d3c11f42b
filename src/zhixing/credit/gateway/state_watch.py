"""The screening state kept between groups on PostgreSQL, read again only when it changed (LISTEN/NOTIFY).

Every group needs the change log's cursor (the index and the detail cache follow the log) and the
partners of its keys (`services.partners.screening_state`). Read per group, that statement was the
biggest wait of a group on the documented deployment (p50 0.61 ms, p99 2.08 ms at 2,000 checks/s: a
round trip on two busy cores). Here the engine's process keeps what it read, and a connection of its own
LISTENs on the channel that the triggers of migration credit 0020 notify when a partner's screening
fields change (a key issued or revoked, a limit, the privacy mode) or the change log moves. A group
first takes the notices that arrived (one non-blocking poll of that socket); after any notice, or
while the listening connection is down, it reads the state as before.

What a reader can rely on: a change is seen by every group that starts after its notice reached the
engine, which is at most a scheduling delay after the change's commit (PostgreSQL sends notices at
commit, to a listener that is idle: this one always is). A group reading the state per group saw a
change committed before its statement ran; the difference is that delay, far below anything a partner
or a court clerk can observe (a revoked key is refused within milliseconds either way).

Whatever the notices, the state is read again at least every `MAX_AGE` seconds. Keys are cached with
their answer, unknown or revoked included (None), so a stream of made-up keys is
read once each; the cache is dropped whole at `MAX_KEYS`.
"""

from __future__ import annotations

import contextlib
import logging
import select
import time
from typing import Any

from ..models import Partner
from ..services.partners import screening_state

log = logging.getLogger("django.request")

CHANNEL = "zhixing_screening_state"  # notified by the triggers of migration credit 0020
MAX_KEYS = 10_000  # keys kept at most (made-up keys included): dropped whole past it
RETRY_EVERY = 1.0  # seconds between attempts to open the listening connection again
# Seconds a kept state is trusted at most: read again then even without a notice, so a channel that
# silently delivers nothing (a pooler in transaction mode between the engine and PostgreSQL drops
# LISTEN's notices) delays a change by this much at worst, never for ever. One statement a second.
MAX_AGE = 1.0


class StateWatch:
    """A connection LISTENing on `CHANNEL`; `changed()` says whether the state read before may be stale."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self.conn: Any = None
        self.tried_at = -RETRY_EVERY

    def _connect(self) -> None:
        import psycopg
        from django.db import connections

        params = connections[self.alias].get_connection_params()
        for django_only in ("cursor_factory", "context", "prepare_threshold"):
            params.pop(django_only, None)
        conn = psycopg.connect(**params, autocommit=True)
        conn.execute(f"LISTEN {CHANNEL}")
        self.conn = conn

    def changed(self) -> bool:
        """True when a notice arrived since the last call, or when there is no listening connection
        (just opened: what changed before it listened is unknown; or down: nothing would be heard)."""
        if self.conn is None:
            now = time.monotonic()
            if now - self.tried_at >= RETRY_EVERY:
                self.tried_at = now
                try:
                    self._connect()
                except Exception:
                    log.warning(
                        "screening state: cannot listen for changes; reading every group", exc_info=True
                    )
            return True
        pg = self.conn.pgconn
        try:
            heard = False
            if select.select([pg.socket], [], [], 0)[0]:
                pg.consume_input()  # raises when the connection broke (the server restarted, a kill)
            while pg.notifies() is not None:
                heard = True
            if pg.status != 0:  # CONNECTION_OK
                raise OSError("the listening connection is not open")
            return heard
        except Exception:
            log.warning("screening state: the listening connection broke; opening it again", exc_info=True)
            self.close()
            return True

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # already broken: nothing to release
                conn.close()


class ScreeningState:
    """`screening_state(keys)` with the answers kept until a notice says they changed (`StateWatch`)."""

    def __init__(self, watch: StateWatch) -> None:
        self.watch = watch
        self.cursor: int | None = None
        self.partners: dict[str, Partner | None] = {}
        self.read_at = 0.0

    def read(self, keys: set[str]) -> tuple[int, dict[str, Partner]]:
        """The change log's cursor and the active partner of each of `keys` that has one."""
        now = time.monotonic()
        if self.watch.changed() or now - self.read_at >= MAX_AGE:
            self.cursor = None
            self.partners.clear()
            self.read_at = now
        known = self.partners
        missing = keys if self.cursor is None else {k for k in keys if k not in known}
        if missing and len(known) + len(missing) > MAX_KEYS:
            known.clear()
            missing = keys
        if missing or self.cursor is None:
            cursor, found = screening_state(missing)
            self.cursor = cursor
            for key in missing:
                known[key] = found.get(key)
        found_now = {k: p for k in keys if (p := known.get(k)) is not None}
        assert self.cursor is not None
        return self.cursor, found_now

    def close(self) -> None:
        self.watch.close()
