"""Shared e-service fixtures: the partner sandbox (SMS gateway) in a thread and the local SMTP sink, on
this feature's port block (8870-8879), and a case with a confirmed debtor address."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from tests.documents.smtp_sink import SmtpSink

SANDBOX_PORT = 8871
SMTP_PORT = 8872
SANDBOX = f"http://127.0.0.1:{SANDBOX_PORT}"


def sandbox_call(path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(SANDBOX + path, data=data, method="GET" if body is None else "POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


_RUNNING: dict[str, Any] = {}  # one sandbox and one sink per test process, however many conftests import us


@pytest.fixture(scope="session")
def sandbox_server() -> str:
    if "sandbox" not in _RUNNING:
        from zhixing.partners.sandbox.server import start_in_thread

        _RUNNING["sandbox"] = start_in_thread(port=SANDBOX_PORT)  # a daemon thread: ends with the process
    return SANDBOX


@pytest.fixture(scope="session")
def smtp_sink() -> SmtpSink:
    if "smtp" not in _RUNNING:
        _RUNNING["smtp"] = SmtpSink(SMTP_PORT)  # daemon thread, like the sandbox
    sink: SmtpSink = _RUNNING["smtp"]
    return sink


@pytest.fixture
def gateways(settings: Any, sandbox_server: str, smtp_sink: SmtpSink) -> SmtpSink:
    """Both gateways fresh, retries immediate (backoff 0), at most 2 tries per channel."""
    sandbox_call("/_sandbox/reset", {})
    smtp_sink.box.messages.clear()
    settings.ZHIXING_ESERVICE = {
        **settings.ZHIXING_ESERVICE,
        "sms_url": SANDBOX,
        "smtp_port": SMTP_PORT,
        "backoff_base": 0,
        "max_attempts": 2,
        "http_timeout": 5,
    }
    return smtp_sink
