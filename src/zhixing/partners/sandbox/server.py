"""Serving the sandbox: as its own process (`python -m zhixing.partners.sandbox --port 8001`) or as a
daemon thread inside the demo launcher (`start_in_thread`); with it, the simulated mail server the
platform's e-mail service reaches (`start_mailbox`; `--smtp-port`, which `make cluster` passes)."""

from __future__ import annotations

import argparse
import sys
import threading
import time
import urllib.request

import uvicorn

from .institutions import mail
from .mailbox import SmtpMailbox

SMTP_PORT = 8025  # the platform's default ZHIXING_SMTP_PORT (zhixing.config.settings.eservice)


def config(host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        "zhixing.partners.sandbox.app:app", host=host, port=port, log_level="warning", lifespan="off"
    )


def start_in_thread(host: str = "127.0.0.1", port: int = 8001) -> uvicorn.Server:
    """Serve the sandbox on a daemon thread; returns once it answers (or after 10 s)."""
    server = uvicorn.Server(config(host, port))
    # uvicorn installs no signal handlers outside the main thread: the launcher keeps Ctrl+C.
    threading.Thread(target=server.run, name="partner-sandbox", daemon=True).start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/_sandbox/stats", timeout=1):
                break
        except OSError:
            time.sleep(0.05)
    return server


def start_mailbox(host: str = "127.0.0.1", port: int = SMTP_PORT) -> SmtpMailbox | None:
    """The sandbox's mail server on a daemon thread, keeping what it accepts in `institutions.mail`
    (shown at /_sandbox/mail); None, with a warning, when the port is taken (another demo's mailbox)."""
    try:
        return SmtpMailbox(port, host=host, box=mail)
    except OSError as exc:
        print(f"联动单位模拟：邮件服务器未能在 {host}:{port} 启动（{exc.strerror or exc}）", file=sys.stderr)
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description="智执 联动单位模拟服务")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument(
        "--smtp-port",
        type=int,
        default=0,
        help="同时启动模拟邮件服务器的端口（默认 0：不启动；make cluster 传入 ZHIXING_SMTP_PORT）",
    )
    args = parser.parse_args()
    if args.smtp_port:
        start_mailbox(args.host, args.smtp_port)
    uvicorn.Server(config(args.host, args.port)).run()


if __name__ == "__main__":
    main()
