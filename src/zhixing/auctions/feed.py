"""One subscription per worker and lot: a lot's WebSocket watchers are served from a single feed.

Every bid's update goes to the lot's channel-layer group (`services.bidding.broadcast`). The group's
members are not the sockets but one feed per web worker (per event loop) that has watchers of the lot:
the layer delivers one message per worker, however many sockets the worker holds (with Redis: one
round trip per worker instead of one per socket, and one receive loop). An update committed by this
worker's bid gateway is handed to its own feed directly (`relay.publish` → `offer_here`), and the copy
the layer brings back, marked with this loop's `origin`, is skipped.

The feed sends frames: the lot's newest state (`services.bidding.snapshot`) with `recent`, every bid
that arrived since the previous frame (in sequence order), the watchers' count and the server clock,
JSON-encoded once and written to every socket of the worker. While a frame is being written, further
updates accumulate and go out together in the next frame, so when bids arrive faster than a frame
reaches every socket the frames grow rather than queue: each watcher still sees every bid once (in
`recent`), and the delay stays about one frame's writing time. The newest state wins by its bid count,
so an update overtaken by a later one on the way (two workers' commits) never rolls a page back.

A hot lot sends at most one frame per tick (`conf.feed_tick_s()`, 100 ms by default): the first
update after a quiet tick goes out at once, later ones wait for the tick's end and go out together,
with the newest state and every bid since the previous frame, so no update is lost and the last
state always arrives. The frame is framed once (`auctions.wire`) and the same bytes are written to
every socket of the worker that uvicorn serves; other sockets get the text through their ASGI send.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, Protocol

from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from django.utils import timezone

from . import conf, relay, watchers, wire
from .services.bidding import group_name

log = logging.getLogger(__name__)

COUNT_REFRESH_S = 2.0  # how stale the watchers' count of other workers may be in a frame


class Socket(Protocol):
    async def send(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None: ...


def _direct(sock: Socket) -> wire.Direct | None:
    """The socket's uvicorn connection for pre-encoded frames (a consumer's ASGI send), if any."""
    send = getattr(sock, "base_send", None)
    return wire.direct(send) if send is not None else None


class _Receiver(threading.Thread):
    """The lot's group read off the worker's event loop (Redis layer only): a thread with its own loop
    and its own layer instance receives each update and hands it to the feed with one callback on the
    worker's loop. On a worker whose loop serves a thousand bidders' requests, every await of the
    layer's receive path (the Redis reply, channels_redis' receive buffer and lock, the feed's task)
    waited a whole busy loop turn; the hand-over is one turn."""

    def __init__(
        self, lot_id: int, deliver: Callable[[dict[str, Any]], None], loop: asyncio.AbstractEventLoop
    ):
        super().__init__(name=f"auction-feed-{lot_id}", daemon=True)
        self.lot_id, self.deliver, self.loop = lot_id, deliver, loop
        self.joined: asyncio.Future[None] = loop.create_future()
        self.stopping = False
        self.origin = relay.origin(loop)

    def run(self) -> None:
        asyncio.run(self._receive())

    def _tell(self, callback: Callable[..., None], *args: Any) -> bool:
        try:
            self.loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the worker's loop is closed
            return False
        return True

    def _joined(self, error: BaseException | None) -> None:
        if not self.joined.done():
            if error is None:
                self.joined.set_result(None)
            else:
                self.joined.set_exception(error)

    async def _receive(self) -> None:
        layer = channel_layers.make_backend("default")
        try:
            channel = await layer.new_channel()
            await layer.group_add(group_name(self.lot_id), channel)
        except Exception as exc:
            self._tell(self._joined, exc)
            return
        self._tell(self._joined, None)
        try:
            while not self.stopping:
                try:
                    message = await layer.receive(channel)
                except Exception:  # the layer is down (Redis restart): retry; pages poll meanwhile
                    log.warning("auction feed for lot %s lost its layer", self.lot_id, exc_info=True)
                    await asyncio.sleep(1)
                    continue
                if self.stopping:
                    break
                if message.get("origin") == self.origin:  # the worker's own: its feed has it already
                    continue
                data = message.get("data") if message.get("type") == "lot.update" else None
                if isinstance(data, dict) and not self._tell(self.deliver, data):
                    break
        finally:
            try:
                await layer.group_discard(group_name(self.lot_id), channel)
            except Exception:
                log.warning("auction feed for lot %s could not leave its group", self.lot_id, exc_info=True)


def off_loop(layer: Any) -> bool:
    """Whether the feed receives in a thread of its own: Redis' layer (a process-local layer has one
    instance per process, which a second loop's instance would not hear)."""
    return type(layer).__module__.startswith("channels_redis")


