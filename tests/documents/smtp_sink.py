"""A tiny SMTP server for tests (standard library only): accepts mail, keeps it, refuses some recipients.

Speaks just enough of RFC 5321 for `smtplib.SMTP.send_message`: EHLO/HELO, MAIL, RCPT, DATA, RSET,
NOOP, QUIT. A recipient containing "refuse" gets 550 (a final failure); "busy" gets 451 (retryable).
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)


class _Handler(socketserver.StreamRequestHandler):
    box: Mailbox

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._say("220 sink ESMTP")
        rcpt: list[str] = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            cmd = raw.decode("utf-8", "replace").strip()
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 sink")
            elif verb == "MAIL":
                rcpt = []
                self._say("250 OK")
            elif verb == "RCPT":
                if "refuse" in cmd:
                    self._say("550 no such user")
                elif "busy" in cmd:
                    self._say("451 try later")
                else:
                    rcpt.append(cmd)
                    self._say("250 OK")
            elif verb == "DATA":
                self._say("354 end with .")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if line in (b".\r\n", b".\n", b""):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                msg: Any = message_from_bytes(b"".join(lines), policy=policy.default)
                self.box.messages.append(msg)
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 OK")


class SmtpSink:
    """Serve on 127.0.0.1:`port` (0: a free port, see `.port`) in a daemon thread until `close()`."""

    def __init__(self, port: int) -> None:
        self.box = Mailbox()
        handler = type("Handler", (_Handler,), {"box": self.box})
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        self.port: int = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
