"""`make run`: the in-memory Channels layer cannot carry the task consumer's pushes to the web process, so
each screen group's relay watches the shared cache and delivers figures another process stored — once,
whether they come from the cache or through the layer. With tasks run in-process (the tests' immediate
Huey) or a Redis layer, nothing is watched."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.test import override_settings

from zhixing.command import screen_hub, situation

from .test_situation import MEMORY, Socket


@pytest.mark.django_db(transaction=True)
@override_settings(CHANNEL_LAYERS=MEMORY)
def test_screens_get_the_figures_the_task_consumer_stored(
    people: dict[str, Any], settings: Any, monkeypatch: Any
) -> None:
    from huey.contrib.djhuey import HUEY

    settings.ZHIXING_COMMAND = {**settings.ZHIXING_COMMAND, "push_ms": 50}
    th = people["director"].court
    situation.refresh([th.pk])
    group = situation.group_name(th.pk)
    assert not screen_hub.watch_cache(get_channel_layer())  # tasks run here (tests): nothing to watch
    monkeypatch.setattr(HUEY, "immediate", False)  # as `make run`: the consumer is another process
    assert screen_hub.watch_cache(get_channel_layer())

    async def run() -> None:
        ws = Socket(f"/ws/command/situation/{th.pk}/", people["operator"], th.pk)
        assert (await ws.connect())["type"] == "websocket.accept"
        snap = await ws.receive_json()
        shown = next(c for c in snap["courts"] if c["id"] == th.pk)
        repeat = await ws.receive_json()  # the watch's first read: the figures the snapshot showed
        assert (repeat["type"], repeat["version"], repeat["figures"]) == (
            "update",
            shown["version"],
            shown["figures"],
        )
        # The consumer (another process) stores a newer entry; its push went into its own layer.
        entry = {
            **shown,
            "version": shown["version"] + 4,
            "figures": {**shown["figures"], "received": "42.00"},
        }
        for key in ("id", "name", "code", "parent_id"):
            entry.pop(key)
        await database_sync_to_async(situation._cache().set)(situation._key(th.pk), entry, 60)
        got = await ws.receive_json()
        assert got == {"type": "update", **entry}
        layer = get_channel_layer()
        # A push through this process' layer of a version already delivered is not sent again; a newer is.
        await layer.group_send(
            group, {"type": "situation.update", "court": th.pk, "version": entry["version"], "text": "{}"}
        )
        newer = {"type": "situation.update", "court": th.pk, "version": entry["version"] + 1}
        await layer.group_send(group, {**newer, "text": json.dumps({"v": "newer"})})
        assert await ws.receive_json() == {"v": "newer"}
        assert await ws.receive_nothing(0.3)
        hub = screen_hub.hub(layer)
        assert set(hub.watchers) == {group}
        await ws.send_input({"type": "websocket.disconnect", "code": 1000})
        await ws.wait(1)
        assert hub.watchers == {}  # the last screen gone: the watch stops

    async_to_sync(run)()
