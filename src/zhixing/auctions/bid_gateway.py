"""ASGI fast path for bids by token: `POST /api/v1/auctions/lots/<id>/bids` with `X-Bidder-Token`.

A hot lot's bids arrive a thousand a second, and under uvicorn Django's ASGI handler costs ~2.5 ms of
CPU per request before a view runs (a fresh thread-sensitive executor per request, thread hops at each
sync-only middleware: funds/notice_gateway.py measured it), several times the bid's own work. The
bidder API's token call is therefore answered here, with the same answer the django-ninja endpoint
(`api.bid`) gives: the same authentication (`bidder_for_token`'s look-up, for the group's tokens at
once), the same rules (`services.place_token_bids`, the locked path of `place_bid`: rules, lock, audit,
broadcast), the same JSON shapes and status codes.

The bid's time is taken when the request arrives, before it waits for a pool thread (the server's
arrival time counts, 网拍规定 Art 20). Group commit for a hot lot: a worker judges one group of a lot's
bids at a time; the bids that arrive meanwhile wait and form the next group (at most `GROUP_MAX`), so the
group grows with the load and a lone bid is judged at once. A group's tokens are looked up, its bids
judged in arrival order and written in one transaction (`services.place_token_bids`: the lot's row
locked once, the accepted bids and their audit records inserted in bulk; on PostgreSQL in two round
trips, `services.bid_pipeline`), each bidder answered with its own 201 or refusal, and only after the
commit. The work runs on a small pool of
long-lived threads that keep their database connections (`core.pool_connections`); the group's
after-commit broadcast (one per group, with every bid it accepted) goes to the worker's own feed in one
loop turn and to the other workers through the layer, without waiting (`services.bidding.broadcast`,
`auctions.relay`).

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
import weakref
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
GROUP_MAX = 500  # bids judged in one transaction at most (the rest form the next group)

_HEADERS = [
    (b"content-type", b"application/json; charset=utf-8"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


Answer = tuple[int, dict[str, Any]] | None  # (status, JSON body), or None: Django answers
Offer = tuple[str, str, datetime]  # (token, amount, arrival time)


def _accepted(b: Any) -> tuple[int, dict[str, Any]]:
    return 201, {
        "seq": b.seq,
        "code": b.registration.code,
        "amount": f"{b.amount:.2f}",
        "at": b.at,
        "ends_at": b.ends_at,
        "current_price": f"{b.amount:.2f}",
    }


def _answer_group(lot_id: int, offers: list[Offer]) -> list[Answer]:
    """In a pool thread: the endpoint's work for a group of bids on one lot, each its own answer; None
    where Django must answer (no such bidder). The tokens are looked up and the bids judged and written
    in one transaction (`services.place_token_bids`; two round trips on PostgreSQL)."""
    from .services import place_token_bids

    recycle_connection()
    try:
        answers: list[Answer] = []
        for outcome in place_token_bids(lot_id, offers):
            if outcome is None:
                answers.append(None)
            elif isinstance(outcome, ServiceError):
                answers.append(
                    (
                        outcome.status,
                        {"detail": outcome.message, "field": outcome.field, "code": outcome.code},
                    )
                )
            else:
                answers.append(_accepted(outcome))
        return answers
    except Exception:
        log.exception("bid failed")
        return [(500, {"detail": "服务器内部错误，请稍后重试", "field": None, "code": "server_error"})] * len(
            offers
        )
    finally:
        recycle_connection()


class _Queue:
    """A lot's bids waiting in one event loop, and whether a group of them is being judged."""

    def __init__(self) -> None:
        self.waiting: list[tuple[Offer, asyncio.Future[Answer]]] = []
        self.busy = False
        self.task: asyncio.Task[None] | None = None


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
    except (ValueError, RecursionError):  # the Django path answers what it is
        return None
    if not isinstance(data, dict) or not isinstance(data.get("amount"), str):
        return None
    return str(data["amount"])


class BidGateway:
    """Wraps the platform's HTTP ASGI app; see the module docstring."""

    def __init__(self, app: Any, threads: int = 8, group_max: int = GROUP_MAX) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="auction-bid")
        self.group_max = group_max
        # Per event loop (a worker's; each test's), so futures never cross loops: lot id → queue.
        self.queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, _Queue]] = (
            weakref.WeakKeyDictionary()
        )

    async def _judged(self, lot_id: int, offer: Offer) -> Answer:
        """The bid's answer, judged with the lot's other bids waiting in this worker (group commit)."""
        from .services.bidding import serve_broadcasts_on

        loop = asyncio.get_running_loop()
        serve_broadcasts_on(loop)
        queues = self.queues.setdefault(loop, {})
        queue = queues.setdefault(lot_id, _Queue())
        future: asyncio.Future[Answer] = loop.create_future()
        queue.waiting.append((offer, future))
        if not queue.busy:
            queue.busy = True
            queue.task = loop.create_task(self._drain(lot_id, queue, queues))
        return await future

    async def _drain(self, lot_id: int, queue: _Queue, queues: dict[int, _Queue]) -> None:
        """Judge the lot's waiting bids a group at a time, while any wait: the bids that arrive while a
        group is in its transaction form the next group, so the group grows with the load and a quiet
        lot's bid is judged alone at once (no fixed delay)."""
        loop = asyncio.get_running_loop()
        try:
            while queue.waiting:
                group = queue.waiting[: self.group_max]
                del queue.waiting[: self.group_max]
                try:
                    answers = await loop.run_in_executor(
                        self.pool, _answer_group, lot_id, [offer for offer, _ in group]
                    )
                except BaseException as exc:  # cancelled with the loop: the waiting bids fail with it
                    for _, future in group:
                        if not future.done():
                            future.set_exception(exc)
                    raise
                for (_, future), answer in zip(group, answers, strict=True):
                    if not future.done():
                        future.set_result(answer)
        finally:  # no await since the last look at `waiting`: nothing was added meanwhile
            queue.busy = False
            if not queue.waiting and queues.get(lot_id) is queue:
                del queues[lot_id]

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
            answer = await self._judged(int(match.group(1)), (headers["x-bidder-token"], amount, arrived))
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
