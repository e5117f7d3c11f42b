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

The process exits when its parent (the server) is gone, checked every second: it never outlives the
server it answers for.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

log = logging.getLogger("django.request")


class Peer:
    """One web worker's connection: its requests go to the engine's queue; `deliver` sends the answers."""

    def __init__(self, conn: socket.socket, engine: Any) -> None:
        self.conn = conn
        self.engine = engine
        self.alive = True

    def serve(self) -> None:
        """Read requests until the worker hangs up (its thread)."""
        from .frames import Reader, read_job

        reader = Reader()
        try:
            while True:
                data = self.conn.recv(1 << 20)
                if not data:
                    break
                for number, payload in reader.feed(data):
                    job = read_job(payload)
                    job.loop, job.future = self, number
                    self.engine.submit(job)
        except (OSError, ValueError):
            log.exception("screening engine: a web worker's connection broke")
        finally:
            self.alive = False
            self.conn.close()

    def deliver(self, pairs: list[tuple[int, Any]]) -> None:
        """Send a group's answers to this worker (the engine thread: the only sender)."""
        if not self.alive:
            return  # the worker is gone: nobody waits for these answers
        from .frames import answer_frame

        try:
            self.conn.sendall(b"".join(answer_frame(number, answer) for number, answer in pairs))
        except OSError:
            self.alive = False


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)  # the server is gone: its workers' requests can no longer arrive


def run(path: str) -> None:
    """Listen at `path` and answer every connecting worker's requests until stopped (Django set up)."""
    from zhixing.core.heap import settle

    from .engine import Engine

    engine = Engine()
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket file is created 0600: only the server's user can connect
    try:
        listener.bind(path)
    finally:
        os.umask(old)
    listener.listen(64)
    settle()
    try:
        while True:
            conn, _ = listener.accept()
            peer = Peer(conn, engine)
            threading.Thread(target=peer.serve, name="screening-peer", daemon=True).start()
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()
