"""WebSocket at /ws/command/situation/<court id>/: a situation screen's live figures.

On connect: refused (4401) without a signed-in user, (4403) without the screen capability or for a court
the user may not read; otherwise the snapshot of the court's subtree (from the cache, `situation.snapshot`)
and then every update pushed to the court's group — relayed by the process's `screen_hub`, which
subscribes once per group and hands each screen the text encoded once. The consumer never queries per
message.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import screen_hub, situation


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
    outbox: screen_hub.Outbox | None = None

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
        self.outbox = screen_hub.Outbox(self._send_text)
        # Joined before the snapshot is read: a push in between waits in the outbox, sent after it.
        await screen_hub.hub(self.channel_layer).join(self.group, self.outbox)
        await self.accept()
        await self.send_json(await database_sync_to_async(situation.snapshot)(court))
        self.outbox.start()

    async def _send_text(self, text: str) -> None:
        await self.send(text_data=text)

    async def disconnect(self, code: int) -> None:
        if self.group and self.outbox is not None:
            await screen_hub.hub(self.channel_layer).leave(self.group, self.outbox)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Screens only listen."""
