"""The lot's WebSocket: a watcher gets the snapshot on connect (with the watchers' count) and the
updates sent to the lot's group; an unpublished lot is refused; an accepted bid is broadcast after
commit with its code, amount, server time and sequence number."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.layers import get_channel_layer
from django.test import override_settings

from tests.auctions.conftest import TZ, bidder, lot_input
from zhixing.auctions import services, watchers
from zhixing.auctions.consumers import LotConsumer
from zhixing.auctions.feed import LotFeed
from zhixing.auctions.services import sandbox_bank
from zhixing.auctions.services.bidding import group_name

pytestmark = pytest.mark.django_db
MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


class Socket(ApplicationCommunicator):  # type: ignore[misc]
    """channels.testing.WebsocketCommunicator without channels.testing (whose package imports daphne)."""

    def __init__(self, lot_id: int) -> None:
        path = f"/ws/auctions/{lot_id}/"
        scope = {
            "type": "websocket",
            "path": path,
            "headers": [],
            "subprotocols": [],
            "url_route": {"args": (), "kwargs": {"lot_id": lot_id}},
        }
        super().__init__(LotConsumer.as_asgi(), scope)

    async def connect(self) -> dict[str, Any]:
        await self.send_input({"type": "websocket.connect"})
        return dict(await self.receive_output(5))

    async def receive_json(self) -> Any:
        return json.loads((await self.receive_output(5))["text"])


@override_settings(CHANNEL_LAYERS=MEMORY)
def test_watchers_get_the_snapshot_and_the_lots_updates(people, house, monkeypatch):
    # The consumer's database calls close "old" connections; the test database must stay open.
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)
    lot = services.create_lot(people["judge"], house["asset"].pk, lot_input())

    async def run() -> None:
        draft = Socket(lot.pk)
        assert await draft.connect() == {"type": "websocket.close", "code": 4404}
        from channels.db import database_sync_to_async

        await database_sync_to_async(services.publish_lot)(people["judge"], lot.pk)
        ws = Socket(lot.pk)
        assert (await ws.connect())["type"] == "websocket.accept"
        first = await ws.receive_json()
        assert first["lot"] == lot.pk and first["price"] is None and first["watchers"] == 1
        await get_channel_layer().group_send(
            group_name(lot.pk), {"type": "lot.update", "data": {"price": "1.00"}}
        )
        frame = await ws.receive_json()
        assert (frame["price"], frame["recent"], frame["watchers"]) == ("1.00", [], 1)
        # A second watcher in this loop shares the first one's feed: one group member for both.
        other = Socket(lot.pk)
        assert (await other.connect())["type"] == "websocket.accept"
        assert (await other.receive_json())["watchers"] == 2
        layer = get_channel_layer()
        assert len(layer.groups[group_name(lot.pk)]) == 1
        update = {"type": "lot.update", "data": {"price": "2.00", "bids": 1}}
        await layer.group_send(group_name(lot.pk), update)
        assert [(await s.receive_json())["price"] for s in (ws, other)] == ["2.00", "2.00"]
        await other.send_input({"type": "websocket.disconnect", "code": 1000})
        await other.wait(1)
        await ws.send_input({"type": "websocket.disconnect", "code": 1000})
        await ws.wait(1)
        assert group_name(lot.pk) not in layer.groups  # the last watcher closed the worker's feed

    async_to_sync(run)()
    assert watchers.count(lot.pk) == 0


@override_settings(CHANNEL_LAYERS=MEMORY)
def test_an_accepted_bid_is_broadcast_after_commit(people, house, django_capture_on_commit_callbacks):
    lot = services.publish_lot(
        people["judge"], services.create_lot(people["judge"], house["asset"].pk, lot_input()).pk
    )
    b = bidder(0)
    reg = services.join_lot(b, lot.pk)
    sandbox_bank.transfer_deposit(reg.pk, bank_txn="WS1", amount=reg.deposit_due)
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group_name(lot.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        services.place_bid(b, lot.pk, "700000", arrived_at=datetime(2026, 4, 9, 10, 30, tzinfo=TZ))
    msg = async_to_sync(layer.receive)(channel)
    assert msg["type"] == "lot.update"
    data = msg["data"]
    assert (data["price"], data["bids"], data["ends_at"]) == ("700000.00", 1, "2026-04-10T02:00:00+00:00")
    assert data["last"] == {
        "code": reg.code,
        "amount": "700000.00",
        "at": "2026-04-09T10:30:00+08:00",
        "seq": 1,
    }


def _update(seq: int, price: str) -> dict[str, Any]:
    last = {"code": "A", "amount": price, "at": "2026-04-09T10:30:00+08:00", "seq": seq}
    return {"lot": 1, "price": price, "bids": seq, "last": last}


def test_a_feed_coalesces_updates_into_one_frame_with_every_bid_in_order():
    feed = LotFeed(1)
    assert feed.frame(3) is None  # nothing yet
    feed.offer(_update(2, "2.00"))
    feed.offer(_update(3, "3.00"))
    feed.offer(_update(1, "1.00"))  # overtaken on the way: listed, but the state stays the newest
    frame = json.loads(feed.frame(3) or "")
    assert (frame["price"], frame["bids"], frame["watchers"]) == ("3.00", 3, 3)
    assert [b["seq"] for b in frame["recent"]] == [1, 2, 3]
    assert frame["last"]["seq"] == 3 and frame["server_now"]
    feed.offer(_update(4, "4.00"))
    assert [b["seq"] for b in json.loads(feed.frame(3) or "")["recent"]] == [4]  # sent bids go once
