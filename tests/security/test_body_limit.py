"""Oversized request bodies are refused (413) before Django or a fast route reads them.

Django spools a multipart file part of any size to disk before a view (or the CSRF check of an
anonymous POST) runs; without the reverse proxy's `client_max_body_size` a stranger could fill the disk.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from zhixing.config import asgi
from zhixing.core.body_limit import BodyLimit


class Recorder:
    """A stand-in application: reads the whole body, answers 200, and records what it read."""

    def __init__(self) -> None:
        self.read = b""
        self.called = False
        self.disconnected = False

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.called = True
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                self.disconnected = True
                await send({"type": "http.response.start", "status": 400, "headers": []})
                await send({"type": "http.response.body", "body": b"aborted"})
                return
            self.read += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def call(app: Any, path: str, chunks: list[bytes], length: int | None) -> tuple[int, bytes, int]:
    """(status, body, chunks the client had to send) of a POST of `chunks` through `app`."""
    headers = [(b"host", b"testserver"), (b"content-type", b"multipart/form-data; boundary=x")]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    scope = {"type": "http", "method": "POST", "path": path, "headers": headers, "query_string": b""}
    pending = list(chunks)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        chunk = pending.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body, len(chunks) - len(pending)


def test_a_declared_length_over_the_cap_is_refused_unread(settings: Any) -> None:
    settings.ZHIXING_MAX_REQUEST_BYTES = 1000
    inner = Recorder()
    status, body, read = call(BodyLimit(inner), "/login/", [b"x" * 600, b"x" * 600], 1200)
    assert (status, body.decode(), read, inner.called) == (413, "请求体过大，未被处理", 0, False)


def test_a_chunked_body_is_cut_off_at_the_cap(settings: Any) -> None:
    settings.ZHIXING_MAX_REQUEST_BYTES = 1000
    inner = Recorder()
    status, body, read = call(BodyLimit(inner), "/api/v1/analytics/x", [b"x" * 600] * 5, None)
    assert status == 413 and json.loads(body) == {
        "detail": "请求体过大，未被处理",
        "field": None,
        "code": "too_large",
    }
    assert (read, inner.read, inner.disconnected) == (2, b"x" * 600, True)  # nothing past the cap was read


def test_a_body_at_the_cap_passes(settings: Any) -> None:
    settings.ZHIXING_MAX_REQUEST_BYTES = 1000
    inner = Recorder()
    assert call(BodyLimit(inner), "/login/", [b"x" * 500, b"x" * 500], 1000) == (200, b"ok", 2)
    assert call(BodyLimit(Recorder()), "/login/", [b"x" * 500, b"x" * 500], None) == (200, b"ok", 2)


def test_the_platform_application_is_capped() -> None:
    http = asgi.application.application_mapping["http"]
    assert isinstance(http, BodyLimit)


def test_the_default_cap_is_the_reverse_proxys() -> None:
    from django.conf import settings

    assert settings.ZHIXING_MAX_REQUEST_BYTES == 200 * 1024 * 1024
