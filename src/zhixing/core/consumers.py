"""WebSocket at /ws/notifications/: the signed-in user's notifications as they are written.

Anonymous connections are refused. Each message is a JSON object: the notification (`id`, `kind`,
`text`, `url`, `created`, `read`) and the user's `unread` count after it.
"""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .notify import group_name


class NotificationConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    group: str = ""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = group_name(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Clients only listen."""

    async def notify_message(self, event: dict[str, Any]) -> None:
        await self.send_json(event["data"])
