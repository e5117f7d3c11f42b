"""Shared e-service fixtures: the partner sandbox (SMS gateway) in a thread and the local SMTP sink, on
this feature's port block (8870-8879), and a case with a confirmed debtor address."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[str]:
    from zhixing.partners.sandbox.server import start_in_thread

    server = start_in_thread(port=SANDBOX_PORT)
    yield SANDBOX
    server.should_exit = True


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(SMTP_PORT)
    yield sink
    sink.close()


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
