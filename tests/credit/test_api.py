"""Public query, partner screening, privacy mode, rate limits, bad input: the JSON endpoints."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests import factories
from zhixing.core.models import AuditRecord
from zhixing.credit import services
from zhixing.credit.models import Interception
from zhixing.credit.schemas import MAX_BATCH
from zhixing.credit.screening import keyed_hash

from .conftest import (
    ADULT_ID,
    OTHER_ID,
    debtor,
    debtor_case,
    delivered,
    listing_data,
    make_partner,
    open_listing_data,
    ready_privacy_table,
)

PUBLIC = "/api/v1/public/blacklist"


def post(client: Client, url: str, key: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", HTTP_X_PARTNER_KEY=key)


# -- public query ----------------------------------------------------------------------
MASKED_ADULT = ADULT_ID[:4] + "*" * 14


@pytest.mark.parametrize(
    "params",
    [{"q": "张三"}, {"q": "張三"}, {"q": "zhangsan"}, {"q": "ZhangSan"}, {"q": "张三", "id": ADULT_ID}],
)
def test_public_query_finds_by_name_variants_and_name_with_id(
    listed: Any, client: Client, params: dict[str, str]
) -> None:
    r = client.get(PUBLIC, params)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["name"] == "张三" and row["id_masked"] == MASKED_ADULT
    assert (row["sex"], row["age"]) == ("男", 2026 - 1980)
    assert set(row) == {
        "name",
        "kind",
        "sex",
        "age",
        "id_masked",
        "legal_representative",
        "obligation",
        "performance",
        "dishonest_act",
        "basis_issuer",
        "basis_number",
        "case_number",
        "filed_on",
        "court",
        "published_on",
    }
    assert ADULT_ID not in r.content.decode()


@pytest.mark.parametrize("q", ["", " ", "张", "%", "张%", "*", "zh", "_三", ADULT_ID, ADULT_ID.lower()])
def test_public_query_must_be_specific(listed: Any, client: Client, q: str) -> None:
    r = client.get(PUBLIC, {"q": q})
    assert r.status_code == 422 and r.json()["field"] == "q"


def test_public_query_hides_removed_and_grace(people: dict, client: Client) -> None:
    a = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], a, debtor(a), open_listing_data())
    services.remove_listing(people["judge"], x, trigger="performed")
    b = debtor_case(people["clerk"], name="李雷", id_number=OTHER_ID)
    services.list_debtor(people["judge"], b, debtor(b), open_listing_data(grace_months=2))
    assert client.get(PUBLIC, {"q": "张三"}).json()["count"] == 0
    assert client.get(PUBLIC, {"q": "李雷", "id": OTHER_ID}).json()["count"] == 0


def test_public_query_rate_limited_per_ip(listed: Any, client: Client) -> None:
    codes = [client.get(PUBLIC, {"q": "张三"}, REMOTE_ADDR="10.0.0.1").status_code for _ in range(31)]
    assert codes[:30] == [200] * 30 and codes[30] == 429
    assert "频繁" in client.get(PUBLIC, {"q": "张三"}, REMOTE_ADDR="10.0.0.1").json()["detail"]
    assert client.get(PUBLIC, {"q": "张三"}, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_public_results_capped(people: dict, client: Client) -> None:
    for i in range(25):
        c = debtor_case(
            people["clerk"], name="王小明", id_number=factories.make_id(date(1980, 1, 1), seq=300 + i)
        )
        services.list_debtor(people["judge"], c, debtor(c), listing_data())
    assert client.get(PUBLIC, {"q": "王小明"}).json()["count"] == 20


# -- partner authentication ----------------------------------------------------------------------
def test_unknown_and_missing_key(client: Client, listed: Any) -> None:
    assert post(client, "/api/v1/screening/check", "zxp_nope", {"id": ADULT_ID}).status_code == 401
    r = client.post(
        "/api/v1/screening/check", data=json.dumps({"id": ADULT_ID}), content_type="application/json"
    )
    assert r.status_code == 401


def test_revoked_key(client: Client, listed: Any, railway: Any) -> None:
    partner, key = railway
    assert post(client, "/api/v1/screening/check", key, {"id": ADULT_ID}).status_code == 200
    services.revoke_partner(None, partner)
    r = post(client, "/api/v1/screening/check", key, {"id": ADULT_ID})
    assert r.status_code == 401 and "吊销" in r.json()["detail"]


def test_staff_token_is_not_a_partner_key(client: Client, people: dict, listed: Any) -> None:
    client.force_login(people["judge"])
    r = client.post(
        "/api/v1/screening/check", data=json.dumps({"id": ADULT_ID}), content_type="application/json"
    )
    assert r.status_code == 401


def test_partner_key_stored_only_as_hash(railway: Any) -> None:
    partner, key = railway
    assert key not in (partner.key_digest, partner.key_prefix) and len(partner.key_digest) == 64


# -- checks ----------------------------------------------------------------------
def test_railway_check_refuses_ticket_with_case_and_court(
    client: Client, listed: Any, railway: Any, case: Any
) -> None:
    n = AuditRecord.objects.count()
    r = post(client, "/api/v1/screening/check", railway[1], {"id": ADULT_ID})
    body = r.json()
    assert r.status_code == 200 and body["restricted"] is True
    assert set(body["restrictions"]) == {"soft_sleeper", "hsr"}
    assert body["since"] == "2026-03-10"
    assert {c["case_number"] for c in body["cases"]} == {case.number}
    assert body["cases"][0]["court"] == "广州市天河区人民法院"
    assert AuditRecord.objects.count() == n + 1


def test_railway_does_not_see_flight_only_restriction(
    client: Client, people: dict, railway: Any, airline: Any
) -> None:
    c = debtor_case(people["clerk"])
    services.restrict_exit(people["judge"], c, debtor(c), initiation="application", bound_persons=[])
    assert post(client, "/api/v1/screening/check", railway[1], {"id": ADULT_ID}).json()["restricted"] is False
    body = post(client, "/api/v1/screening/check", airline[1], {"id": ADULT_ID}).json()
    assert body["restricted"] is True and body["restrictions"] == ["exit"]


@pytest.mark.parametrize("bad", ["123", ADULT_ID[:17] + ("0" if ADULT_ID[17] != "0" else "1"), "abc" * 6, ""])
def test_malformed_id(client: Client, railway: Any, bad: str) -> None:
    r = post(client, "/api/v1/screening/check", railway[1], {"id": bad})
    assert r.status_code == 422 and r.json()["field"] == "id"


def test_batch(client: Client, listed: Any, railway: Any) -> None:
    n = AuditRecord.objects.count()
    ids = [ADULT_ID, OTHER_ID, "garbage", factories.VALID_CREDIT]
    body = post(client, "/api/v1/screening/batch", railway[1], {"ids": ids}).json()
    assert body["asked"] == 4 and body["restricted"] == {ADULT_ID: ["soft_sleeper", "hsr"]}
    assert body["invalid"] == ["GARBAGE"]
    assert AuditRecord.objects.count() == n + 1  # one record per call, not per ID


def test_batch_over_limit_is_422(client: Client, railway: Any) -> None:
    r = post(client, "/api/v1/screening/batch", railway[1], {"ids": [ADULT_ID] * (MAX_BATCH + 1)})
    assert r.status_code == 422
    assert (
        post(client, "/api/v1/screening/batch", railway[1], {"ids": [ADULT_ID] * MAX_BATCH}).status_code
        == 200
    )


def test_partner_rate_limit(client: Client, listed: Any) -> None:
    _, key = make_partner("hotel", rate=3)
    codes = [post(client, "/api/v1/screening/check", key, {"id": ADULT_ID}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


# -- privacy mode ----------------------------------------------------------------------
def test_privacy_mode_round_trip(client: Client, listed: Any, railway: Any, case: Any) -> None:
    partner, key = railway
    ready_privacy_table(partner)
    mine = keyed_hash(partner.hmac_key, ADULT_ID)
    other = keyed_hash(partner.hmac_key, OTHER_ID)
    body = post(client, "/api/v1/screening/private", key, {"hashes": [mine, other]}).json()
    assert body["asked"] == 2 and body["restricted"] == {mine: ["soft_sleeper", "hsr"]}
    assert body["cases"][mine][0]["case_number"] == case.number
    text = json.dumps(body)
    assert ADULT_ID not in text and OTHER_ID not in text
    # A hash made with another partner's key matches nothing.
    other_airline, akey = make_partner("airline", "另一航空")
    ready_privacy_table(other_airline)
    assert post(client, "/api/v1/screening/private", akey, {"hashes": [mine]}).json()["restricted"] == {}


@pytest.mark.parametrize("bad", ["xyz", "A" * 64, "0" * 63])
def test_privacy_mode_malformed_hash(client: Client, railway: Any, bad: str) -> None:
    r = post(client, "/api/v1/screening/private", railway[1], {"hashes": ["0" * 64, bad]})
    assert r.status_code == 422 and r.json()["field"] == "hashes[1]"


# -- change feed ----------------------------------------------------------------------
def test_change_feed_is_filtered_per_partner(
    client: Client, people: dict, railway: Any, airline: Any
) -> None:
    a = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], a, debtor(a), open_listing_data())
    b = debtor_case(people["clerk"], name="李雷", id_number=OTHER_ID)
    services.restrict_exit(people["judge"], b, debtor(b), initiation="application", bound_persons=[])
    services.remove_listing(people["judge"], x, trigger="performed")
    feed = client.get("/api/v1/screening/changes", {"cursor": 0}, HTTP_X_PARTNER_KEY=railway[1]).json()
    assert [(c["id"], c["action"]) for c in feed["changes"]] == [(ADULT_ID, "added"), (ADULT_ID, "removed")]
    air = client.get("/api/v1/screening/changes", {"cursor": 0}, HTTP_X_PARTNER_KEY=airline[1]).json()
    assert (OTHER_ID, "added") in [(c["id"], c["action"]) for c in air["changes"]]
    again = client.get("/api/v1/screening/changes", {"cursor": feed["cursor"]}, HTTP_X_PARTNER_KEY=railway[1])
    assert again.json()["changes"] == []


# -- intercepts and exposure callbacks ----------------------------------------------------------------------
def test_intercept_receipt_counts_on_case(client: Client, listed: Any, case: Any, airline: Any) -> None:
    body = {
        "id": ADULT_ID,
        "restriction": "flight",
        "at": "2026-03-10T08:00:00+08:00",
        "channel": "App",
        "place": "广州白云机场",
    }
    r = post(client, "/api/v1/screening/intercepts", airline[1], body)
    assert r.status_code == 200 and r.json()["case_number"] == case.number
    assert Interception.objects.filter(case=case, code="flight").count() == 1
    r = post(client, "/api/v1/screening/intercepts", airline[1], {**body, "restriction": "hsr"})
    assert r.status_code == 422  # not this partner's business


def test_intercept_for_unrestricted_person_is_refused(client: Client, airline: Any) -> None:
    body = {
        "id": OTHER_ID,
        "restriction": "flight",
        "at": "2026-03-10T08:00:00+08:00",
        "channel": "App",
        "place": "白云机场",
    }
    assert post(client, "/api/v1/screening/intercepts", airline[1], body).status_code == 409
    assert not Interception.objects.exists()


def test_media_callback(client: Client, listed: Any, people: dict) -> None:
    _media, key = services.create_partner(None, name="天河电视台", kind="media", area_code="440106")
    notice = delivered(services.expose(people["judge"], listed)[0])
    url = f"/api/v1/screening/exposures/{notice.pk}/impressions"
    assert post(client, url, key, {"impressions": 500}).json()["impressions"] == 500
    _, rkey = make_partner("railway")
    assert post(client, url, rkey, {"impressions": 9}).status_code == 422


# -- staff API ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("judge", 202),  # a proposal for the president (ADR 0015)
        ("director", 202),
        ("clerk", 403),
        ("gz_director", 403),
        ("yx_judge", 404),
        ("ft_director", 404),
    ],
)
def test_staff_listing_api_permissions(
    client: Client, case: Any, people: dict, who: str, status: int
) -> None:
    client.force_login(people[who])
    body = {"party_id": debtor(case).pk, "ground": 4, "dishonest_act": "拒不报告财产"}
    r = client.post(
        f"/api/v1/credit/cases/{case.pk}/listings", data=json.dumps(body), content_type="application/json"
    )
    assert r.status_code == status, r.content


def test_staff_api_anonymous(client: Client, case: Any) -> None:
    assert client.get(f"/api/v1/credit/cases/{case.pk}/listings").status_code == 401


def test_staff_api_without_ground(client: Client, case: Any, people: dict) -> None:
    client.force_login(people["judge"])
    r = client.post(
        f"/api/v1/credit/cases/{case.pk}/listings",
        data=json.dumps({"party_id": debtor(case).pk}),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "ground"


def test_a_body_nested_past_the_parsers_depth_is_bad_json(client: Client, railway: Any) -> None:
    """`[[[[…` raised RecursionError, not ValueError, out of the JSON parser: a server error."""
    r = client.post(
        "/api/v1/screening/check",
        data="[" * 100_000,
        content_type="application/json",
        HTTP_X_PARTNER_KEY=railway[1],
    )
    assert (r.status_code, r.json()["code"]) == (400, "bad_json")
