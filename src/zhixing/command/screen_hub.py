"""One subscription per court group and server process: the situation screens' fan-out.

Through Channels' groups each screen is a member of its court's group, so a push to a court watched by
200 screens is 200 channel-layer messages (with Redis: 200 entries written, 200 read back one by one,
200 JSON encodings of the same figures). Here a server process joins each group once with a relay
channel, and hands the pushed text — encoded once by `situation.refresh` — to every screen it holds.

Each screen has an outbox holding the latest text per court and a writer task: a slow client never holds
up the others, and when it falls behind its older figures of a court are superseded by the newest (the
figures are state, not a stream; a screen shows the newest anyway).

`make run` (the in-memory Channels layer, the task consumer in its own process): a refresh made by the
consumer — bank notices booked from the inbox, the periodic reconciliation, the alert sweep's events —
is pushed into the consumer's own layer, which no screen listens to. So when the layer is in-process and
tasks run in another process, each group's relay also watches the shared cache: every push interval it
reads the cached entries of the group's courts (one `get_many`) and delivers those whose version is newer
than what it delivered (a push through the layer counts as delivered, so nothing is sent twice). With
Redis (the documented deployment) the layer carries every process's pushes and nothing is polled.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from channels.db import database_sync_to_async

log = logging.getLogger(__name__)


class Outbox:
    """What one screen still has to send: the newest text per court, sent in order by its own task."""

    def __init__(self, send: Callable[[str], Awaitable[None]]) -> None:
        self._send = send
        self._pending: dict[Any, str] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def offer(self, key: Any, text: str) -> None:
        self._pending.pop(key, None)  # the newest goes to the end: order of arrival across courts
        self._pending[key] = text
        self._wake.set()

    def start(self) -> None:
        """Begin sending (after the snapshot: what arrived meanwhile follows it)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            pending, self._pending = self._pending, {}
            for text in pending.values():
                try:
                    await self._send(text)
                except Exception:  # the client went away: its consumer's disconnect stops this task
                    log.debug("situation screen send failed", exc_info=True)
                    return


class Hub:
    """The screens of one event loop (one server worker), by group, and one relay channel per group."""

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.screens: dict[str, set[Outbox]] = {}
        self.relays: dict[str, tuple[str, asyncio.Task[None]]] = {}
        self.watchers: dict[str, asyncio.Task[None]] = {}
        self.delivered: dict[tuple[str, Any], int] = {}  # (group, court) → newest version handed out
        self.lock = asyncio.Lock()

    async def join(self, group: str, outbox: Outbox) -> None:
        async with self.lock:
            self.screens.setdefault(group, set()).add(outbox)
            if group not in self.relays:
                channel = await self.layer.new_channel()
                await self.layer.group_add(group, channel)
                self.relays[group] = (
                    channel,
                    asyncio.get_running_loop().create_task(self._pump(group, channel)),
                )
                if watch_cache(self.layer):
                    self.watchers[group] = asyncio.get_running_loop().create_task(self._watch(group))

    async def leave(self, group: str, outbox: Outbox) -> None:
        outbox.stop()
        async with self.lock:
            members = self.screens.get(group, set())
            members.discard(outbox)
            if members or group not in self.relays:
                return
            self.screens.pop(group, None)
            channel, task = self.relays.pop(group)
            task.cancel()
            watcher = self.watchers.pop(group, None)
            if watcher is not None:
                watcher.cancel()
            await self.layer.group_discard(group, channel)

    def deliver(self, group: str, message: dict[str, Any]) -> int:
        """Hand one pushed message to the screens of `group` here; returns how many."""
        text = message.get("text")
        if text is None:  # a message built elsewhere with its figures as data: encode it once here
            text = json.dumps(message.get("data"))
        version = message.get("version")
        if version is not None and group in self.watchers:
            key = (group, message.get("court"))
            if version <= self.delivered.get(key, -1):
                return 0  # already handed out (the cache watcher and the layer both saw it)
            self.delivered[key] = version
        members = list(self.screens.get(group, ()))
        for outbox in members:
            outbox.offer(message.get("court"), text)
        return len(members)

    async def _pump(self, group: str, channel: str) -> None:
        while True:
            self.deliver(group, await self.layer.receive(channel))

    async def _watch(self, group: str) -> None:
        """Deliver the group's courts' cached figures newer than those delivered (see the docstring)."""
        from . import receivers, situation

        court_id = int(group.rsplit(".", 1)[1])
        ids = await database_sync_to_async(situation.subtree_ids)(court_id)
        while True:
            try:
                entries = await database_sync_to_async(situation.stored)(ids)
            except Exception:  # a database hiccup: try again next interval
                log.warning("situation cache watch of %s failed", group, exc_info=True)
                entries = {}
            # The first read re-sends what the snapshots showed (harmless: same version): an entry stored
            # between a snapshot and this read is never taken for one already shown.
            for cid, entry in entries.items():
                message = {"court": cid, "version": int(entry.get("version", 0))}
                message["text"] = json.dumps({"type": "update", **entry})
                self.deliver(group, message)
            await asyncio.sleep(receivers.push_interval())


def watch_cache(layer: Any) -> bool:
    """Whether pushes made by other processes cannot reach this one through `layer`: an in-process layer
    while background tasks run in the task consumer's process (`make run`), not in the caller's."""
    from huey.contrib.djhuey import HUEY

    return isinstance(getattr(layer, "groups", None), dict) and not HUEY.immediate


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub(layer: Any) -> Hub:
    """This event loop's hub (a server worker runs one loop; tests may run several in turn)."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None or found.layer is not layer:
        found = _hubs[loop] = Hub(layer)
    return found
