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
Those checks, the body's reading and the JSON answer are shared with the other fast routes
(`core.asgi_routes`).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ninja.errors import HttpError

from zhixing.core.asgi_routes import (
    header_map,
    is_json_type,
    json_body,
    read_body,
    send_json,
    served_as_django_would,
    unsupported_json,
)
from zhixing.core.errors import ServiceError
from zhixing.core.pool_connections import recycle_connection

NOTICE_PATH = "/api/v1/funds/bank/notices"
log = logging.getLogger("django.request")


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

    @staticmethod
    def _mine(scope: dict[str, Any], headers: dict[str, str]) -> bool:
        return (
            scope.get("path") == NOTICE_PATH
            and scope.get("method") == "POST"
            and served_as_django_would(scope, headers)
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") != NOTICE_PATH:
            await self.app(scope, receive, send)
            return
        headers = header_map(scope)
        if not self._mine(scope, headers):
            await self.app(scope, receive, send)
            return
        status, payload = await self._handle(scope, receive, headers)
        await send_json(send, status, json_body(payload))

    async def _handle(self, scope: dict[str, Any], receive: Any, headers: dict[str, str]) -> tuple[int, dict]:
        kind = headers.get("content-type", "")
        if not is_json_type(kind):
            return 415, unsupported_json(kind)
        body, refused = await read_body(receive)
        if refused is not None:
            return refused
        loop = asyncio.get_running_loop()
        status, payload = await loop.run_in_executor(self.pool, _answer, scope["path"], body or b"", headers)
        if status >= 400:
            log.warning("bank notice refused (%s): %s", status, payload.get("detail"))
        return status, payload
