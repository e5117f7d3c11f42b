"""ASGI fast path for the custody bank's single notices: the same answer, without Django's request stack.

Under uvicorn, Django's ASGI handler runs every request through a fresh thread-sensitive executor and
hops between the event loop and threads at each sync-only middleware: measured here, ~2.5 ms of CPU
per request before the view runs (a 401 answered by the full stack: ~170/s per core), while the
notice's own work — HMAC, JSON, checks, one INSERT — is ~0.3 ms. Banks send one notice per request,
so `POST /api/v1/funds/bank/notices` is answered here: the body is read by the event loop, and
`funds.api.receive_signed_notice` (the function the django-ninja endpoint calls too: signature,
checks, the inbox INSERT) runs on a small pool of long-lived threads, each keeping its own database
connection. Errors have the API's shape (`{"detail", "field", "code"}`, 401/409/413/415/422/500).

Only a request Django would serve the same way is taken: any other method or path, a Host outside
`ALLOWED_HOSTS`, and — with `SECURE_SSL_REDIRECT` — a request that did not arrive over HTTPS (scheme,
or `X-Forwarded-Proto: https` from a `TRUSTED_PROXIES` peer) go to Django unchanged (which redirects
or refuses them as before). The notice endpoint takes no session, cookie or CSRF token (`auth=None`:
the bank's signature authenticates each call), so nothing the skipped middleware does applies to it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from ninja.errors import HttpError

from zhixing.core.errors import ServiceError
from zhixing.core.pool_connections import recycle_connection

NOTICE_PATH = "/api/v1/funds/bank/notices"
log = logging.getLogger("django.request")

_HEADERS = [
    (b"content-type", b"application/json; charset=utf-8"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


def _answer(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """Run in a pool thread: the ninja endpoint's work and its error answers."""
    from .api import receive_signed_notice

    recycle_connection()
    try:
        return 200, receive_signed_notice(path, body, headers)
    except ServiceError as exc:
        return exc.status, {"detail": exc.message, "field": exc.field, "code": exc.code}
    except HttpError as exc:
        return exc.status_code, {"detail": str(exc), "field": None, "code": "error"}
    except Exception:
        log.exception("bank notice failed")
        return 500, {"detail": "服务器内部错误，请稍后重试", "field": None, "code": "server_error"}
    finally:
        recycle_connection()


class NoticeGateway:
    """Wraps the platform's HTTP ASGI app; see the module docstring."""

    def __init__(self, app: Any, threads: int = 4) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="bank-notice")

    def _mine(self, scope: dict[str, Any], headers: dict[str, str]) -> bool:
        if scope.get("path") != NOTICE_PATH or scope.get("method") != "POST":
            return False
        host = headers.get("host", "")
        domain, _port = split_domain_port(host)
        allowed = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
        if not domain or not validate_host(domain, allowed):
            return False
        return not (getattr(settings, "SECURE_SSL_REDIRECT", False) and not self._secure(scope, headers))

    @staticmethod
    def _secure(scope: dict[str, Any], headers: dict[str, str]) -> bool:
        if scope.get("scheme") == "https":
            return True
        from zhixing.core.clientaddr import _is_trusted, trusted_networks

        peer = (scope.get("client") or ("", 0))[0]
        proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
        return proto == "https" and _is_trusted(peer, trusted_networks())

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") != NOTICE_PATH:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not self._mine(scope, headers):
            await self.app(scope, receive, send)
            return
        status, payload = await self._handle(scope, receive, headers)
        data = json.dumps(payload, ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*_HEADERS, (b"content-length", str(len(data)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": data})

    async def _handle(self, scope: dict[str, Any], receive: Any, headers: dict[str, str]) -> tuple[int, dict]:
        kind = headers.get("content-type", "")
        main = kind.split(";")[0].strip().lower()  # as zhixing.config.api.is_json_type
        if not (main == "application/json" or (main.startswith("application/") and main.endswith("+json"))):
            return 415, {
                "detail": f"请求体须为JSON，并声明 Content-Type: application/json（收到：{kind or '未声明'}）",  # noqa: E501
                "field": None,
                "code": "unsupported_media_type",
            }
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return 400, {"detail": "连接已断开", "field": None, "code": "error"}
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return 413, {"detail": "请求体过大", "field": None, "code": "too_large"}
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        loop = asyncio.get_running_loop()
        status, payload = await loop.run_in_executor(
            self.pool, _answer, scope["path"], b"".join(chunks), headers
        )
        if status >= 400:
            log.warning("bank notice refused (%s): %s", status, payload.get("detail"))
        return status, payload
