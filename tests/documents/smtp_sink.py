"""The tests' SMTP sink is the partner sandbox's mail server (`zhixing.partners.sandbox.mailbox`) on a free
port with a mailbox of its own: accepts mail, keeps it, refuses recipients containing "refuse" (550) and
"busy" (451)."""

from __future__ import annotations

from zhixing.partners.sandbox.mailbox import Mailbox
from zhixing.partners.sandbox.mailbox import SmtpMailbox as SmtpSink

__all__ = ["Mailbox", "SmtpSink"]
