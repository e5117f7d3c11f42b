"""`make run`'s launcher (`zhixing.config.launcher`): next to the platform it starts the partner sandbox and
the sandbox's mail server on the platform's SMTP address, so e-mail service works out of the box."""

from __future__ import annotations

import json
import smtplib
import socket
import urllib.request
from email.message import EmailMessage
from typing import Any

import pytest

from zhixing.config import launcher
from zhixing.partners.sandbox import institutions


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Worker:
    def send_signal(self, sig: int) -> None:
        pass

    def wait(self, timeout: float) -> int:
        return 0


def test_make_run_starts_the_sandbox_mailbox_on_the_platform_smtp_port(
    settings: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    smtp_port, sandbox_port = _free_port(), _free_port()
    settings.ZHIXING_ESERVICE = {
        **settings.ZHIXING_ESERVICE,
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_port,
    }
    monkeypatch.setenv("ZHIXING_SANDBOX_PORT", str(sandbox_port))
    # The launcher sets these for its children with `setdefault`. Each is set before it is deleted so that
    # monkeypatch records it and removes what the launcher adds: `delenv` of an absent variable records
    # nothing, and a leaked ZHIXING_PLATFORM_URL (port 8000) sent later servers' bank notices nowhere.
    for name in (
        "ZHIXING_PRODUCTION",
        "ZHIXING_SANDBOX",
        "ZHIXING_DEMO",
        "ZHIXING_SANDBOX_URL",
        "ZHIXING_PLATFORM_URL",
    ):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setattr(launcher.subprocess, "Popen", lambda *a, **kw: _Worker())  # no Huey consumer
    institutions.mail.reset()
    seen: dict[str, Any] = {}

    def serve(host: str, port: int) -> None:  # instead of the web server: mail the platform's way
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "songda@court.example.cn", "zs@example.cn", "执行通知书"
        msg.set_content("请查阅")
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=5) as smtp:
            smtp.send_message(msg)
        url = f"http://127.0.0.1:{sandbox_port}/_sandbox/mail"
        with urllib.request.urlopen(url, timeout=5) as resp:
            seen.update(json.loads(resp.read()))

    monkeypatch.setattr(launcher, "serve", serve)
    try:
        launcher.main()
    finally:
        institutions.mail.reset()
    assert seen["received"] == 1
    assert [(m["to"], m["subject"]) for m in seen["inbox"]] == [("zs@example.cn", "执行通知书")]
    out = capsys.readouterr().out
    assert f"模拟邮件服务器: smtp://127.0.0.1:{smtp_port}" in out
    assert f"http://127.0.0.1:{sandbox_port}/_sandbox/mail" in out


def test_a_real_mail_server_gets_no_sandbox_mailbox() -> None:
    assert launcher._start_mailbox({"smtp_host": "smtp.court.example.cn", "smtp_port": _free_port()}) is None
