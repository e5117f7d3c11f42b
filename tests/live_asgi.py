"""Real server processes for tests: the platform's own ASGI app under uvicorn, on loopback.

`LiveASGI` starts one of the platform's server entry points in a subprocess, exactly as it runs in use:

* ``"server"``: ``python -m zhixing.config.server`` (the documented deployment, docs/deploy.md);
* ``"launcher"``: ``python -m zhixing.config.launcher`` (what ``make run`` starts; its Huey worker
  too, the partner sandbox off).

Each server gets a free 127.0.0.1 port and a data directory of its own (or a shared one, to run
several processes over one database), migrated from a template made once per test session. The
subprocess imports this worktree's `src` and never inherits DATABASE_URL or REDIS_URL: it uses the
SQLite database in its data directory unless the test passes its own environment.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
_ENTRY = {"server": "zhixing.config.server", "launcher": "zhixing.config.launcher"}
# Variables of the test run that must not leak into the server (its database, queue, proxies, mode).
_SCRUB = (
    "DATABASE_URL",
    "REDIS_URL",
    "ZHIXING_TRUSTED_PROXIES",
    "ZHIXING_PRODUCTION",
    "ZHIXING_DEBUG",
    "SECRET_KEY",
    "PORT",
    "HOST",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest; a deployment never has it
    "ZHIXING_AUDIT_CHECKPOINT_KEY",
    "ZHIXING_AUDIT_CHECKPOINT_KEY_FILE",
    # Where the launcher's sandbox sends callbacks: derived from the server's own PORT unless inherited.
    "ZHIXING_PLATFORM_URL",
    "ZHIXING_SANDBOX_URL",
    "CUSTODY_NOTIFY_URL",
)
_template: Path | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def base_env(data_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="zhixing.config.settings",
        DATA_DIR=str(data_dir),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra or {})
    return env


def _migrated_template() -> Path:
    """A data directory migrated once per test session (copied for each server's own database)."""
    global _template
    if _template is None:
        path = Path(tempfile.mkdtemp(prefix="zx-live-template-"))
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=base_env(path),
            check=True,
            timeout=600,
        )
        _template = path
    return _template


def adopt_migrated_database(connection: Any) -> None:
    """Take a freshly migrated SQLite database (the test session's own) as the template.

    The root conftest offers the test database right after pytest-django has migrated it, before any
    test writes to it: the same migrations `manage.py migrate` runs, so the template is the same
    database without a second migration. Any other database (PostgreSQL, in memory) is ignored and the
    template is migrated in a subprocess as before.
    """
    global _template
    if _template is not None or connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    path = Path(tempfile.mkdtemp(prefix="zx-live-template-"))
    connection.ensure_connection()
    target = sqlite3.connect(path / "zhixing.sqlite3")
    try:
        connection.connection.backup(target)  # a consistent copy, WAL or not
    finally:
        target.close()
    _template = path


def migrated_data_dir(target: Path) -> Path:
    """`target` holding a freshly migrated SQLite database (a copy of the session's template)."""
    return copied_data_dir(_migrated_template(), target)


def copied_data_dir(source: Path, target: Path) -> Path:
    """`target` holding a copy of the SQLite database in the data directory `source` (no server on it)."""
    target.mkdir(parents=True, exist_ok=True)
    for f in source.glob("zhixing.sqlite3*"):
        shutil.copy2(f, target / f.name)
    return target


def manage(data_dir: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    """Run `manage.py <args>` against a server's data directory; its standard output."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=base_env(data_dir, env),
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout


class LiveASGI:
    """One real server process; use as a context manager or call `start`/`stop`."""

    def __init__(
        self, data_dir: Path, *, entry: str = "server", env: Mapping[str, str] | None = None
    ) -> None:
        self.data_dir = data_dir
        self.entry = entry
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = base_env(data_dir, {"PORT": str(self.port), "HOST": "127.0.0.1", **(env or {})})
        if entry == "launcher":
            self.env.setdefault("ZHIXING_SANDBOX", "0")
            self.env.setdefault("ZHIXING_SANDBOX_PORT", str(free_port()))
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir / f"server-{self.port}.log"

    def start(self, timeout: float = 90) -> LiveASGI:
        cmd = [sys.executable, "-m", _ENTRY[self.entry]]
        if self.entry == "server":
            cmd += ["--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("wb") as out:
            # Own process group: the launcher's worker child is stopped with it.
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.output()}")
            try:
                # The first request loads the URLconf and every view: allow it time on a busy machine.
                requests.get(self.url + "/login/", timeout=30)
                return self
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not answer within {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        # SIGINT: uvicorn shuts down, and the launcher then stops its worker (its `finally`).
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def __enter__(self) -> LiveASGI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_for_fresh_window(window: int = 60, needed: float = 15.0) -> None:
    """Sleep into the next fixed rate-limit window if fewer than `needed` seconds remain in this one."""
    left = window - (time.time() % window)
    if left < needed:
        time.sleep(left + 0.2)


def login_form(session: requests.Session, base: str) -> str:
    """Open the sign-in page; the CSRF token to post with."""
    session.get(base + "/login/", timeout=10).raise_for_status()
    return str(session.cookies["csrftoken"])
