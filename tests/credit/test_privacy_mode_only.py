"""Privacy mode is a partner's whole protocol (issue 14 item 4).

A partner in privacy mode (`Partner.privacy_mode`) may use only the privacy endpoints: every endpoint
that takes or returns an ID number in clear answers 403 with a clear error. Its change feed
(`/screening/private/changes`) carries keyed hashes, never an ID or a name. The feed from cursor 0 is
a full sync only for a partner entitled to one (`Partner.full_sync`); any other partner reads from its
registration on (`Partner.feed_floor`) — the same rule for the clear and the hashed feed.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from zhixing.core.models import AuditRecord
from zhixing.credit import services
from zhixing.credit.models import ChangeEvent
from zhixing.credit.screening import keyed_hash
from zhixing.credit.services import privacy

from .conftest import (
    ADULT_ID,
    OTHER_ID,
    debtor,
    debtor_case,
    make_partner,
    open_listing_data,
    ready_privacy_table,
)

PRIVATE_FEED = "/api/v1/screening/private/changes"
FEED = "/api/v1/screening/changes"
# An 18-character resident ID not inside a longer run of hex digits (a hash may hold digit runs).
ID_IN_TEXT = re.compile(r"(?<![0-9a-fA-F])\d{17}[\dXx](?![0-9a-fA-F])")

CLEAR = [
    ("post", "/api/v1/screening/check", "application/json", json.dumps({"id": ADULT_ID}), {}),
    ("post", "/api/v1/screening/batch", "application/json", json.dumps({"ids": [ADULT_ID]}), {}),
    ("post", "/api/v1/screening/batch", "application/json", json.dumps([ADULT_ID]), {}),
    ("post", "/api/v1/screening/batch", "text/plain", ADULT_ID, {}),
    ("post", "/api/v1/screening/batch", "text/plain", ADULT_ID, {"HTTP_ACCEPT": "text/csv"}),
    (
        "post",
        "/api/v1/screening/batch",
        "application/json",
        json.dumps({"ids": [ADULT_ID]}),
        {"HTTP_ACCEPT": "text/csv"},
    ),
    (
        "post",
        "/api/v1/screening/intercepts",
        "application/json",
        json.dumps(
            {
                "id": ADULT_ID,
                "restriction": "hsr",
                "at": "2026-03-10T09:00:00+08:00",
                "channel": "App",
                "place": "广州南站",
            }
        ),
        {},
    ),
    ("get", FEED, None, None, {}),
]


@pytest.fixture
def private_railway(db: Any) -> tuple[Any, str]:
    partner, key = services.create_partner(
        None, name="隐私铁路", kind="railway", privacy_mode=True, full_sync=True
    )
    privacy.build_privacy_table(partner.pk)
    return partner, key


def _call(
    client: Client, method: str, url: str, ctype: str | None, body: str | None, extra: dict, key: str
) -> Any:
    if method == "get":
        return client.get(url, {"cursor": 0}, HTTP_X_PARTNER_KEY=key, **extra)
    return client.post(url, data=body, content_type=ctype, HTTP_X_PARTNER_KEY=key, **extra)


@pytest.mark.parametrize(("method", "url", "ctype", "body", "extra"), CLEAR)
def test_privacy_mode_partner_is_refused_every_clear_endpoint(
    client: Client,
    listed: Any,
    private_railway: Any,
    method: str,
    url: str,
    ctype: str | None,
    body: str | None,
    extra: dict,
) -> None:
    before = AuditRecord.objects.filter(action__startswith="screening.").count()
    r = _call(client, method, url, ctype, body, extra, private_railway[1])
    assert r.status_code == 403
    assert r.json()["code"] == "privacy_mode"
    assert "本单位已开启隐私模式，只能使用隐私模式接口" in r.json()["detail"]
    assert ADULT_ID not in r.content.decode()
    # Nothing was screened, so nothing was recorded as a screening call.
    assert AuditRecord.objects.filter(action__startswith="screening.").count() == before


@pytest.mark.parametrize(("method", "url", "ctype", "body", "extra"), CLEAR)
def test_a_partner_not_in_privacy_mode_may_use_them(
    client: Client,
    listed: Any,
    railway: Any,
    method: str,
    url: str,
    ctype: str | None,
    body: str | None,
    extra: dict,
) -> None:
    assert _call(client, method, url, ctype, body, extra, railway[1]).status_code == 200


def test_privacy_mode_partner_uses_the_privacy_endpoints(
    client: Client, listed: Any, private_railway: Any
) -> None:
    partner, key = private_railway
    h = keyed_hash(partner.hmac_key, ADULT_ID)
    r = client.post(
        "/api/v1/screening/private",
        data=json.dumps({"hashes": [h]}),
        content_type="application/json",
        HTTP_X_PARTNER_KEY=key,
    )
    assert r.status_code == 200 and r.json()["restricted"] == {h: ["soft_sleeper", "hsr"]}
    feed = client.get(PRIVATE_FEED, {"cursor": 0}, HTTP_X_PARTNER_KEY=key)
    assert feed.status_code == 200
    assert [(c["hash"], c["action"], c["restrictions"]) for c in feed.json()["changes"]] == [
        (h, "added", ["soft_sleeper", "hsr"])
    ]


def test_hashed_feed_never_carries_an_id_or_a_name(
    client: Client, people: dict, private_railway: Any
) -> None:
    partner, key = private_railway
    judge, clerk = people["judge"], people["clerk"]
    a = debtor_case(clerk, name="张三", id_number=ADULT_ID)
    x = services.list_debtor(judge, a, debtor(a), open_listing_data())
    b = debtor_case(clerk, name="李雷", id_number=OTHER_ID)
    services.restrict_consumption(judge, b, debtor(b), items=[9], bound_persons=[])
    services.remove_listing(judge, x, trigger="performed")
    r = client.get(PRIVATE_FEED, {"cursor": 0}, HTTP_X_PARTNER_KEY=key)
    text = r.content.decode()
    assert ID_IN_TEXT.search(text) is None
    for secret in (ADULT_ID, OTHER_ID, "张三", "李雷", a.number, b.number):
        assert secret not in text
    ha, hb = keyed_hash(partner.hmac_key, ADULT_ID), keyed_hash(partner.hmac_key, OTHER_ID)
    assert [(c["hash"], c["action"]) for c in r.json()["changes"]] == [
        (ha, "added"),
        (hb, "added"),
        (ha, "removed"),
    ]
    assert set(r.json()["changes"][0]) == {"seq", "hash", "action", "restrictions", "at"}
    # Audited like every screening call.
    assert AuditRecord.objects.filter(action="screening.private_changes").count() == 1


def test_switching_privacy_mode_on_closes_the_clear_endpoints(
    client: Client, listed: Any, railway: Any
) -> None:
    partner, key = railway
    check = {
        "data": json.dumps({"id": ADULT_ID}),
        "content_type": "application/json",
        "HTTP_X_PARTNER_KEY": key,
    }
    assert client.post("/api/v1/screening/check", **check).status_code == 200
    # Merely trying the privacy endpoint prepares a table but does not lock the partner in.
    h = keyed_hash(partner.hmac_key, ADULT_ID)
    r = client.post(
        "/api/v1/screening/private",
        data=json.dumps({"hashes": [h]}),
        content_type="application/json",
        HTTP_X_PARTNER_KEY=key,
    )
    assert r.status_code == 503
    partner.refresh_from_db()
    assert partner.privacy_mode is False
    assert client.post("/api/v1/screening/check", **check).status_code == 200
    ready_privacy_table(partner)  # the administrator's switch (enable_privacy_mode) and the build
    partner.refresh_from_db()
    assert partner.privacy_mode is True
    assert client.post("/api/v1/screening/check", **check).status_code == 403
    assert list(
        AuditRecord.objects.filter(action__in=["screening.privacy_only"]).values_list("object_id", flat=True)
    ) == [str(partner.pk)]


# -- full sync only for the entitled ---------------------------------------------------------------------
def _history(people: dict) -> list[int]:
    """Two subjects restricted before any partner exists; returns the change ids."""
    judge, clerk = people["judge"], people["clerk"]
    a = debtor_case(clerk, name="张三", id_number=ADULT_ID)
    services.restrict_consumption(judge, a, debtor(a), items=[9], bound_persons=[])
    return list(ChangeEvent.objects.order_by("id").values_list("id", flat=True))


def _later(people: dict) -> None:
    b = debtor_case(people["clerk"], name="李雷", id_number=OTHER_ID)
    services.restrict_consumption(people["judge"], b, debtor(b), items=[9], bound_persons=[])


@pytest.mark.parametrize("private", [False, True])
def test_feed_from_cursor_zero_is_a_full_sync_only_when_entitled(
    client: Client, people: dict, private: bool
) -> None:
    before = _history(people)
    assert before
    entitled, ekey = make_partner("railway", "全量铁路", full_sync=True)
    plain, pkey = make_partner("railway", "普通铁路")
    assert (entitled.feed_floor, plain.feed_floor) == (before[-1], before[-1])
    _later(people)
    url = PRIVATE_FEED if private else FEED
    field = "hash" if private else "id"

    def subjects(partner: Any, key: str, cursor: int) -> tuple[list[str], int]:
        body = client.get(url, {"cursor": cursor}, HTTP_X_PARTNER_KEY=key).json()
        names = {keyed_hash(partner.hmac_key, s) if private else s: s for s in (ADULT_ID, OTHER_ID)}
        return [names[c[field]] for c in body["changes"]], body["cursor"]

    last = ChangeEvent.objects.order_by("id").last().pk
    assert subjects(entitled, ekey, 0) == ([ADULT_ID, OTHER_ID], last)
    # Not entitled: cursor 0, or any cursor before its registration, starts at its registration.
    assert subjects(plain, pkey, 0) == ([OTHER_ID], last)
    assert subjects(plain, pkey, before[0]) == ([OTHER_ID], last)
    assert subjects(plain, pkey, last) == ([], last)


def test_feed_with_nothing_new_returns_the_floor_as_cursor(client: Client, people: dict) -> None:
    before = _history(people)
    _plain, key = make_partner("railway", "普通铁路")
    body = client.get(FEED, {"cursor": 0}, HTTP_X_PARTNER_KEY=key).json()
    assert body == {"changes": [], "cursor": before[-1]}
