"""Delivering the custody bank's signed notices to the platform: single, batched, retried with backoff."""

from __future__ import annotations

import asyncio
import hashlib
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from zhixing.core import partner_protocol as pp

from .custody_accounts import BANK_PARTNER, RETRY_DELAYS, SECRET, Bank


def _payload(notice: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in notice.items() if k not in ("delivered", "attempts")}


def _post(bank: Bank, url: str, payload: Any, key: str) -> bool:
    body = pp.encode_body(payload)
    path = urllib.parse.urlsplit(url).path
    headers = pp.sign_headers(BANK_PARTNER, SECRET, "POST", path, body, key)
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
            return bool(200 <= resp.status < 300)
    except (urllib.error.URLError, TimeoutError, OSError):
        return False


def deliver(bank: Bank, notice: dict[str, Any]) -> bool:
    """POST one signed notice; True when the platform acknowledged it (2xx)."""
    if not bank.notify_url:
        return False
    notice["attempts"] += 1
    ok = _post(bank, bank.notify_url, _payload(notice), notice["txn_id"])
    if ok:
        notice["delivered"] = True
    return ok


def deliver_batch(bank: Bank, notices: list[dict[str, Any]]) -> bool:
    """POST one signed batch notice; True (and every notice delivered) when the platform acknowledged it.

    The batch id — its Idempotency-Key — is derived from the transfer ids, so re-sending the same
    batch reuses it; the platform books each transfer once by its id anyway.
    """
    if not bank.notify_url or not notices:
        return False
    ids = [n["txn_id"] for n in notices]
    batch_id = "NB" + hashlib.sha256("\n".join(ids).encode()).hexdigest()[:24]
    payload = {
        "batch_id": batch_id,
        "custody_account_no": bank.custody_account_no,
        "notices": [_payload(n) for n in notices],
    }
    for n in notices:
        n["attempts"] += 1
    ok = _post(bank, bank.notify_url.rstrip("/") + "/batch", payload, batch_id)
    if ok:
        bank.batches_sent += 1
        for n in notices:
            n["delivered"] = True
    return ok


def chunks(bank: Bank, notices: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Batches to send now: empty when fewer than `batch_min` are pending (they go singly)."""
    if len(notices) < max(2, bank.batch_min):
        return []
    size = max(1, bank.batch_max)
    return [notices[i : i + size] for i in range(0, len(notices), size)]


async def _deliver_with_retries(
    bank: Bank, notice: dict[str, Any], delays: tuple[float, ...] = (0.0, *RETRY_DELAYS)
) -> None:
    for delay in delays:
        if delay:
            await asyncio.sleep(delay)
        if notice["delivered"] or await asyncio.to_thread(deliver, bank, notice):
            return
