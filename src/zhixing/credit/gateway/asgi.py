"""The ASGI layer: the screening check and batch taken off the platform's HTTP app, all else to Django."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from zhixing.core.asgi_routes import SECURITY_HEADERS, header_map, read_body, served_as_django_would

from .engine import Engine
from .remote import RemoteEngine
from .wire import Answer, Job, json_answer

# Set by `zhixing.config.server.serve` for its workers: the engine's process answers (engine_process).
SOCKET_VARIABLE = "ZHIXING_SCREENING_SOCKET"
CHECK_PATH = "/api/v1/screening/check"
BATCH_PATH = "/api/v1/screening/batch"
PATHS = {CHECK_PATH: "check", BATCH_PATH: "batch"}

log = logging.getLogger("django.request")


class ScreeningGateway:
    """Wraps the platform's HTTP ASGI app: the screening check and batch here, all else to Django."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.engine = Engine()
        # Under the platform's server the engine runs in a process of its own, shared by every worker;
        # an ASGI server started otherwise (and the tests' in-process servers) runs it as a thread here.
        path = os.environ.get(SOCKET_VARIABLE, "")
        self.remote = RemoteEngine(path) if path else None
        self.inline = False  # tests: handle each request in the caller's thread (module docstring)

    def _mine(self, scope: dict[str, Any], headers: dict[str, str]) -> bool:
        """Only a request Django would serve the same way (host allowed, HTTPS when required)."""
        return scope.get("method") == "POST" and served_as_django_would(scope, headers)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        kind = PATHS.get(scope.get("path", "")) if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
            return
        headers = header_map(scope)
        if not self._mine(scope, headers):
            await self.app(scope, receive, send)
            return
        answer = await self._handle(kind, scope, receive, headers)
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [
                    (b"content-type", answer.content_type.encode()),
                    (b"content-length", str(len(answer.body)).encode()),
                    *SECURITY_HEADERS,
                    *answer.headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer.body})

    async def _handle(
        self, kind: str, scope: dict[str, Any], receive: Any, headers: dict[str, str]
    ) -> Answer:
        body, refused = await read_body(receive)
        if refused is not None:
            return json_answer(*refused)
        job = Job(
            kind=kind,
            key=headers.get("x-partner-key", ""),
            content_type=headers.get("content-type", ""),
            accept=headers.get("accept", ""),
            query=scope.get("query_string", b"").decode("latin-1"),
            body=body or b"",
        )
        if self.inline:
            return self.engine.process([job], observe_now=True)[0]
        if self.remote is not None:
            answer = await self.remote.answer(job)
        else:
            loop = asyncio.get_running_loop()
            job.loop, job.future = loop, loop.create_future()
            self.engine.submit(job)
            answer = await job.future
        if answer.status >= 500:
            log.error("screening gateway answered %s", answer.status)
        return answer