class LotFeed:
    """A lot's watchers in one event loop: one channel in the lot's group, coalesced frames."""

    def __init__(self, lot_id: int) -> None:
        self.lot_id = lot_id
        self.layer = get_channel_layer()
        self.sockets: dict[Socket, wire.Direct | None] = {}
        self.channel = ""
        self.latest: dict[str, Any] | None = None
        self.pending: dict[int, dict[str, Any]] = {}
        self.wake = asyncio.Event()
        self.count = 0
        self.counted_at = 0.0
        self.counting: asyncio.Task[None] | None = None
        self.tasks: list[asyncio.Task[None]] = []
        self.ready = asyncio.Event()
        self.tick = conf.feed_tick_s()
        self.sent_at = -1e9  # loop time of the last frame
        self.frames = 0
        self.receiver: _Receiver | None = None
        self.origin = ""

    async def open(self) -> None:
        self.origin = relay.origin(asyncio.get_running_loop())
        if off_loop(self.layer):
            self.receiver = _Receiver(self.lot_id, self.offer, asyncio.get_running_loop())
            self.receiver.start()
            await self.receiver.joined
            self.tasks = [asyncio.create_task(self._write())]
        else:
            self.channel = await self.layer.new_channel()
            await self.layer.group_add(group_name(self.lot_id), self.channel)
            self.tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._write())]
        self.ready.set()

    async def close(self) -> None:
        for task in [*self.tasks, *([self.counting] if self.counting else [])]:
            task.cancel()
        if self.receiver is not None:
            self.receiver.stopping = True  # it leaves the group after its current receive
        if self.channel:
            await self.layer.group_discard(group_name(self.lot_id), self.channel)

    def offer(self, data: dict[str, Any]) -> None:
        """Take one update: the newest state wins by bid count; its bid joins the next frame."""
        lines = data.get("recent") or ([data["last"]] if data.get("last") else [])
        for line in lines:  # a group commit's update carries every bid it accepted
            if isinstance(line, dict) and line.get("seq") is not None:
                self.pending[int(line["seq"])] = line
        if self.latest is None or int(data.get("bids") or 0) >= int(self.latest.get("bids") or 0):
            self.latest = data
        self.wake.set()

    async def _read(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # the layer is down (Redis restart): retry; pages poll meanwhile
                log.warning("auction feed for lot %s lost its layer", self.lot_id, exc_info=True)
                await asyncio.sleep(1)
                continue
            if message.get("origin") == self.origin:  # this loop's own: `offer_here` gave it already
                continue
            if message.get("type") == "lot.update" and isinstance(message.get("data"), dict):
                self.offer(message["data"])

    async def _count(self) -> int:
        """The count as last read; a stale one is re-read in the background, never in a frame's way
        (the read waits for Django's thread-sensitive executor, which connects and disconnects use)."""
        if time.monotonic() - self.counted_at > COUNT_REFRESH_S and self.counting is None:
            self.counted_at = time.monotonic()
            self.counting = asyncio.create_task(self._recount())
        return self.count

    async def _recount(self) -> None:
        try:
            self.count = await database_sync_to_async(watchers.count)(self.lot_id)
        except Exception:
            log.warning("auction watchers' count unavailable", exc_info=True)
        finally:
            self.counting = None

    def frame(self, count: int) -> str | None:
        """The next frame's text (None when there is nothing new)."""
        if self.latest is None:
            return None
        recent = [self.pending[s] for s in sorted(self.pending)]
        self.pending = {}
        data = {**self.latest, "recent": recent, "watchers": count, "server_now": timezone.now().isoformat()}
        return json.dumps(data, ensure_ascii=False)

    async def _write(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self.wake.wait()
            wait = self.sent_at + self.tick - loop.time()
            if wait > 0:  # a frame went out less than a tick ago: gather this tick's updates
                await asyncio.sleep(wait)
            self.wake.clear()
            text = self.frame(await self._count())
            if text is None:
                continue
            self.sent_at = loop.time()
            await self.send_all(text)

    async def send_all(self, text: str) -> None:
        """One frame to every socket: the same encoded bytes to uvicorn's, the text to the others."""
        self.frames += 1
        encoded: bytes | None = None
        others = []
        for sock, direct in list(self.sockets.items()):
            if direct is None:
                others.append(sock)
                continue
            if encoded is None:
                encoded = wire.encode_text(text)
            if not direct.write(encoded):  # closing or dropped: its disconnect follows
                self.sockets.pop(sock, None)
        for sock in others:
            try:
                await sock.send(text_data=text)
            except asyncio.CancelledError:
                raise
            except Exception:  # a socket closing meanwhile: its disconnect removes it
                self.sockets.pop(sock, None)


# One registry per event loop (a worker's loop; each test's loop), so feeds never cross loops.
_feeds: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, LotFeed]] = weakref.WeakKeyDictionary()


def offer_here(lot_id: int, data: dict[str, Any]) -> None:
    """On a worker's loop: its feed of the lot (if it has watchers of it) takes an update committed in
    this worker (`relay.publish`); the layer's copy of it is skipped by its origin."""
    loop = asyncio.get_running_loop()
    feed = _feeds.get(loop, {}).get(lot_id)
    if feed is not None:
        feed.offer(data)


async def join(lot_id: int, sock: Socket, count: int) -> None:
    """Add a socket to its worker's feed of the lot (opening the feed with the worker's first)."""
    feeds = _feeds.setdefault(asyncio.get_running_loop(), {})
    feed = feeds.get(lot_id)
    if feed is None:
        feed = feeds[lot_id] = LotFeed(lot_id)
        try:
            await feed.open()
        except BaseException:
            feeds.pop(lot_id, None)
            feed.ready.set()  # a socket waiting on this feed goes on to find it gone
            raise
    else:
        await feed.ready.wait()
        if feeds.get(lot_id) is not feed:
            await join(lot_id, sock, count)
            return
    feed.sockets[sock] = _direct(sock)
    feed.count, feed.counted_at = count, time.monotonic()


async def leave(lot_id: int, sock: Socket, count: int | None = None) -> None:
    """Remove a socket; the worker's last watcher of the lot closes the feed (leaves the group)."""
    feeds = _feeds.get(asyncio.get_running_loop(), {})
    feed = feeds.get(lot_id)
    if feed is None:
        return
    feed.sockets.pop(sock, None)
    if count is not None:
        feed.count, feed.counted_at = count, time.monotonic()
    if not feed.sockets:
        del feeds[lot_id]
        await feed.close()
