"""The bid gateway (auctions/bid_gateway.py) answers a token bid as the django-ninja endpoint does, and
hands every other request to Django with its body intact."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from tests.auctions.conftest import BIDDER_IDS, TZ, lot_input
from zhixing.auctions import services
from zhixing.auctions.bid_gateway import BidGateway
from zhixing.auctions.models import Bid
from zhixing.auctions.services import sandbox_bank
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
START = datetime(2026, 4, 9, 10, tzinfo=TZ)


class Django:
    """Stands for the rest of the ASGI app: records what it was handed and answers 299."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def call(
    gw: BidGateway, path: str, body: bytes, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "scheme": "http",
        "client": ("127.0.0.1", 5000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in {"host": "127.0.0.1", **headers}.items()],
    }
    inbox = [{"type": "http.request", "body": body[:5], "more_body": True}]
    inbox.append({"type": "http.request", "body": body[5:], "more_body": False})

    async def receive() -> dict[str, Any]:
        return inbox.pop(0) if inbox else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async_to_sync(gw)(scope, receive, send)
    start = sent[0]
    head = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], head, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def world(people: dict[str, Any], house: dict[str, Any], _frozen: Any) -> dict[str, Any]:
    lot = services.publish_lot(
        people["judge"], services.create_lot(people["judge"], house["asset"].pk, lot_input()).pk
    )
    tokens = []
    for i in range(2):
        b, token = services.register_bidder(f"竞买人{i}", BIDDER_IDS[i])
        reg = services.join_lot(b, lot.pk)
        sandbox_bank.transfer_deposit(reg.pk, bank_txn=f"GW-{i}", amount=reg.deposit_due)
        tokens.append(token)
    _frozen.move_to(START + timedelta(minutes=30))
    return {"lot": lot, "tokens": tokens}


def test_a_token_bid_is_answered_as_the_endpoint_answers_it(world: dict[str, Any]) -> None:
    lot, (a, b) = world["lot"], world["tokens"]
    path = f"/api/v1/auctions/lots/{lot.pk}/bids"
    django = Django()
    gw = BidGateway(django)
    ninja = Client().post(path, json.dumps({"amount": "700000"}), "application/json", HTTP_X_BIDDER_TOKEN=a)
    assert ninja.status_code == 201
    status, head, body = call(
        gw, path, b'{"amount": "705000"}', {"content-type": "application/json", "x-bidder-token": b}
    )
    assert status == 201 and django.bodies == []
    got, want = json.loads(body), ninja.json()
    assert set(got) == set(want)
    assert (got["seq"], got["amount"], got["current_price"]) == (2, "705000.00", "705000.00")
    assert (got["at"], want["at"]) == ("2026-04-09T02:30:00Z", "2026-04-09T02:30:00Z")  # the same encoding
    assert got["ends_at"] == want["ends_at"]
    assert head["content-type"] == "application/json; charset=utf-8" and head["x-frame-options"] == "DENY"
    for name in ("x-content-type-options", "referrer-policy", "content-security-policy"):
        assert head[name] == ninja[name]
    # Refusals carry the service's reason and field, as the endpoint's do; nothing is recorded.
    status, _, body = call(
        gw, path, b'{"amount": "705001"}', {"content-type": "application/json", "x-bidder-token": a}
    )
    assert status == 409
    assert json.loads(body) == {
        "detail": "出价须不低于当前价705000.00元加一个加价幅度，即710000.00元",
        "field": "amount",
        "code": "conflict",
    }
    status, _, body = call(
        gw, path, b'{"amount": "abc"}', {"content-type": "application/json", "x-bidder-token": a}
    )
    assert status == 422 and json.loads(body)["field"] == "amount"
    # The probe's "1e20" (C4) and an amount above the columns' bound: refused on the fast route too.
    for amount in (b"1e20", b"7.1e5", b"10000000000000"):
        status, _, body = call(
            gw,
            path,
            b'{"amount": "' + amount + b'"}',
            {"content-type": "application/json", "x-bidder-token": a},
        )
        assert status == 422 and json.loads(body)["field"] == "amount"
    # An unknown lot is 404 on the fast route as on the endpoint.
    status, _, body = call(
        gw,
        "/api/v1/auctions/lots/999999/bids",
        b'{"amount": "800000"}',
        {"content-type": "application/json", "x-bidder-token": a},
    )
    assert status == 404 and json.loads(body)["field"] == "lot"
    assert list(Bid.objects.filter(lot=lot).values_list("seq", "amount")) == [(1, 700000), (2, 705000)]
    assert AuditRecord.objects.filter(action="auctions.bid").count() == 2


