"""The sandbox's signed callbacks to the platform: late answers and 轮候 queue notices, retried."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import urllib.request
from typing import Any

from zhixing.core import partner_protocol as protocol

from .holdings import partner_secret
from .institutions import _tasks, ledger

log = logging.getLogger("zhixing.sandbox")


def _deliver(url: str, code: str, key: str, results: list[dict[str, Any]], field: str = "results") -> bool:
    """POST a signed callback (runs in a thread). True when the platform accepted it.

    `field` is "results" (answers to the platform's items) or "notices" (轮候 queue notices).
    """
    from urllib.parse import urlsplit

    body = protocol.encode_body({"partner": code, field: results})
    headers = protocol.sign_headers(code, partner_secret(code), "POST", urlsplit(url).path, body, key)
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
            return bool(200 <= resp.status < 300)
    except Exception as exc:  # the platform may be down: poll is the fallback
        log.warning("sandbox callback to %s failed: %s", url, exc)
        return False


async def _later(delay: float, url: str, code: str, key: str, keys: list[str]) -> None:
    await asyncio.sleep(delay)
    results = [ledger.pending[k] for k in keys if k in ledger.pending]
    if not results:
        return
    for attempt in range(3):
        if await asyncio.to_thread(_deliver, url, code, key, results):
            for k in keys:
                ledger.pending.pop(k, None)
            return
        await asyncio.sleep(0.5 * 2**attempt)


async def _notify(url: str, code: str, notices: list[dict[str, Any]]) -> None:
    """Deliver queue notices, retried a few times (the platform applies a repeated notice once)."""
    key = "n-" + hashlib.sha256(protocol.encode_body(notices)).hexdigest()[:40]
    for attempt in range(4):
        if await asyncio.to_thread(_deliver, url, code, key, notices, "notices"):
            ledger.delivered.append(key)
            return
        await asyncio.sleep(0.5 * 2**attempt)
    log.warning("sandbox queue notice %s to %s not delivered", key, url)


def _send_notices() -> None:
    """Schedule delivery of the ledger's outbox, one message per (platform, institution)."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for url, code, notice in ledger.drain():
        groups.setdefault((url, code), []).append(notice)
    for (url, code), notices in groups.items():
        task = asyncio.create_task(_notify(url, code, notices))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
