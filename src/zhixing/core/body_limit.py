"""A cap on the size of any request body, enforced before Django (or a fast route) reads it.

Django bounds what it parses into memory (`DATA_UPLOAD_MAX_MEMORY_SIZE`) but not a multipart file part:
the ASGI handler spools the whole body to a temporary file before any middleware runs, and the CSRF
check parses it even for an anonymous POST to the sign-in page. Without the reverse proxy in front
(`client_max_body_size`, `config/reverse_proxy.py`), a stranger could fill the disk with one request.
`BodyLimit` wraps the platform's ASGI application: a declared `Content-Length` over
`ZHIXING_MAX_REQUEST_BYTES` is answered 413 without reading the body; a body sent without a length
(chunked) is cut off as soon as it passes the cap — the application sees the client go away, and the
client gets the 413. The cap is the proxy's (200 MiB) unless configured.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

DEFAULT_MAX_REQUEST_BYTES = 200 * 1024 * 1024
MESSAGE = "请求体过大，未被处理"


def max_request_bytes() -> int:
    return int(getattr(settings, "ZHIXING_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES))


def _declared_length(scope: dict[str, Any]) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(scope: dict[str, Any], send: Any) -> None:
    if scope.get("path", "").startswith("/api/"):
        body = json.dumps({"detail": MESSAGE, "field": None, "code": "too_large"}, ensure_ascii=False)
        kind = b"application/json"
    else:
        body, kind = MESSAGE, b"text/plain; charset=utf-8"
    data = body.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(data)).encode()),
                (b"connection", b"close"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


class BodyLimit:
    """ASGI middleware: refuse (413) a request body larger than `max_request_bytes()`."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = max_request_bytes()
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _too_large(scope, send)
            return
        received = 0
        over = False
        started = False

        async def counted_receive() -> dict[str, Any]:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def watched_send(message: dict[str, Any]) -> None:
            nonlocal started
            if over and not started:
                return  # the application's answer to a body it never got whole: the 413 is sent instead
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted_receive, watched_send)
        if over and not started:
            await _too_large(scope, send)
