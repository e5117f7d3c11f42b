"""Inquiry fixtures: the partner sandbox as a separate uvicorn process on a free loopback port, cases."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests import factories
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_sandbox(port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "src"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhixing.partners.sandbox", "--port", str(port)], cwd=ROOT, env=env
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_sandbox/stats", timeout=1):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("partner sandbox did not start")


class Sandbox:
    def __init__(self, url: str) -> None:
        self.url = url

    def _call(self, path: str, data: Any = None) -> Any:
        body = None if data is None else json.dumps(data).encode()
        req = urllib.request.Request(self.url + path, data=body, method="POST" if body is not None else "GET")
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    def stats(self) -> dict[str, int]:
        return dict(self._call("/_sandbox/stats"))

    def executions(self) -> dict[str, int]:
        return dict(self._call("/_sandbox/executions"))

    def configure(self, **partners: dict[str, Any]) -> None:
        self._call("/_sandbox/config", {k.replace("_", "-"): v for k, v in partners.items()})

    def reset(self) -> None:
        self._call("/_sandbox/reset", {})


@pytest.fixture(scope="session")
def sandbox_process() -> Iterator[str]:
    port = free_port()
    proc = start_sandbox(port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def sandbox(sandbox_process: str, settings: Any) -> Sandbox:
    """A clean sandbox; the platform points at it; dispatch is explicit (no post-commit kick)."""
    box = Sandbox(sandbox_process)
    box.reset()
    settings.ZHIXING_SANDBOX_URL = sandbox_process
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False, "backoff_base": 0, "http_timeout": 3}
    return box


@pytest.fixture
def quiet(settings: Any) -> None:
    """No sandbox needed: never dispatch on commit."""
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}


def open_case(people: dict[str, Any], **overrides: Any) -> EnforcementCase:
    case = factories.case(people["clerk"], **overrides)
    return case_services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))


def open_case_not_due(people: dict[str, Any], due: date, **overrides: Any) -> EnforcementCase:
    """A case whose delay interest has not started by `due` (so its claim is exactly its amounts).

    Filing refuses a basis whose performance period has not expired (执行工作规定 Art 16), so the case
    is filed with the factory's expired period and its deadline then moved to `due` behind the
    services' back — a test shortcut for "no interest yet", never a state a real filing produces."""
    case = open_case(people, **overrides)
    EnforcementCase.objects.filter(pk=case.pk).update(performance_deadline=due)
    case.refresh_from_db()
    return case


@pytest.fixture
def case(people: dict[str, Any], quiet: None) -> EnforcementCase:
    return open_case(people)
