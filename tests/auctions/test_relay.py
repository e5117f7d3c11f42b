"""A committed group's update reaches the committing worker's own feed straight from the pool thread
(one loop turn, not the channel layer's round trip), and the layer's copy of it is skipped there, so
every bid is framed once; other workers' feeds hear it through the layer (`auctions.relay`)."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from channels.layers import channel_layers, get_channel_layer

from zhixing.auctions import feed, relay
from zhixing.auctions.services import bidding

LOT = 7


def _update(seq: int) -> dict[str, Any]:
    line = {"code": "A", "amount": f"{seq}.00", "at": "2026-03-10T10:00:00+08:00", "seq": seq}
    return {"lot": LOT, "price": f"{seq}.00", "bids": seq, "ends_at": "end", "last": line, "recent": [line]}


class Recorder:
    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []

    async def send(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        self.frames.append(json.loads(text_data or ""))

    def seqs(self) -> list[int]:
        return [line["seq"] for frame in self.frames for line in frame["recent"]]


async def _settle(sock: Recorder, last: int) -> None:
    for _ in range(300):
        if last in sock.seqs():
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)  # any late (duplicate) copy would arrive meanwhile


async def _from_pool_thread(loop: asyncio.AbstractEventLoop, seqs: range) -> None:
    """As the bid gateway does: the pool thread broadcasts after its commit, the loop serving."""
    bidding.serve_broadcasts_on(loop)

    def commit() -> None:
        for seq in seqs:
            bidding.broadcast(LOT, _update(seq))

    with ThreadPoolExecutor(1) as pool:
        await loop.run_in_executor(pool, commit)


def test_the_committing_loops_feed_takes_the_update_directly_once(settings) -> None:
    settings.ZHIXING_AUCTIONS = {"feed_tick_ms": 10}
    layer = get_channel_layer()
    sent: list[dict[str, Any]] = []

    async def lost(group: str, message: dict[str, Any]) -> None:  # the layer delivers nothing
        sent.append(message)

    async def run() -> Recorder:
        loop = asyncio.get_running_loop()
        sock = Recorder()
        await feed.join(LOT, sock, 1)
        real = layer.group_send
        layer.group_send = lost
        try:
            await _from_pool_thread(loop, range(1, 4))
            await _settle(sock, 3)
        finally:
            layer.group_send = real
            await feed.leave(LOT, sock)
        return sock

    sock = asyncio.run(run())
    assert sock.seqs() == [1, 2, 3]  # without the layer: the feed was handed them directly
    assert sock.frames[-1]["price"] == "3.00"
    # the layer still gets each update for the other workers, marked with the committing loop
    assert [m["data"]["bids"] for m in sent] == [1, 2, 3]
    assert len({m["origin"] for m in sent}) == 1
    assert sent[0]["origin"].startswith(f"{os.getpid()}:")


def test_the_layers_copy_is_skipped_by_the_committing_loop_only(settings) -> None:
    settings.ZHIXING_AUCTIONS = {"feed_tick_ms": 10}

    async def run() -> Recorder:
        loop = asyncio.get_running_loop()
        sock = Recorder()
        await feed.join(LOT, sock, 1)
        try:
            await _from_pool_thread(loop, range(1, 4))  # direct, and the in-memory layer's copy
            layer = get_channel_layer()
            other = {"type": "lot.update", "data": _update(4), "origin": "another-worker"}
            await layer.group_send(bidding.group_name(LOT), other)
            await _settle(sock, 4)
        finally:
            await feed.leave(LOT, sock)
        return sock

    sock = asyncio.run(run())
    assert sock.seqs() == [1, 2, 3, 4]  # each once: its own copies skipped, another worker's taken
    assert relay.origin(asyncio.new_event_loop()) != ""


def test_on_redis_every_worker_frames_each_bid_once(settings) -> None:
    """Two event loops as two workers, each with a feed of the lot, on Redis' layer: the committing
    loop frames its bids from the direct hand-over, the other from Redis (sent by the relay's own
    thread), and neither frames a bid twice."""
    url = os.environ.get("REDIS_TEST_URL", "")
    if not url:
        pytest.skip("REDIS_TEST_URL not set (make test starts Redis for the PostgreSQL run)")
    settings.ZHIXING_AUCTIONS = {"feed_tick_ms": 10}
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url]}}
    }
    channel_layers.backends.clear()
    other_sock, joined, stop = Recorder(), threading.Event(), threading.Event()

    def other_worker() -> None:
        async def serve() -> None:
            await feed.join(LOT, other_sock, 1)
            joined.set()
            while not stop.is_set():
                await asyncio.sleep(0.01)
            await feed.leave(LOT, other_sock)

        asyncio.run(serve())

    other = threading.Thread(target=other_worker)
    other.start()
    try:
        assert joined.wait(20)

        async def run() -> Recorder:
            loop = asyncio.get_running_loop()
            sock = Recorder()
            await feed.join(LOT, sock, 1)
            try:
                await _from_pool_thread(loop, range(1, 6))
                await _settle(sock, 5)
                for _ in range(300):
                    if 5 in other_sock.seqs():
                        break
                    await asyncio.sleep(0.01)
                await asyncio.sleep(0.3)
            finally:
                await feed.leave(LOT, sock)
            return sock

        sock = asyncio.run(run())
    finally:
        stop.set()
        other.join(timeout=20)
        channel_layers.backends.clear()
    assert sorted(sock.seqs()) == [1, 2, 3, 4, 5]
    assert sorted(other_sock.seqs()) == [1, 2, 3, 4, 5]
    assert relay._sender is not None and relay._sender.is_alive()  # sent off the worker's loop
