"""The partners' endpoints: each institution answers a signed batch of items; the poll answers accepted
items later."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from zhixing.core import partner_protocol as protocol

from . import art8
from .asgi_io import Send, _respond
from .callbacks import _later, _send_notices, log
from .holdings import partner_secret
from .institutions import ART8_DELAY, MEDIA_PERIOD, _tasks, desk, ledger, post, registry, sms
from .ledger import Behaviour
from .media import report as media_report

_media_loop: asyncio.Task[None] | None = None


async def _batch(code: str, path: str, body: bytes, headers: dict[str, str], send: Send) -> None:
    try:
        batch_key = protocol.verify(partner_secret(code), "POST", path, body, headers)
        payload = json.loads(body)
        items = payload["items"]
    except protocol.ProtocolError as exc:
        await _respond(send, 401, {"error": "bad_signature", "detail": str(exc)})
        return
    except (ValueError, KeyError, TypeError):
        await _respond(send, 400, {"error": "bad_request"})
        return
    behaviour = ledger.behaviour.get(code, Behaviour())
    ledger.batches_seen[code] += 1
    seen = ledger.batches_seen[code]
    if behaviour.hang:
        await asyncio.sleep(3600)
    if seen <= behaviour.fail_first:
        await _respond(send, 503, {"error": "unavailable"})
        return
    callback = payload.get("callback_url")
    answers = [ledger.act(code, item, str(callback or "")) for item in items]
    _send_notices()
    if behaviour.lose_response_every and seen % behaviour.lose_response_every == 0:
        await _respond(send, 500, {"error": "internal"})
        return
    if behaviour.delay > 0 and callback:
        keys = []
        for a in answers:
            if a.get("status") == "done":
                ledger.pending[str(a["key"])] = a
                ledger.late[str(a["key"])] = a
                keys.append(str(a["key"]))
        task = asyncio.create_task(_later(behaviour.delay, callback, code, f"cb-{batch_key}", keys))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
        answers = [
            {"key": a["key"], "status": "accepted"} if a.get("status") == "done" else a for a in answers
        ]
    await _respond(send, 200, {"results": answers})


async def _media_tick(views: int | None) -> dict[str, int]:
    """Add views and report every live publication's running total to the platform, signed."""
    groups = desk.tick(views)
    accepted = 0
    for (code, url), reports in groups.items():
        if await asyncio.to_thread(media_report, code, url, reports, desk.ticks):
            accepted += 1
    return {"reported": sum(len(r) for r in groups.values()), "accepted": accepted, "groups": len(groups)}


async def _media_forever() -> None:
    while True:
        await asyncio.sleep(MEDIA_PERIOD)
        try:
            await _media_tick(None)
        except Exception as exc:  # keep counting whatever one report did
            log.warning("sandbox media tick failed: %s", exc)


async def _media_batch(code: str, path: str, body: bytes, headers: dict[str, str], send: Send) -> None:
    global _media_loop
    try:
        protocol.verify(partner_secret(code), "POST", path, body, headers)
        payload = json.loads(body)
        items = [i for i in payload["items"] if isinstance(i, dict)]
    except protocol.ProtocolError as exc:
        await _respond(send, 401, {"error": "bad_signature", "detail": str(exc)})
        return
    except (ValueError, KeyError, TypeError):
        await _respond(send, 400, {"error": "bad_request"})
        return
    behaviour = ledger.behaviour.get(code, Behaviour())
    ledger.batches_seen[code] += 1
    seen = ledger.batches_seen[code]
    if behaviour.hang:
        await asyncio.sleep(3600)
    if seen <= behaviour.fail_first:
        await _respond(send, 503, {"error": "unavailable"})
        return
    answers = [desk.act(code, item, str(payload.get("callback_url") or "")) for item in items]
    if MEDIA_PERIOD > 0 and _media_loop is None:
        _media_loop = asyncio.create_task(_media_forever())
    if behaviour.lose_response_every and seen % behaviour.lose_response_every == 0:
        await _respond(send, 500, {"error": "internal"})
        return
    await _respond(send, 200, {"results": answers})


