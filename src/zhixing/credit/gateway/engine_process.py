"""The screening engine's own process: one per server, shared by all its web workers.

Run by ``python -m zhixing.config.screening_engine --socket PATH``, which
`zhixing.config.server.serve` starts (so `make run`'s launcher and the documented deployment alike), never
by hand. It listens on a Unix socket that only its user can open (mode 0600, in a private directory),
reads the requests every web worker forwards (`frames`), answers them in groups with the same `Engine`
as before (the same statements, limits, scoping, audit records and group commit), and writes each
answer back to the worker that asked.

Why a process of its own (docs/adr/0014-screening-gateway.md, "The engine's process"): in one process
the event loop and the engine shared one interpreter lock, and at 2,000 checks/s the two together held
it about 90 % of the time, so a request's wait for it made the p99. Apart, each has a core's share; and
every worker's requests join the same groups, behind ONE index in memory (not one per worker) and one
writer of the audit chain (no chain-head contention between workers).

The process exits when its parent (the server) is gone, checked every second, and removes its socket and
the socket's directory: it never outlives the server it answers for, even a killed one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import selectors
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhixing.core.audit_journal import Journal
from zhixing.core.kept_process import KeptProcess

from .frames import Reader, answer_frame, read_job
from .wire import Job

if TYPE_CHECKING:
    from .state_watch import ScreeningState

log = logging.getLogger("django.request")


class Peer:
    """One web worker's connection: `read` turns what it sent into requests; `deliver` sends answers."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.reader = Reader()
        self.alive = True

    def read(self, now: float) -> list[Job]:
        """The requests that arrived (the selector said the socket is readable: recv does not block)."""
        data = self.conn.recv(1 << 20)
        if not data:
            self.alive = False
            return []
        jobs = []
        for number, payload in self.reader.feed(data):
            job = read_job(payload)
            job.loop, job.future, job.queued_at = self, number, now
            jobs.append(job)
        return jobs

    def deliver(self, pairs: list[tuple[int, Any]]) -> None:
        """Send a group's answers to this worker (a blocking send: the worker's event loop reads at once)."""
        if not self.alive:
            return  # the worker is gone: nobody waits for these answers
        try:
            self.conn.sendall(b"".join(answer_frame(number, answer) for number, answer in pairs))
        except OSError:
            self.alive = False


def _watch_parent(parent: int, path: str) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            # The server is gone (killed: it could not stop us and remove the socket's directory itself),
            # so its workers' requests can no longer arrive: leave nothing behind.
            with contextlib.suppress(OSError):
                os.unlink(path)
                os.rmdir(os.path.dirname(path))
            os._exit(0)


def _listen(path: str) -> socket.socket:
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket file is created 0600: only the server's user can connect
    try:
        listener.bind(path)
    finally:
        os.umask(old)
    listener.listen(64)
    return listener


def _flusher(root: Path) -> KeptProcess:
    """The journal's flusher process (`zhixing.config.audit_journal_flusher`), started again when it
    dies. Stopped with the engine (`stop`: it makes a last pass first, so a server stopped cleanly
    leaves every answered call in the chain); were the engine killed, it leaves by itself after a last
    pass once it sees its parent gone."""
    command = [sys.executable, "-m", "zhixing.config.audit_journal_flusher", "--root", str(root)]
    flusher = KeptProcess("audit journal flusher", command)
    flusher.start()
    return flusher


def open_journal() -> tuple[Journal | None, KeptProcess | None]:
    """The engine's audit journal (`core.audit_journal`) and its flusher process on the documented
    deployment — PostgreSQL, with the rate limits in Redis —; none elsewhere (SQLite's commit never
    waits for the disk: `make run`'s launcher keeps its group transaction). The journal lives in
    `SCREENING_JOURNAL_DIR` (``DATA_DIR/screening-journal``), on the server's own disk (docs/deploy.md)."""
    from django.conf import settings
    from django.db import connections

    from .engine import _limits_in_database

    if connections["default"].vendor != "postgresql" or _limits_in_database():
        return None, None
    root = Path(settings.SCREENING_JOURNAL_DIR)
    journal = Journal(root)
    return journal, _flusher(root)


def watched_state() -> ScreeningState | None:
    """On PostgreSQL, the partners and the change log's cursor kept between groups and read again when
    a notice says they changed (`state_watch`); elsewhere None (every group reads them)."""
    from django.db import connections

    from .state_watch import ScreeningState, StateWatch

    if connections["default"].vendor != "postgresql":
        return None
    return ScreeningState(StateWatch())


def _stop(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # the server's terminate(): leave the loop, stop the flusher after a last pass


def run(path: str) -> None:
    """Listen at `path` and answer every connecting worker's requests until stopped (Django set up).

    ONE thread reads the workers' sockets and answers the groups (`Engine.answer`), as the engine
    thread of a web worker takes its queue (`Engine.take`): a group is what arrived until LINGER after
    its first request (never longer once that request has waited so long), at most MAX_GROUP. Reading
    in the same thread that answers spares a thread switch and an interpreter-lock hand-over per request.
    """
    from zhixing.core.heap import settle

    from . import engine as settings_of  # LINGER(_JOURNALED), MAX_GROUP read where set (tests change them)
    from .engine import Engine

    journal, flusher = open_journal()
    engine = Engine(journal=journal, state=watched_state())
    signal.signal(signal.SIGTERM, _stop)
    threading.Thread(target=_watch_parent, args=(os.getppid(), path), daemon=True).start()
    listener = _listen(path)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, None)
    settle()
    pending: list[Job] = []
    try:
        while True:
            timeout = None
            linger = settings_of.LINGER if journal is None else settings_of.LINGER_JOURNALED
            most = settings_of.MAX_GROUP
            if pending:
                timeout = max(0.0, pending[0].queued_at + linger - time.monotonic())
            events = selector.select(timeout)
            now = time.monotonic()
            for key, _mask in events:
                peer = key.data
                if peer is None:
                    conn, _ = listener.accept()
                    selector.register(conn, selectors.EVENT_READ, Peer(conn))
                    continue
                try:
                    pending += peer.read(now)
                except (OSError, ValueError):
                    log.exception("screening engine: a web worker's connection broke")
                    peer.alive = False
                if not peer.alive:
                    selector.unregister(peer.conn)
                    peer.conn.close()
            while pending and (len(pending) >= most or time.monotonic() >= pending[0].queued_at + linger):
                group, pending = pending[:most], pending[most:]
                engine.answer(group)
    except KeyboardInterrupt:
        pass
    finally:
        selector.close()
        listener.close()
        if flusher is not None:
            flusher.stop(timeout=30, kill=False)  # its last pass may take a while: never cut short
