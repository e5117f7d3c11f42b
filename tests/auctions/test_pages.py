"""Auction pages and API: the permission matrix of the clerk's pages and actions, the public portal,
bidding over the API with the bidder's token, identities hidden until the end, a query budget."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.auctions.conftest import BIDDER_IDS, TZ, lot_input
from zhixing.auctions import services
from zhixing.auctions.models import Bid, Lot
from zhixing.auctions.services import sandbox_bank

pytestmark = pytest.mark.django_db
START = datetime(2026, 4, 9, 10, tzinfo=TZ)
END = datetime(2026, 4, 10, 10, tzinfo=TZ)


@pytest.fixture
def lot(people: dict[str, Any], house: dict[str, Any]) -> Lot:
    return services.create_lot(people["judge"], house["asset"].pk, lot_input())


def _client(people: dict[str, Any], who: str) -> Client:
    c = Client()
    if who != "anon":
        c.force_login(people[who])
    return c


PAGES = {
    "manage": lambda lot: ("get", reverse("auctions_manage")),
    "new_lot": lambda lot: ("get", reverse("auctions_new_lot", args=[lot.asset_id])),
    "manage_lot": lambda lot: ("get", reverse("auctions_manage_lot", args=[lot.pk])),
    "statistics": lambda lot: ("get", reverse("auctions_statistics")),
    "publish": lambda lot: ("post", reverse("auctions_lot_action", args=[lot.pk, "publish"])),
    "create": lambda lot: ("post", reverse("auctions_new_lot", args=[lot.asset_id])),
}
# 200 page, 302 done, L login, 403 refused, 404 unreadable, 422 refused input (the lot form's rules).
MATRIX = {
    "judge": {
        "manage": 200,
        "new_lot": 200,
        "manage_lot": 200,
        "statistics": 200,
        "publish": 302,
        "create": 422,
    },
    "director": {
        "manage": 200,
        "new_lot": 200,
        "manage_lot": 200,
        "statistics": 200,
        "publish": 302,
        "create": 422,
    },
    "clerk": {
        "manage": 200,
        "new_lot": 403,  # the GET refuses as the POST does (walk finding 2)
        "manage_lot": 200,
        "statistics": 200,
        "publish": 403,
        "create": 403,
    },
    "finance": {
        "manage": 200,
        "new_lot": 403,  # the GET refuses as the POST does (walk finding 2)
        "manage_lot": 200,
        "statistics": 200,
        "publish": 403,
        "create": 403,
    },
    "gz_director": {
        "manage": 200,
        "new_lot": 403,  # the GET refuses as the POST does (walk finding 2)
        "manage_lot": 200,
        "statistics": 200,
        "publish": 403,
        "create": 403,
    },
    "yx_director": {
        "manage": 200,
        "new_lot": 404,
        "manage_lot": 404,
        "statistics": 200,
        "publish": 404,
        "create": 404,
    },
    "anon": {
        "manage": "L",
        "new_lot": "L",
        "manage_lot": "L",
        "statistics": "L",
        "publish": "L",
        "create": "L",
    },
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_matrix_of_the_clerk_pages(people, lot, who):
    c = _client(people, who)
    got = {}
    for name, spec in PAGES.items():
        method, url = spec(lot)
        r = c.get(url) if method == "get" else c.post(url, {"title": ""})
        if r.status_code == 302 and "/login" in r["Location"]:
            got[name] = "L"
        else:
            got[name] = r.status_code
    assert got == MATRIX[who]
    lot.refresh_from_db()
    assert lot.status == (Lot.Status.ANNOUNCED if MATRIX[who]["publish"] == 302 else Lot.Status.DRAFT)


def test_the_clerk_makes_a_lot_from_the_form_and_sees_each_problem(people, house):
    c = _client(people, "judge")
    url = reverse("auctions_new_lot", args=[house["asset"].pk])
    form = {
        "title": "房产",
        "start_price": "600000",
        "increment": "5000",
        "deposit": "60000",
        "notified_on": "2026-03-07",
        "announced_on": "2026-03-10",
        "starts_at": "2026-04-09T10:00",
        "ends_at": "2026-04-10T10:00",
        "panel": "王法官\n李法官\n赵法官",
    }
    r = c.post(url, form)
    assert r.status_code == 422
    assert "起拍价不得低于参考价的70%，即700000.00元（网拍规定第10条）" in r.content.decode()
    assert not Lot.objects.exists()
    r = c.post(url, {**form, "start_price": "700000", "deposit": "70000"})
    lot = Lot.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("auctions_manage_lot", args=[lot.pk])
    assert lot.panel == ["王法官", "李法官", "赵法官"] and lot.starts_at == START


def test_public_portal_and_api_bidding_with_identities_hidden_until_the_end(people, lot, _frozen):
    services.publish_lot(people["judge"], lot.pk)
    anon = Client()
    with CaptureQueriesContext(connection) as q:
        r = anon.get(reverse("auctions_lots"))
    assert r.status_code == 200 and lot.title in r.content.decode()
    assert len(q) <= 6
    # Register through the portal; the token is shown once on the bidder's page.
    r = anon.post(reverse("auctions_register"), {"name": "王竞买", "id_number": BIDDER_IDS[0]})
    assert r.status_code == 302
    page = anon.get(reverse("auctions_bidder")).content.decode()
    token = page.split("<code>")[1].split("</code>")[0]
    api = Client()
    h = {"HTTP_X_BIDDER_TOKEN": token}
    r = api.post(f"/api/v1/auctions/lots/{lot.pk}/registrations", **h)
    assert r.status_code == 201 and r.json()["deposit_due"] == "70000.00"
    reg_id = r.json()["id"]
    r = api.post(
        f"/api/v1/auctions/lots/{lot.pk}/bids", json.dumps({"amount": "700000"}), "application/json", **h
    )
    assert r.status_code == 409 and r.json()["field"] == "deposit"
    fin = _client(people, "finance")
    # The deposit counts once the custody bank's notice of it has arrived (finance names it).
    sandbox_bank.bank_notice(lot.court_id, "D1", "70000", date(2026, 3, 10), "王竞买", "保证金")
    r = fin.post(
        f"/api/v1/auctions/registrations/{reg_id}/deposit",
        json.dumps({"bank_txn": "D1", "amount": "70000"}),
        "application/json",
    )
    assert r.status_code == 200 and r.json()["deposit_state"] == "paid"
    _frozen.move_to(END - timedelta(minutes=1))
    r = api.post(
        f"/api/v1/auctions/lots/{lot.pk}/bids", json.dumps({"amount": "700000"}), "application/json", **h
    )
    assert r.status_code == 201
    assert r.json()["ends_at"] == "2026-04-10T02:04:00Z"  # END + 4 minutes, in UTC
    r = api.post(
        f"/api/v1/auctions/lots/{lot.pk}/bids", json.dumps({"amount": "abc"}), "application/json", **h
    )
    assert r.status_code == 422 and r.json()["field"] == "amount"
    r = api.post(f"/api/v1/auctions/lots/{lot.pk}/bids", json.dumps({"amount": "800000"}), "application/json")
    assert r.status_code == 401
    assert Bid.objects.count() == 1
    detail = anon.get(f"/api/v1/auctions/lots/{lot.pk}").json()
    assert detail["current_price"] == "700000.00" and detail["history"][0]["code"] == r_code(lot)
    assert "王竞买" not in anon.get(reverse("auctions_lot", args=[lot.pk])).content.decode()
    judge = _client(people, "judge")
    assert judge.get(f"/api/v1/auctions/lots/{lot.pk}/bidders").status_code == 403
    assert "王竞买" not in judge.get(reverse("auctions_manage_lot", args=[lot.pk])).content.decode()
    _frozen.move_to(END + timedelta(minutes=10))
    services.close_due()
    rows = judge.get(f"/api/v1/auctions/lots/{lot.pk}/bidders").json()
    assert [(x["name"], x["id_number"]) for x in rows] == [("王竞买", BIDDER_IDS[0])]
    assert _client(people, "yx_director").get(f"/api/v1/auctions/lots/{lot.pk}/bidders").status_code == 404
    assert "王竞买" in judge.get(reverse("auctions_manage_lot", args=[lot.pk])).content.decode()


def r_code(lot: Lot) -> str:
    return lot.registrations.get().code
