"""A real server process for tests: the product's ASGI app under uvicorn on a free loopback port.

Like `make run` (Makefile, `config/launcher.py`): a fresh DATA_DIR is migrated, optionally seeded by a
function run in a child Django process, then `zhixing.config.asgi:application` is served by uvicorn
(lifespan off) on 127.0.0.1. The database is the SQLite file in that DATA_DIR (DATABASE_URL is not
passed on). Attacks that must go through a real HTTP stack (client addresses, headers, rate limits)
use it instead of Django's test client::

    with LiveServer(tmp_path) as server:
        seeded = server.call("tests.security.live_seed:listing")  # the function's JSON result
        server.start()
        status, body = server.get("/api/v1/public/blacklist", {"q": seeded["name"]})

`uvicorn_args` are appended to uvicorn's command line (e.g. to pin the launcher's proxy settings).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(
        self, data_dir: Path, env: Mapping[str, str] | None = None, uvicorn_args: Sequence[str] = ()
    ) -> None:
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(
            DATA_DIR=str(data_dir),
            DJANGO_SETTINGS_MODULE="zhixing.config.settings",
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        )
        self.env.update(env or {})
        self.uvicorn_args = list(uvicorn_args)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.manage("migrate", "--noinput", "-v0")

    def _run(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        if done.returncode:
            raise RuntimeError(f"{args[:3]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def manage(self, *args: str) -> str:
        """Run a management command against this server's DATA_DIR; returns its output."""
        return self._run("manage.py", *args)

    def call(self, target: str) -> Any:
        """Run ``module:function`` in a child process with Django set up; returns its JSON-able result."""
        module, function = target.split(":")
        code = (
            "import django, importlib, json; django.setup(); "
            f"print(json.dumps(getattr(importlib.import_module({module!r}), {function!r})()))"
        )
        return json.loads(self._run("-c", code).strip().splitlines()[-1])

    def start(self, timeout: float = 60) -> None:
        args = ["-m", "uvicorn", "zhixing.config.asgi:application", "--host", "127.0.0.1"]
        args += ["--port", str(self.port), "--lifespan", "off", "--log-level", "warning", *self.uvicorn_args]
        self.proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"uvicorn did not listen on {self.url} within {timeout} s")

    def get(
        self, path: str, params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None
    ) -> tuple[int, str]:
        """GET over HTTP; returns (status, body text) for any status."""
        url = self.url + path + ("?" + urllib.parse.urlencode(params) if params else "")
        request = urllib.request.Request(url, headers=dict(headers or {}))
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
