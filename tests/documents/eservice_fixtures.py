"""Shared e-service fixtures: the partner sandbox (SMS gateway) in a thread and the local SMTP sink, each on
a free port chosen per test process (pytest-xdist workers, and a second run of the suite on another
database, must not fight over fixed ports), and a case with a confirmed debtor address."""

from __future__ import annotations

import json
import socket
import urllib.request
from typing import Any

import pytest

from tests.documents.smtp_sink import SmtpSink

HOST = "127.0.0.1"

_RUNNING: dict[str, Any] = {}  # one sandbox and one sink per test process, however many conftests import us


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _start_sandbox() -> str:
    """The sandbox on a free port; another port if someone took it between choosing and binding."""
    from zhixing.partners.sandbox.server import start_in_thread

    for _ in range(5):
        port = _free_port()
        server = start_in_thread(host=HOST, port=port)  # a daemon thread: ends with the process
        if server.started:
            _RUNNING["sandbox_server"] = server
            return f"http://{HOST}:{port}"
    raise RuntimeError("联动单位模拟服务未能启动")


def sandbox_url() -> str:
    if "sandbox" not in _RUNNING:
        _RUNNING["sandbox"] = _start_sandbox()
    url: str = _RUNNING["sandbox"]
    return url


def sandbox_call(path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(sandbox_url() + path, data=data, method="GET" if body is None else "POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.fixture(scope="session")
def sandbox_server() -> str:
    return sandbox_url()


@pytest.fixture(scope="session")
def smtp_sink() -> SmtpSink:
    if "smtp" not in _RUNNING:
        _RUNNING["smtp"] = SmtpSink(0)  # port 0: the system picks a free one; daemon thread, like the sandbox
    sink: SmtpSink = _RUNNING["smtp"]
    return sink


@pytest.fixture
def gateways(settings: Any, sandbox_server: str, smtp_sink: SmtpSink) -> SmtpSink:
    """Both gateways fresh, retries immediate (backoff 0), at most 2 tries per channel."""
    sandbox_call("/_sandbox/reset", {})
    smtp_sink.box.reset()
    settings.ZHIXING_ESERVICE = {
        **settings.ZHIXING_ESERVICE,
        "sms_url": sandbox_server,
        "smtp_host": HOST,
        "smtp_port": smtp_sink.port,
        "backoff_base": 0,
        "max_attempts": 2,
        "http_timeout": 5,
    }
    return smtp_sink
