"""WebSocket at /ws/auctions/<lot id>/: a lot's live price, bids by code, end time and server clock.

Anyone may watch (the public portal); clients only listen. On connect the current snapshot is sent at
once (`services.bidding.snapshot` with the watchers' count); afterwards the socket is served by its
worker's feed of the lot (`auctions.feed`: one channel-layer subscription per worker, each update
encoded once for all the worker's sockets, with `recent` listing every bid since the previous frame).
The count is kept in the shared cache so every worker's watchers add up.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import feed, watchers
from .models import Lot
from .services.bidding import snapshot


@database_sync_to_async
def _open(lot_id: int) -> dict[str, Any] | None:
    lot = Lot.objects.filter(pk=lot_id).exclude(status__in=(Lot.Status.DRAFT, Lot.Status.CANCELLED)).first()
    if lot is None:
        return None
    data = snapshot(lot)
    data["watchers"] = watchers.change(lot_id, 1)
    return data


@database_sync_to_async
def _close(lot_id: int) -> int:
    return watchers.change(lot_id, -1)


class LotConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    # No channel-layer channel per socket: the worker's feed holds the lot's one subscription, and a
    # per-socket channel would be a receive task per watcher for messages that never come.
    channel_layer_alias = "auctions-watchers-have-no-layer"
    lot_id: int = 0
    joined: bool = False

    async def connect(self) -> None:
        self.lot_id = int(self.scope["url_route"]["kwargs"]["lot_id"])
        data = await _open(self.lot_id)
        if data is None:
            await self.close(code=4404)
            return
        self.joined = True
        await self.accept()
        await self.send_json(data)
        await feed.join(self.lot_id, self, data["watchers"])

    async def disconnect(self, code: int) -> None:
        if self.joined:
            self.joined = False
            await feed.leave(self.lot_id, self, await _close(self.lot_id))

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Watchers only listen; bids go through the HTTP API (one authority for time and order)."""
