"""The simulated parties' mail server (邮件服务器): the platform's e-mail service of documents lands here.

A tiny SMTP server (standard library only) speaking just enough of RFC 5321 for
`smtplib.SMTP.send_message`: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. A recipient containing
"refuse" gets 550 (a final failure); "busy" gets 451 (retryable). Accepted messages are kept in the
sandbox's own memory (`Mailbox`, the newest KEEP), never in the platform's tables; `GET /_sandbox/mail`
lists them (recipient, subject, time, attachments). `make run` starts it on ZHIXING_SMTP_HOST:PORT
next to the sandbox (`server.start_mailbox`); tests start one on a free port.
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

KEEP = 2000  # the mailbox is for looking at what was sent, not an archive: the newest messages only


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    received_at: list[datetime] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, msg: EmailMessage) -> None:
        with self.lock:
            self.messages.append(msg)
            self.received_at.append(datetime.now(UTC))
            del self.messages[:-KEEP]
            del self.received_at[:-KEEP]

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.received_at.clear()

    def state(self, to: str = "") -> dict[str, Any]:
        """The newest 50 messages (optionally to one address), newest last."""
        with self.lock:
            pairs = list(zip(self.messages, self.received_at, strict=True))
        rows = [
            {
                "to": str(m["To"] or ""),
                "from": str(m["From"] or ""),
                "subject": str(m["Subject"] or ""),
                "at": at.isoformat(),
                "attachments": [str(p.get_filename() or "") for p in m.iter_attachments()],
            }
            for m, at in pairs
            if not to or to in str(m["To"] or "")
        ]
        return {"inbox": rows[-50:], "received": len(pairs)}


class _Handler(socketserver.StreamRequestHandler):
    box: Mailbox

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._say("220 sandbox ESMTP")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            cmd = raw.decode("utf-8", "replace").strip()
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 sandbox")
            elif verb == "RCPT":
                if "refuse" in cmd:
                    self._say("550 no such user")
                elif "busy" in cmd:
                    self._say("451 try later")
                else:
                    self._say("250 OK")
            elif verb == "DATA":
                self._say("354 end with .")
                self.box.add(self._read_data())
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:  # MAIL, RSET, NOOP, …
                self._say("250 OK")

    def _read_data(self) -> EmailMessage:
        lines = []
        while True:
            line = self.rfile.readline()
            if line in (b".\r\n", b".\n", b""):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        msg: Any = message_from_bytes(b"".join(lines), policy=policy.default)
        return msg  # type: ignore[no-any-return]


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SmtpMailbox:
    """Serve on `host`:`port` (0: a free port, see `.port`) in a daemon thread until `close()`; keeps
    what it accepts in `box` (a fresh `Mailbox` unless one is given)."""

    def __init__(self, port: int, host: str = "127.0.0.1", box: Mailbox | None = None) -> None:
        self.box = Mailbox() if box is None else box
        handler = type("Handler", (_Handler,), {"box": self.box})
        self.server = _Server((host, port), handler)
        self.port: int = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, name="sandbox-smtp", daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
