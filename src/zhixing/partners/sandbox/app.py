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
    GET  /_sandbox/mail?to=       the mail server's inbox (`mailbox.py`, newest 50): recipient, subject, time
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
import importlib
import json
from typing import Any

from . import art8, parking
from .asgi_io import Receive, Scope, Send, _body, _respond
from .batches import (
    _art8_acks,
    _art8_batch,
    _batch,
    _border_batch,
    _media_batch,
    _media_tick,
    _poll,
    _sms_batch,
)
from .border import BORDER_PARTNERS
from .callbacks import _send_notices
from .holdings import PARTNERS
from .institutions import desk, ledger, mail, post, registry, sms
from .ledger import Behaviour
from .media import MEDIA_PARTNERS
from .sms import SMS_PARTNERS

_custody: Any = None


def _custody_app() -> Any:
    global _custody
    if _custody is None:
        try:
            _custody = importlib.import_module("zhixing.partners.sandbox.custody_bank").app
        except (ImportError, AttributeError):
            _custody = False
    return _custody


async def _control(method: str, path: str, body: bytes, send: Send, query: str = "") -> None:
    if path == "/_sandbox/sms" and method == "GET":
        from urllib.parse import parse_qs

        await _respond(send, 200, sms.state(parse_qs(query).get("phone", [""])[0]))
    elif path == "/_sandbox/mail" and method == "GET":
        from urllib.parse import parse_qs

        await _respond(send, 200, mail.state(parse_qs(query).get("to", [""])[0]))
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
        mail.reset()
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
