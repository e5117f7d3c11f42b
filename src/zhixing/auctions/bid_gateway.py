"""ASGI fast path for bids by token: `POST /api/v1/auctions/lots/<id>/bids` with `X-Bidder-Token`.

A hot lot's bids arrive a thousand a second, and under uvicorn Django's ASGI handler costs ~2.5 ms of
CPU per request before a view runs (a fresh thread-sensitive executor per request, thread hops at each
sync-only middleware: funds/notice_gateway.py measured it), several times the bid's own work. The
bidder API's token call is therefore answered here, with the same answer the django-ninja endpoint
(`api.bid`) gives: the same authentication (`bidder_for_token`), the same service
(`services.place_bid`: rules, lock, audit, broadcast), the same JSON shapes and status codes.

The bid's time is taken when the request arrives, before it waits for a pool thread (the server's
arrival time counts, 网拍规定 Art 20). `place_bid` runs on a small pool of long-lived threads that keep
their database connections (`core.pool_connections`); its after-commit broadcast is handed to the event loop
without waiting (`services.bidding.broadcast`).

Only a request Django would answer the same way is taken; anything else goes to Django with its body
replayed, unchanged: another method or path, a Host outside `ALLOWED_HOSTS`, plain HTTP where HTTPS is
required, a `Cookie` header (the portal's session: CSRF and session rules apply), a body that is not a
JSON object with a string `amount` (Django's 400/415/422 answers), and a token that names no bidder
(Django's 401). The token call takes no session, cookie or CSRF token, so nothing the skipped
middleware does applies to it; the security headers are the ones Django adds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from zhixing.core.asgi_routes import header_map, served_as_django_would
from zhixing.core.errors import ServiceError
from zhixing.core.headers import CSP
from zhixing.core.pool_connections import recycle_connection

BID_PATH = re.compile(r"^/api/v1/auctions/lots/(\d{1,18})/bids$")
log = logging.getLogger("django.request")

_HEADERS = [
    (b"content-type", b"application/json; charset=utf-8"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


def _answer(lot_id: int, token: str, amount: str, arrived: datetime) -> tuple[int, dict[str, Any]] | None:
    """In a pool thread: the endpoint's work; None when Django must answer (no such bidder)."""
    from .services import place_bid
    from .services.bidders import bidder_for_token

    recycle_connection()
    try:
        bidder = bidder_for_token(token)
        if bidder is None:
            return None
        b = place_bid(bidder, lot_id, amount, arrived_at=arrived)
        return 201, {
            "seq": b.seq,
            "code": b.registration.code,
            "amount": f"{b.amount:.2f}",
            "at": b.at,
            "ends_at": b.ends_at,
            "current_price": f"{b.amount:.2f}",
        }
    except ServiceError as exc:
        return exc.status, {"detail": exc.message, "field": exc.field, "code": exc.code}
    except Exception:
        log.exception("bid failed")
        return 500, {"detail": "服务器内部错误，请稍后重试", "field": None, "code": "server_error"}
    finally:
        recycle_connection()


def _takes(scope: dict[str, Any], headers: dict[str, str]) -> bool:
    if scope.get("method") != "POST" or "cookie" in headers or not headers.get("x-bidder-token"):
        return False
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        return False
    return served_as_django_would(scope, headers)


def _amount_of(body: bytes) -> str | None:
    """The body's `amount` when the body is exactly what `api.BidIn` accepts as it is."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("amount"), str):
        return None
    return str(data["amount"])


class BidGateway:
    """Wraps the platform's HTTP ASGI app; see the module docstring."""

    def __init__(self, app: Any, threads: int = 8) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="auction-bid")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        match = BID_PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        arrived = timezone.now()
        headers = header_map(scope)
        if not _takes(scope, headers):
            await self.app(scope, receive, send)
            return
        body, more = await self._body(receive)
        if body is None:  # the client went away
            return
        amount = None if more else _amount_of(body)
        answer = None
        if amount is not None:
            from .services.bidding import serve_broadcasts_on

            serve_broadcasts_on(asyncio.get_running_loop())
            answer = await asyncio.get_running_loop().run_in_executor(
                self.pool, _answer, int(match.group(1)), headers["x-bidder-token"], amount, arrived
            )
        if answer is None:  # Django answers, with the body it would have read
            await self.app(scope, self._replay(body, more, receive), send)
            return
        status, payload = answer
        data = json.dumps(payload, cls=NinjaJSONEncoder, ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*_HEADERS, (b"content-length", str(len(data)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": data})

    @staticmethod
    async def _body(receive: Any) -> tuple[bytes | None, bool]:
        """(body read so far, more to come): all of it, or as much as passed the upload limit (Django
        then reads the rest and refuses it); (None, False) when the client went away."""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None, False
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            more = bool(message.get("more_body"))
            if not more or size > limit:
                return b"".join(chunks), more

    @staticmethod
    def _replay(body: bytes, more: bool, receive: Any) -> Any:
        sent = False

        async def replayed() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": more}
            return await receive()

        return replayed
