"""A seeded real server for attack tests, on top of `tests/live_asgi.py` (the one server starter).

The server is the product's deployment entry (`python -m zhixing.config.server`, the same code path
as `make run`'s launcher) on a free loopback port, over a freshly migrated SQLite DATA_DIR that a
function can seed first in a child Django process::

    with LiveServer(tmp_path) as server:
        seeded = server.call("tests.security.live_seed:listings")  # the function's JSON result
        server.start()
        status, body = server.get("/api/v1/public/blacklist", {"q": seeded["name"]})
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from tests.live_asgi import ROOT, LiveASGI, base_env, migrated_data_dir


class LiveServer:
    def __init__(self, data_dir: Path, env: Mapping[str, str] | None = None) -> None:
        self.data_dir = migrated_data_dir(data_dir)
        self.server = LiveASGI(self.data_dir, entry="server", env=env)
        self.url = self.server.url

    def call(self, target: str) -> Any:
        """Run ``module:function`` in a child process with Django set up; returns its JSON-able result."""
        module, function = target.split(":")
        code = (
            "import django, importlib, json; django.setup(); "
            f"print(json.dumps(getattr(importlib.import_module({module!r}), {function!r})()))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,  # `-c` puts the working directory on sys.path: `tests.…` imports
            env=base_env(self.data_dir),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(f"{target} failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self) -> None:
        self.server.start()

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
        self.server.stop()

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
