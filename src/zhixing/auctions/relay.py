"""A committed bid group's update on its way to the watchers: the committing worker's own feed first,
straight from the pool thread, and every other worker through the channel layer, sent off the loop.

The bid gateway's pool thread commits a group and calls `services.bidding.broadcast`. Before this
module the update took the long way even to the worker that committed it: a coroutine handed to the
worker's event loop (which serves a thousand bidders' requests, so it waited a busy turn), the layer's
group send on that loop (with Redis several round trips, each awaited behind another busy turn), then
Redis back to the same worker's feed thread and one more hand-over. Under the hot-lot benchmark that
was 160–190 ms (p50) and 0.5–0.6 s (p90) from commit to the feed (measured with timestamps in both
workers), most of an update's way to the screen.

Now (`publish`):
- the committing worker's feed of the lot takes the update in ONE loop turn
  (`feed.offer_here`, scheduled with `call_soon_threadsafe`);
- the layer's group send is made with the sending loop's mark (`origin`), so that loop's own feed skips
  the copy that comes back (no bid is framed twice); every other loop (the other workers) takes it;
- with Redis' layer the group send runs on a thread of this module with its own event loop and layer
  instance (`_Sender`), never waiting for the worker's loop; a process-local layer (one instance per
  process, `make run`) is sent to on the worker's loop as before.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any

from channels.layers import channel_layers

log = logging.getLogger(__name__)


def origin(loop: asyncio.AbstractEventLoop) -> str:
    """The mark of an event loop's own updates (unique across the deployment's processes and loops)."""
    return f"{os.getpid()}:{id(loop)}"


def _failed(future: Any) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("auction broadcast failed", exc_info=future.exception())


class _Sender(threading.Thread):
    """The process's group sends to Redis, on an event loop of their own (the worker's is busy)."""

    def __init__(self) -> None:
        super().__init__(name="auction-relay", daemon=True)
        self.loop = asyncio.new_event_loop()
        self.layer: Any = None
        self.started_ok = threading.Event()

    def run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.layer = channel_layers.make_backend("default")
        self.started_ok.set()
        self.loop.run_forever()

    def send(self, group: str, message: dict[str, Any]) -> None:
        self.started_ok.wait()
        future = asyncio.run_coroutine_threadsafe(self.layer.group_send(group, message), self.loop)
        future.add_done_callback(_failed)


_sender: _Sender | None = None
_sender_lock = threading.Lock()


def _sender_thread() -> _Sender:
    global _sender
    with _sender_lock:
        if _sender is None or not _sender.is_alive():
            _sender = _Sender()
            _sender.start()
        return _sender


def publish(loop: asyncio.AbstractEventLoop, layer: Any, lot_id: int, payload: dict[str, Any]) -> None:
    """From a thread other than `loop`'s (a bid pool thread, after the commit): `loop`'s own feed of the
    lot takes the update at once; every other feed hears it through the layer."""
    from . import feed
    from .services.bidding import group_name

    loop.call_soon_threadsafe(feed.offer_here, lot_id, payload)
    message = {"type": "lot.update", "data": payload, "origin": origin(loop)}
    if feed.off_loop(layer):
        _sender_thread().send(group_name(lot_id), message)
    else:
        send = layer.group_send(group_name(lot_id), message)
        asyncio.run_coroutine_threadsafe(send, loop).add_done_callback(_failed)