def test_a_bid_on_a_lot_suspended_by_a_price_objection_is_refused_with_its_cause(
    world: dict[str, Any],
) -> None:
    """The fast route refuses as the endpoint does, naming the cause (issue 19, R-4.3.8)."""
    from zhixing.auctions.services.bidding import PRICE_SUSPENDED_MESSAGE

    lot, (a, _) = world["lot"], world["tokens"]
    services.suspend_lot(None, lot.pk, "参考价异议立案", cause="price_objection")
    path = f"/api/v1/auctions/lots/{lot.pk}/bids"
    django = Django()
    status, _, body = call(
        BidGateway(django),
        path,
        b'{"amount": "700000"}',
        {"content-type": "application/json", "x-bidder-token": a},
    )
    assert (status, django.bodies) == (409, [])
    assert json.loads(body) == {"detail": PRICE_SUSPENDED_MESSAGE, "field": "lot", "code": "conflict"}
    ninja = Client().post(path, json.dumps({"amount": "700000"}), "application/json", HTTP_X_BIDDER_TOKEN=a)
    assert (ninja.status_code, ninja.json()["detail"]) == (409, PRICE_SUSPENDED_MESSAGE)
    assert not Bid.objects.filter(lot=lot).exists()


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b'{"amount": "710000"}', {"content-type": "application/json", "x-bidder-token": "no-such-token"}),
        (b'{"amount": "710000"}', {"content-type": "application/json"}),  # no token: the session's way
        (
            b'{"amount": "710000"}',
            {"content-type": "application/json", "x-bidder-token": "t", "cookie": "s=1"},
        ),
        (b'{"amount": 710000}', {"content-type": "application/json", "x-bidder-token": "t"}),  # not a string
        (b'{"amount": ', {"content-type": "application/json", "x-bidder-token": "t"}),  # bad JSON
        (b"amount=710000", {"content-type": "application/x-www-form-urlencoded", "x-bidder-token": "t"}),
        (
            b'{"amount": "710000"}',
            {"content-type": "application/json", "x-bidder-token": "t", "host": "evil"},
        ),
    ],
)
def test_anything_else_goes_to_django_with_its_body(
    world: dict[str, Any], body: bytes, headers: dict
) -> None:
    django = Django()
    path = f"/api/v1/auctions/lots/{world['lot'].pk}/bids"
    status, _, _ = call(BidGateway(django), path, body, headers)
    assert status == 299 and django.bodies == [body]
    assert not Bid.objects.exists()


def test_bids_waiting_together_are_judged_as_one_group(world: dict[str, Any], monkeypatch: Any) -> None:
    """Group commit: bids that arrive while none is being judged wait together and go into one
    transaction; each bidder gets its own answer (one takes the price, the other is outbid)."""
    import asyncio

    from zhixing.auctions import bid_gateway

    lot, (a, b) = world["lot"], world["tokens"]
    path = f"/api/v1/auctions/lots/{lot.pk}/bids"
    groups: list[int] = []
    real = bid_gateway._answer_group

    def recorded(lot_id: int, offers: list[Any]) -> list[Any]:
        groups.append(len(offers))
        return real(lot_id, offers)

    monkeypatch.setattr(bid_gateway, "_answer_group", recorded)
    gw = BidGateway(Django())

    async def both() -> list[tuple[int, bytes]]:
        results = []
        for token in (a, b, "no-such-token"):
            sent: list[dict[str, Any]] = []
            scope = {
                "type": "http",
                "method": "POST",
                "path": path,
                "scheme": "http",
                "client": ("127.0.0.1", 5000),
                "headers": [
                    (b"host", b"127.0.0.1"),
                    (b"content-type", b"application/json"),
                    (b"x-bidder-token", token.encode()),
                ],
            }
            body = [{"type": "http.request", "body": b'{"amount": "700000"}', "more_body": False}]

            async def receive(inbox: list[dict[str, Any]] = body) -> dict[str, Any]:
                return inbox.pop(0) if inbox else {"type": "http.disconnect"}

            async def send(message: dict[str, Any], out: list[dict[str, Any]] = sent) -> None:
                out.append(message)

            results.append((scope, receive, send, sent))
        await asyncio.gather(*(gw(scope, receive, send) for scope, receive, send, _ in results))
        return [(sent[0]["status"], sent[1].get("body", b"")) for *_, sent in results]

    answers = async_to_sync(both)()
    assert groups == [3]
    assert [status for status, _ in answers] == [201, 409, 299]  # the unknown token goes to Django
    assert json.loads(answers[0][1])["seq"] == 1
    assert json.loads(answers[1][1])["detail"] == "出价须不低于当前价700000.00元加一个加价幅度，即705000.00元"
    assert list(Bid.objects.filter(lot=lot).values_list("seq", "amount")) == [(1, 700000)]
