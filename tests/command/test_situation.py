"""Situation screens: figures cached per court, refreshed once per event after commit, pushed to the
court's group and every group above it; the WebSocket sends a snapshot then relays pushes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.layers import get_channel_layer
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests import factories
from zhixing.cases import services
from zhixing.command import situation

pytestmark = pytest.mark.django_db
MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def _listen(court_id: int) -> str:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(situation.group_name(court_id), channel)
    return channel


def _next(channel: str) -> dict[str, Any]:
    return dict(async_to_sync(get_channel_layer().receive)(channel))


@override_settings(CHANNEL_LAYERS=MEMORY)
def test_a_payment_refreshes_its_court_once_and_pushes_up_the_tree(
    people: dict[str, Any], frozen: None, django_capture_on_commit_callbacks: Any
) -> None:
    case = factories.case(people["clerk"])
    th, gz, gd = case.court, people["gz_director"].court, people["gd_president"].court
    before = situation.snapshot(gd)
    th_before = next(c for c in before["courts"] if c["id"] == th.pk)
    assert th_before["figures"]["received"] == "0.00" and th_before["figures"]["new"] == 1
    channels = {c.pk: _listen(c.pk) for c in (th, gz, gd, people["ft_director"].court)}
    from zhixing.command import receivers

    # The filing's refresh waits for a commit this test transaction never makes: start from none pending.
    receivers._pending.courts, receivers._pending.light = set(), set()
    with (
        CaptureQueriesContext(connection) as ctx,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        services.record_payment(
            case.pk, Decimal("1234.50"), date(2026, 3, 9), source="direct", reference="s-1"
        )
        services.record_payment(
            case.pk, Decimal("100.00"), date(2026, 3, 9), source="direct", reference="s-2"
        )
    # Each payment adds its amount to 天河's running total in its own transaction; one refresh for the
    # transaction, however many events it sent, reads that total: the month's payments are not recounted.
    sqls = [q["sql"] for q in ctx.captured_queries]
    recounts = [q for q in sqls if "SUM" in q and "cases_payment" in q and "court_id" in q]
    assert recounts == []
    assert len([q for q in sqls if q.startswith("UPDATE") and "command_situationtotal" in q]) == 2
    # One read of the totals. (On PostgreSQL the second payment's row, already held by this transaction,
    # is taken out of lock order with FOR UPDATE SKIP LOCKED first: command/totals.py, never a wait.)
    totals = [q for q in sqls if q.startswith("SELECT") and "command_situationtotal" in q]
    assert len([q for q in totals if "FOR UPDATE" not in q]) == 1, totals
    for court in (th, gz, gd):
        msg = _next(channels[court.pk])
        assert (msg["type"], msg["court"]) == ("situation.update", th.pk)
        data = json.loads(msg["text"])  # encoded once for every screen
        assert (data["type"], data["court"], data["figures"]["received"]) == ("update", th.pk, "1334.50")
        assert data["version"] == th_before["version"] + 1
    layer = get_channel_layer()
    assert layer.groups.get(situation.group_name(people["ft_director"].court_id))  # listening, but:
    with pytest.raises(Exception):
        async_to_sync(_receive_soon)(channels[people["ft_director"].court_id])
    # The snapshot now reads the refreshed entry from the cache: no figure query.
    with CaptureQueriesContext(connection) as ctx:
        again = situation.snapshot(gd)
    assert next(c for c in again["courts"] if c["id"] == th.pk)["figures"]["received"] == "1334.50"
    assert len(ctx.captured_queries) <= 2, [q["sql"] for q in ctx.captured_queries]


async def _receive_soon(channel: str) -> Any:
    import asyncio

    return await asyncio.wait_for(get_channel_layer().receive(channel), 0.2)


@override_settings(CHANNEL_LAYERS=MEMORY)
def test_a_rolled_back_event_pushes_nothing(
    people: dict[str, Any], frozen: None, django_capture_on_commit_callbacks: Any
) -> None:
    case = factories.case(people["clerk"])
    channel = _listen(case.court_id)
    from zhixing.command import receivers

    receivers._pending.courts = set()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.record_payment(
                    case.pk, Decimal("5.00"), date(2026, 3, 9), source="direct", reference="r-1"
                )
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    with pytest.raises(Exception):
        async_to_sync(_receive_soon)(channel)


def test_refresh_costs_the_same_whatever_the_number_of_screens(people: dict[str, Any], frozen: None) -> None:
    case = factories.case(people["clerk"])
    with CaptureQueriesContext(connection) as one:
        situation.refresh([case.court_id])
    with override_settings(CHANNEL_LAYERS=MEMORY):
        for _ in range(50):
            _listen(case.court_id)
        with CaptureQueriesContext(connection) as many:
            assert situation.refresh([case.court_id]) == 1  # only 天河 has screens in this process
    # ≈ 12 figure queries, 3 reconciling the running total (lock, recount, store), the cache's own.
    assert len(many.captured_queries) == len(one.captured_queries) <= 24


class Socket(ApplicationCommunicator):  # type: ignore[misc]
    def __init__(self, path: str, user: Any, court_id: int) -> None:
        from zhixing.command.consumers import SituationConsumer

        scope = {
            "type": "websocket",
            "path": path,
            "headers": [],
            "subprotocols": [],
            "user": user,
            "url_route": {"args": (), "kwargs": {"court_id": court_id}},
        }
        super().__init__(SituationConsumer.as_asgi(), scope)

    async def connect(self) -> dict[str, Any]:
        await self.send_input({"type": "websocket.connect"})
        return dict(await self.receive_output(5))

    async def receive_json(self) -> Any:
        return json.loads((await self.receive_output(5))["text"])


@pytest.mark.django_db(transaction=True)
@override_settings(CHANNEL_LAYERS=MEMORY)
def test_websocket_sends_the_snapshot_then_updates_and_refuses_others(people: dict[str, Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    th = people["director"].court
    path = f"/ws/command/situation/{th.pk}/"

    async def run() -> None:
        assert await Socket(path, AnonymousUser(), th.pk).connect() == {
            "type": "websocket.close",
            "code": 4401,
        }
        assert await Socket(path, people["judge"], th.pk).connect() == {
            "type": "websocket.close",
            "code": 4403,
        }
        assert await Socket(path, people["yx_director"], th.pk).connect() == {
            "type": "websocket.close",
            "code": 4403,
        }
        ws = Socket(path, people["operator"], th.pk)
        assert (await ws.connect())["type"] == "websocket.accept"
        snap = await ws.receive_json()
        assert snap["type"] == "snapshot" and [c["id"] for c in snap["courts"]] == [th.pk]
        await get_channel_layer().group_send(
            situation.group_name(th.pk),
            {"type": "situation.update", "data": {"type": "update", "court": th.pk, "version": 9}},
        )
        assert await ws.receive_json() == {"type": "update", "court": th.pk, "version": 9}
        await ws.send_input({"type": "websocket.disconnect", "code": 1000})
        await ws.wait(1)

    async_to_sync(run)()
