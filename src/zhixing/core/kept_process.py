"""A child process kept running: started, started again when it dies (checked every half second), and
stopped on request. The server keeps the screening engine's process this way, and the engine's process
keeps its audit journal's flusher (docs/adr/0014-screening-gateway.md)."""

from __future__ import annotations

import logging
import subprocess
import threading

log = logging.getLogger("zhixing.server")


class KeptProcess:
    """`command` run as a child, restarted whenever it exits until `stop`. `new_session`: the child in a
    session of its own (the terminal's Ctrl+C does not reach it; its parent stops it in order)."""

    def __init__(self, name: str, command: list[str], *, new_session: bool = False) -> None:
        self.name, self.command, self.new_session = name, command, new_session
        self.stopping = threading.Event()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._spawn()
        threading.Thread(target=self._watch, name=f"{self.name}-watch", daemon=True).start()

    def _spawn(self) -> None:
        self.proc = subprocess.Popen(self.command, start_new_session=self.new_session)

    def _watch(self) -> None:
        while not self.stopping.wait(0.5):
            if self.proc is not None and self.proc.poll() is not None and not self.stopping.is_set():
                log.error("%s exited with %s; starting it again", self.name, self.proc.returncode)
                self._spawn()

    def stop(self, *, timeout: float, kill: bool) -> None:
        """SIGTERM, then wait up to `timeout` s; past it, SIGKILL (`kill`) or leave it to finish alone."""
        self.stopping.set()
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            if not kill:
                log.error("%s did not stop within %s s; it goes on alone", self.name, timeout)
                return
            proc.kill()
            proc.wait(timeout=10)
