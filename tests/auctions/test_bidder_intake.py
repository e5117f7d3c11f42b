"""Bidder registration and sign-in (H4, M1, M3 of the outside probe): one bidder per person however the
number is written, the case's debtor kept out of its own auction, registration and sign-in rate-limited
without saying whether a number is registered, and sign-in's `next` kept on this site."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.auctions.conftest import BIDDER_IDS, lot_input
from zhixing.auctions import services
from zhixing.auctions.models import Bidder, Lot, Registration
from zhixing.auctions.services.bidders import DEBTOR_BARRED, NOT_REGISTERED
from zhixing.core.errors import Conflict, ServiceError

pytestmark = pytest.mark.django_db
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    caches["shared"].clear()


@pytest.fixture
def lot(people: dict[str, Any], house: dict[str, Any]) -> Lot:
    made = services.create_lot(people["judge"], house["asset"].pk, lot_input())
    return services.publish_lot(people["judge"], made.pk)


def test_a_full_width_copy_of_a_registered_number_is_the_same_bidder():
    number = BIDDER_IDS[0]
    services.register_bidder("张三", number)
    for spelling in (number.translate(FULL_WIDTH), f" {number[:6]} {number[6:]} ", number.lower()):
        with pytest.raises(Conflict) as exc:
            services.register_bidder("李四", spelling)
        assert exc.value.field == "id_number"
    assert Bidder.objects.count() == 1
    b, _ = services.register_bidder("王五", BIDDER_IDS[1].translate(FULL_WIDTH))
    assert b.id_number == BIDDER_IDS[1]  # stored normalised


def test_the_refusal_does_not_say_the_number_is_registered(people):
    services.register_bidder("张三", BIDDER_IDS[0])
    r = Client().post(reverse("auctions_register"), {"name": "李四", "id_number": BIDDER_IDS[0], "phone": ""})
    body = r.content.decode()
    assert r.status_code == 422
    assert "已注册竞买人" not in body and NOT_REGISTERED in body


def test_the_cases_debtor_may_not_join_its_own_auction(people, house, lot):
    debtor = house["case"].parties.get(role="debtor")
    debtor_id = debtor.id_number
    assert debtor_id
    b, token = services.register_bidder("冒名某人", debtor_id.translate(FULL_WIDTH))
    with pytest.raises(ServiceError) as exc:
        services.join_lot(b, lot.pk)
    assert (exc.value.status, exc.value.field, exc.value.message) == (403, "lot", DEBTOR_BARRED)
    r = Client().post(f"/api/v1/auctions/lots/{lot.pk}/registrations", HTTP_X_BIDDER_TOKEN=token)
    assert r.status_code == 403 and r.json()["field"] == "lot"
    assert not Registration.objects.filter(lot=lot).exists()
    # Anyone else still joins.
    other, _ = services.register_bidder("竞买人乙", BIDDER_IDS[1])
    assert services.join_lot(other, lot.pk).lot_id == lot.pk


def test_registration_is_rate_limited_per_client(settings):
    settings.ZHIXING_AUCTIONS = {"register_per_hour": 3}
    c = Client()
    url = reverse("auctions_register")
    statuses = [
        c.post(url, {"name": "某人", "id_number": BIDDER_IDS[0], "phone": ""}).status_code for _ in range(5)
    ]
    # The first registers (302 to the bidder page), the next two are refused, then the budget is spent.
    assert statuses == [302, 422, 422, 429, 429]
    assert Bidder.objects.count() == 1


def test_sign_in_is_rate_limited_per_client(settings):
    settings.ZHIXING_AUCTIONS = {"signin_per_minute": 2}
    c = Client()
    url = reverse("auctions_signin")
    assert [c.post(url, {"token": "guess"}).status_code for _ in range(3)] == [302, 302, 429]


@pytest.mark.parametrize(
    "target", ["https://evil.example/phish", "//evil.example/", "/\\evil.example", "http:/evil", " /x"]
)
def test_sign_in_never_follows_next_to_another_site(target):
    _, token = services.register_bidder("张三", BIDDER_IDS[0])
    r = Client().post(reverse("auctions_signin"), {"token": token, "next": target})
    assert r.status_code == 302 and r["Location"] == reverse("auctions_bidder")


def test_sign_in_follows_a_same_site_next():
    _, token = services.register_bidder("张三", BIDDER_IDS[0])
    r = Client().post(reverse("auctions_signin"), {"token": token, "next": "/auctions/1/"})
    assert r.status_code == 302 and r["Location"] == "/auctions/1/"


def test_an_api_registration_by_the_debtor_changes_nothing(people, house, lot):
    debtor_id = house["case"].parties.get(role="debtor").id_number
    _, token = services.register_bidder("某人", debtor_id)
    before = Registration.objects.count()
    r = Client().post(
        f"/api/v1/auctions/lots/{lot.pk}/registrations",
        json.dumps({}),
        "application/json",
        HTTP_X_BIDDER_TOKEN=token,
    )
    assert r.status_code == 403 and Registration.objects.count() == before
