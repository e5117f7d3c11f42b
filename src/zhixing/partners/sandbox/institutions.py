"""The simulated institutions of one sandbox process, in memory, and their timing settings."""

from __future__ import annotations

import asyncio
import os

from . import art8
from .border import Post
from .ledger import Ledger
from .mailbox import Mailbox
from .media import Desk
from .sms import Gateway

ledger = Ledger()
desk = Desk()
post = Post()
registry = art8.Registry()
sms = Gateway()
mail = Mailbox()  # what the sandbox's mail server (`mailbox.SmtpMailbox`, started by the launcher) accepted
# Seconds before employers and superior departments acknowledge an Art 8 notice (0: only on
# /_sandbox/art8/ack).
ART8_DELAY = float(os.environ.get("ZHIXING_SANDBOX_ART8_DELAY", "2"))
# Seconds between the media partners' automatic view reports (0: only on /_sandbox/media/tick).
MEDIA_PERIOD = float(os.environ.get("ZHIXING_SANDBOX_MEDIA_PERIOD", "60"))


_tasks: set[asyncio.Task[None]] = set()
