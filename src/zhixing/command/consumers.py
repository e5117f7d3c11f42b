"""WebSocket at /ws/command/situation/<court id>/: a situation screen's live figures.

On connect: refused (4401) without a signed-in user, (4403) without the screen capability or for a court
the user may not read; otherwise the snapshot of the court's subtree (from the cache, `situation.snapshot`)
and then every update pushed to the court's group. The consumer never queries per message.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import situation


def _allowed_court(user: Any, court_id: int) -> Any:
    from zhixing.courts.models import Court
    from zhixing.courts.queries import can_read_court
    from zhixing.courts.roles import Cap

    if not user.can(Cap.COMMAND_SCREEN):
        return None
    court = Court.objects.filter(pk=court_id).first()
    return court if court is not None and can_read_court(user, court) else None


class SituationConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    group: str = ""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        court_id = int(self.scope["url_route"]["kwargs"]["court_id"])
        court = await database_sync_to_async(_allowed_court)(user, court_id)
        if court is None:
            await self.close(code=4403)
            return
        self.group = situation.group_name(court.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(await database_sync_to_async(situation.snapshot)(court))

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Screens only listen."""

    async def situation_update(self, event: dict[str, Any]) -> None:
        await self.send_json(event["data"])