async def _acting_batch(
    act: Callable[[str, dict[str, Any]], dict[str, Any]],
    code: str,
    path: str,
    body: bytes,
    headers: dict[str, str],
    send: Send,
) -> None:
    """A signed batch each of whose items the partner acts on (border posts, SMS gateways): one protocol."""
    try:
        protocol.verify(partner_secret(code), "POST", path, body, headers)
        items = [i for i in json.loads(body)["items"] if isinstance(i, dict)]
    except protocol.ProtocolError as exc:
        await _respond(send, 401, {"error": "bad_signature", "detail": str(exc)})
        return
    except (ValueError, KeyError, TypeError):
        await _respond(send, 400, {"error": "bad_request"})
        return
    behaviour = ledger.behaviour.get(code, Behaviour())
    ledger.batches_seen[code] += 1
    if ledger.batches_seen[code] <= behaviour.fail_first:
        await _respond(send, 503, {"error": "unavailable"})
        return
    await _respond(send, 200, {"results": [act(code, item) for item in items]})


async def _border_batch(code: str, path: str, body: bytes, headers: dict[str, str], send: Send) -> None:
    await _acting_batch(post.act, code, path, body, headers, send)


async def _sms_batch(code: str, path: str, body: bytes, headers: dict[str, str], send: Send) -> None:
    await _acting_batch(sms.act, code, path, body, headers, send)


async def _art8_acks() -> dict[str, int]:
    """Send every acknowledgement owed, signed; those the platform did not accept are kept."""
    sent = kept = 0
    for (code, url), results in registry.drain().items():
        if await asyncio.to_thread(art8.acknowledge, code, url, results):
            sent += len(results)
        else:
            registry.owed.setdefault((code, url), []).extend(results)
            kept += len(results)
    return {"acknowledged": sent, "kept": kept}


async def _art8_later(delay: float) -> None:
    await asyncio.sleep(delay)
    await _art8_acks()


async def _art8_batch(code: str, path: str, body: bytes, headers: dict[str, str], send: Send) -> None:
    try:
        protocol.verify(partner_secret(code), "POST", path, body, headers)
        payload = json.loads(body)
        items = [i for i in payload["items"] if isinstance(i, dict)]
    except protocol.ProtocolError as exc:
        await _respond(send, 401, {"error": "bad_signature", "detail": str(exc)})
        return
    except (ValueError, KeyError, TypeError):
        await _respond(send, 400, {"error": "bad_request"})
        return
    behaviour = ledger.behaviour.get(code, Behaviour())
    ledger.batches_seen[code] += 1
    if ledger.batches_seen[code] <= behaviour.fail_first:
        await _respond(send, 503, {"error": "unavailable"})
        return
    answers = [registry.act(code, item, str(payload.get("callback_url") or "")) for item in items]
    if ART8_DELAY > 0 and registry.owed:
        task = asyncio.create_task(_art8_later(ART8_DELAY))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
    await _respond(send, 200, {"results": answers})


async def _poll(code: str, path: str, body: bytes, headers: dict[str, str], send: Send) -> None:
    try:
        protocol.verify(partner_secret(code), "POST", path, body, headers)
        keys = json.loads(body)["keys"]
    except protocol.ProtocolError as exc:
        await _respond(send, 401, {"error": "bad_signature", "detail": str(exc)})
        return
    except (ValueError, KeyError, TypeError):
        await _respond(send, 400, {"error": "bad_request"})
        return
    out = []
    for key in keys:
        known = ledger.known(key)
        if known is not None:
            ledger.pending.pop(key, None)
            out.append(known)
        elif key in ledger.query_keys:
            out.append({"key": key, "status": "accepted"})
        else:
            out.append({"key": key, "status": "unknown"})
    await _respond(send, 200, {"results": out})
