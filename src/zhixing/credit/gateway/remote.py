"""A web worker's side of the screening engine's process (`engine_process`): one connection per event loop.

The worker's event loop forwards each screening request it read as a frame (`frames`) and awaits the
answer with the same number. The connection is opened on the first request and again after it broke.
When the engine's process cannot be reached (it is restarting: `zhixing.config.server` starts it again
at once) the request is answered 503 with ``Retry-After``; when the connection breaks while requests
wait, they are answered 500 — their groups may or may not have committed, as for any answer lost on
the way (the audit record then exists without its answer having been sent, never the reverse).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from typing import Any

from zhixing.core.errors import ServiceError

from .frames import Reader, job_frame, read_answer
from .wire import Answer, Job, error_answer, server_error

log = logging.getLogger("django.request")
# × CONNECT_PAUSE: how long a request waits for the engine's socket (its process starting with the server,
# or started again after it died: Django's start-up, seconds on a loaded machine) before a 503.
CONNECT_TRIES = 150
CONNECT_PAUSE = 0.1


class EngineUnavailable(ServiceError):
    status = 503

    def __init__(self) -> None:
        super().__init__("名单核查服务暂不可用，请稍后重试", code="engine_unavailable")


class _Link(asyncio.Protocol):
    """The connection: frames out, answers in, each to the future of its request number."""

    def __init__(self) -> None:
        self.transport: Any = None
        self.waiting: dict[int, asyncio.Future[Answer]] = {}
        self.reader = Reader()
        self.numbers = itertools.count(1)
        self.closed = False

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        try:
            frames = self.reader.feed(data)
        except ValueError:
            log.exception("screening engine: a broken answer frame")
            self.transport.close()
            return
        waiting = self.waiting
        for number, payload in frames:
            future = waiting.pop(number, None)
            if future is not None and not future.done():
                future.set_result(read_answer(payload))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiting, self.waiting = self.waiting, {}
        for future in waiting.values():
            if not future.done():
                future.set_result(server_error())

    def send(self, job: Job) -> asyncio.Future[Answer]:
        number = next(self.numbers)
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self.waiting[number] = future
        self.transport.write(job_frame(number, job))
        return future


class RemoteEngine:
    """Forwards requests to the engine's process at `path` (one connection per event loop)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.links: dict[Any, _Link] = {}
        self.connecting: dict[Any, asyncio.Lock] = {}

    async def answer(self, job: Job) -> Answer:
        loop = asyncio.get_running_loop()
        link = self.links.get(loop)
        if link is None or link.closed:
            link = await self._connect(loop)
            if link is None:
                unavailable = error_answer(EngineUnavailable())
                unavailable.headers.append((b"retry-after", b"1"))
                return unavailable
        return await link.send(job)

    async def _connect(self, loop: Any) -> _Link | None:
        lock = self.connecting.setdefault(loop, asyncio.Lock())
        async with lock:
            link = self.links.get(loop)
            if link is not None and not link.closed:
                return link
            for _ in range(CONNECT_TRIES):
                try:
                    _, link = await loop.create_unix_connection(_Link, self.path)
                except OSError:
                    await asyncio.sleep(CONNECT_PAUSE)
                    continue
                self.links[loop] = link
                return link
            log.error("screening engine: no process at %s", self.path)
            return None
