"""The partner sandbox as a raw ASGI application (no framework, no Django).

Routes (all bodies JSON, signed per `zhixing.core.partner_protocol`, see docs/partner-protocol.md):

    POST /partners/<code>/batch   items to perform; answers each item "done", "accepted" or "error"
    POST /partners/<code>/poll    {"keys": [...]}: the answers of accepted items (or "unknown")
    POST /partners/<media>/batch  exposure notices to a media partner (`media.py`): publish or withdraw
    POST /partners/<border>/batch exit-restriction notices to border control (`border.py`): control or lift
    GET  /_sandbox/border         what the border partners hold under control
    GET  /_sandbox/media          what the media partners published, views, executions per key
    POST /partners/<art8>/batch   Art 8 notices to a recipient (`art8.py`): 征信中心, employers, superiors
    GET  /_sandbox/art8           what the Art 8 recipients recorded, executions per key
    POST /partners/SMS-GW/batch   texts to parties' phones (`sms.py`): answered "done" with the receipt
    GET  /_sandbox/sms?phone=     the SMS gateway's outbox (newest 50), e.g. a verification code
    POST /_sandbox/sms/config     {"fail_every", "unreachable"}: injected SMS failures
    POST /_sandbox/art8/ack       send the acknowledgements employers and superiors owe, now
    POST /_sandbox/media/tick     {"views": n}: add views to live publications and report them now
    GET  /_sandbox/stats          counters (received, performed, duplicated_keys, pending)
    GET  /_sandbox/executions     {key: times performed} — for the crash test
    POST /_sandbox/config         {"<code>": {"delay", "hang", "fail_first", "lose_response_every"}}
    POST /_sandbox/lift           {"partner", "ref"}: another court lifts its earlier seizure (轮候 moves up;
                                  the holders that moved get a signed "notices" callback)
    POST /_sandbox/parking/drive  {"plate", "car_park"?, "misread"?}: a car enters a car park; the simulated
                                  parking operator (`parking.py`) sends the read to the platform
    POST /_sandbox/reset
    /custody/...                  the custody-bank simulator (`custody_bank:app`), when installed
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import json
import logging
import os
import urllib.request
from collections.abc import Awaitable, Callable
from typing import Any

from zhixing.core import partner_protocol as protocol

from . import art8, parking
from .border import BORDER_PARTNERS, Post
from .holdings import PARTNERS, partner_secret
from .ledger import Behaviour, Ledger
from .media import MEDIA_PARTNERS, Desk
from .media import report as media_report
from .sms import SMS_PARTNERS, Gateway

log = logging.getLogger("zhixing.sandbox")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

ledger = Ledger()
desk = Desk()
post = Post()
registry = art8.Registry()
sms = Gateway()
# Seconds before employers and superior departments acknowledge an Art 8 notice (0: only on
# /_sandbox/art8/ack).
ART8_DELAY = float(os.environ.get("ZHIXING_SANDBOX_ART8_DELAY", "2"))
# Seconds between the media partners' automatic view reports (0: only on /_sandbox/media/tick).
MEDIA_PERIOD = float(os.environ.get("ZHIXING_SANDBOX_MEDIA_PERIOD", "60"))
_media_loop: asyncio.Task[None] | None = None
_custody: Any = None
_tasks: set[asyncio.Task[None]] = set()


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        msg = await receive()
        chunks.append(msg.get("body", b""))
        if not msg.get("more_body"):
            return b"".join(chunks)


async def _respond(send: Send, status: int, payload: Any) -> None:
    body = json.dumps(payload, ensure_ascii=False, default=str).encode()
    await send(
        {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]}
    )
    await send({"type": "http.response.body", "body": body})


def _custody_app() -> Any:
    global _custody
    if _custody is None:
        try:
            _custody = importlib.import_module("zhixing.partners.sandbox.custody_bank").app
        except (ImportError, AttributeError):
            _custody = False
    return _custody


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


async def _border_batch(code: str, path: str, body: bytes, headers: dict[str, str], send: Send) -> None:
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
    await _respond(send, 200, {"results": [post.act(code, item) for item in items]})


async def _sms_batch(code: str, path: str, body: bytes, headers: dict[str, str], send: Send) -> None:
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
    await _respond(send, 200, {"results": [sms.act(code, item) for item in items]})


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


async def _control(method: str, path: str, body: bytes, send: Send, query: str = "") -> None:
    if path == "/_sandbox/sms" and method == "GET":
        from urllib.parse import parse_qs

        await _respond(send, 200, sms.state(parse_qs(query).get("phone", [""])[0]))
    elif path == "/_sandbox/sms/config" and method == "POST":
        sms.configure(json.loads(body or b"{}"))
        await _respond(send, 200, {"ok": True})
    elif path == "/_sandbox/stats":
        await _respond(send, 200, ledger.stats())
    elif path == "/_sandbox/executions":
        await _respond(send, 200, dict(ledger.executions))
    elif path == "/_sandbox/config" and method == "POST":
        for code, conf in json.loads(body or b"{}").items():
            ledger.behaviour[code] = Behaviour.from_json(conf)
        await _respond(send, 200, {"ok": True})
    elif path == "/_sandbox/lift" and method == "POST":  # another court lifts its earlier seizure
        data = json.loads(body or b"{}")
        lifted = ledger.lift_prior(str(data.get("partner", "")), str(data.get("ref", "")))
        _send_notices()
        await _respond(send, 200 if lifted else 404, {"lifted": lifted})
    elif path == "/_sandbox/border":
        await _respond(send, 200, post.state())
    elif path == "/_sandbox/media":
        await _respond(send, 200, desk.state())
    elif path == "/_sandbox/media/tick" and method == "POST":
        views = json.loads(body or b"{}").get("views")
        await _respond(send, 200, await _media_tick(None if views is None else int(views)))
    elif path == "/_sandbox/art8":
        await _respond(send, 200, registry.state())
    elif path == "/_sandbox/art8/ack" and method == "POST":
        await _respond(send, 200, await _art8_acks())
    elif path == "/_sandbox/parking/drive" and method == "POST":  # a car enters a car park (parking.py)
        status, answer = await asyncio.to_thread(parking.drive, json.loads(body or b"{}"))
        await _respond(send, 200 if status == 200 else 502, {"platform_status": status, "answer": answer})
    elif path == "/_sandbox/reset" and method == "POST":
        ledger.reset()
        desk.reset()
        post.reset()
        registry.reset()
        sms.reset()
        await _respond(send, 200, {"ok": True})
    else:
        await _respond(send, 404, {"error": "not_found"})


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while True:
            msg = await receive()
            if msg["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif msg["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    path: str = scope["path"]
    if path == "/custody" or path.startswith("/custody/"):
        custody = _custody_app()
        if not custody:
            await _respond(send, 404, {"error": "custody_bank_not_installed"})
            return
        sub = dict(
            scope, path=path[len("/custody") :] or "/", root_path=scope.get("root_path", "") + "/custody"
        )
        await custody(sub, receive, send)
        return
    method = scope["method"]
    body = await _body(receive)
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
    if path.startswith("/_sandbox/"):
        await _control(method, path, body, send, scope.get("query_string", b"").decode("latin-1"))
        return
    parts = path.strip("/").split("/")
    media = len(parts) == 3 and parts[0] == "partners" and parts[1] in MEDIA_PARTNERS
    if media and method == "POST" and parts[2] == "batch":
        await _media_batch(parts[1], path, body, headers, send)
        return
    border = len(parts) == 3 and parts[0] == "partners" and parts[1] in BORDER_PARTNERS
    if border and method == "POST" and parts[2] == "batch":
        await _border_batch(parts[1], path, body, headers, send)
        return
    if len(parts) == 3 and parts[0] == "partners" and parts[1] in SMS_PARTNERS and parts[2] == "batch":
        await _sms_batch(parts[1], path, body, headers, send)
        return
    if len(parts) == 3 and parts[0] == "partners" and parts[1] in art8.RECIPIENTS and parts[2] == "batch":
        await _art8_batch(parts[1], path, body, headers, send)
        return
    if len(parts) == 3 and parts[0] == "partners" and method == "POST" and parts[1] in PARTNERS:
        if parts[2] == "batch":
            await _batch(parts[1], path, body, headers, send)
            return
        if parts[2] == "poll":
            await _poll(parts[1], path, body, headers, send)
            return
    await _respond(send, 404, {"error": "not_found"})
