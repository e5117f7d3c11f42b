"""The public query is not an oracle (issue 10 #1): name + ID number, exact match, budgets, disclosure.

The attack itself (enumerating candidate IDs from a name query's row) is in
tests/security/test_public_enumeration.py and, over HTTP against a real server, test_enumeration_live.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from zhixing.credit import public_query, services

from .conftest import ADULT_ID, OTHER_ID, debtor, debtor_case, listing_data, org_case

API = "/api/v1/public/blacklist"
PAGE = "/public/blacklist/"
TZ = ZoneInfo("Asia/Shanghai")
# Another 张三, registered in Beijing: same name, different person.
BEIJING_ZHANG = factories.make_id(date(1990, 8, 8), area="110105", seq=333)


def get(client: Client, ip: str = "10.9.0.1", **params: str) -> Any:
    return client.get(API, params, REMOTE_ADDR=ip)


@pytest.fixture
def two_zhangs(listed: Any, people: dict[str, Any]) -> tuple[Any, Any]:
    c = debtor_case(people["clerk"], id_number=BEIJING_ZHANG)
    return listed, services.list_debtor(people["judge"], c, debtor(c), listing_data())


# -- an ID number needs the name, and answers only the exact record ---------------------------------
@pytest.mark.parametrize(
    "params",
    [{"q": ADULT_ID}, {"id": ADULT_ID}, {"q": "", "id": ADULT_ID}, {"q": f" {ADULT_ID.lower()} "}],
)
def test_an_id_number_alone_is_refused_before_any_read(
    listed: Any, client: Client, params: dict[str, str]
) -> None:
    with CaptureQueriesContext(connection) as ctx:
        listed_answer = get(client, **params)
    # Only the rate-limit counters (the shared database cache) are touched: no credit table is read.
    touched = [q["sql"] for q in ctx.captured_queries if "credit_" in q["sql"]]
    assert touched == []
    unlisted = {
        k: v.replace(ADULT_ID, OTHER_ID).replace(ADULT_ID.lower(), OTHER_ID) for k, v in params.items()
    }
    assert listed_answer.status_code == 422 and listed_answer.json()["field"] == "q"
    assert "count" not in listed_answer.json()
    assert get(client, **unlisted).json() == listed_answer.json()  # nothing to tell the two apart


def test_name_with_id_answers_only_the_exact_record(two_zhangs: tuple[Any, Any], client: Client) -> None:
    tianhe, beijing = two_zhangs
    by_name = get(client, q="张三").json()
    assert by_name["count"] == 2
    for number, listing in ((ADULT_ID, tianhe), (BEIJING_ZHANG, beijing)):
        body = get(client, q="张三", id=number).json()
        assert body["count"] == 1 and body["results"][0]["case_number"] == listing.case.number
        assert body["results"][0]["id_masked"] == number[:4] + "*" * 14
    assert get(client, q="張三", id=ADULT_ID.lower()).json()["count"] == 1  # traditional, lower-case x
    assert get(client, q="李四", id=ADULT_ID).json()["count"] == 0  # right number, wrong name
    assert get(client, q="张三", id=OTHER_ID).json()["count"] == 0  # right name, wrong number


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "zhangsan", "id": ADULT_ID}, "q"),  # pinyin is not the full name
        ({"q": "张三", "id": ADULT_ID[:17]}, "id"),
        ({"q": "张三", "id": ADULT_ID[:14] + "%"}, "id"),
        ({"q": "张三", "id": "1234"}, "id"),
    ],
)
def test_id_queries_need_the_full_name_and_a_full_number(
    listed: Any, client: Client, params: dict[str, str], field: str
) -> None:
    r = get(client, **params)
    assert r.status_code == 422 and r.json()["field"] == field


def test_page_form_and_errors(listed: Any, client: Client) -> None:
    page = client.get(PAGE).content.decode()
    assert 'name="q"' in page and 'name="id"' in page
    refused = client.get(PAGE, {"q": ADULT_ID}).content.decode()
    assert "须同时填写被执行人姓名/名称全称" in refused and 'id="public-results"' not in refused
    assert ADULT_ID not in refused
    found = client.get(PAGE, {"q": "张三", "id": ADULT_ID}).content.decode()
    assert found.count('data-testid="public-row"') == 1 and ADULT_ID not in found
    missed = client.get(PAGE, {"q": "张三", "id": OTHER_ID}).content.decode()
    assert "未查询到与该姓名/名称和证件号码相符的失信被执行人" in missed and OTHER_ID not in missed


# -- budgets ----------------------------------------------------------------------
def test_per_person_budget_holds_across_client_addresses_and_resets_next_day(
    two_zhangs: tuple[Any, Any], client: Client, people: dict[str, Any]
) -> None:
    wrong = [factories.make_id(date(1980, 1, d), seq=111) for d in range(1, 6)]
    for i, number in enumerate(wrong):  # five wrong guesses from five addresses
        assert get(client, f"198.51.100.{i}", q="张三", id=number).json()["count"] == 0
    refused = get(client, "203.0.113.9", q="张三", id=ADULT_ID)
    assert refused.status_code == 429 and "同一被执行人" in refused.json()["detail"]
    # Same name, other visible prefix: another person, another budget (the Beijing 张三 is found).
    assert get(client, "203.0.113.9", q="张三", id=BEIJING_ZHANG).json()["count"] == 1
    # Name-only queries are not affected.
    assert get(client, "203.0.113.9", q="张三").json()["count"] == 2
    with time_machine.travel(datetime(2026, 3, 11, 10, tzinfo=TZ), tick=False):
        assert get(client, "203.0.113.9", q="张三", id=ADULT_ID).json()["count"] == 1


def test_per_client_id_budget(listed: Any, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public_query, "ID_PER_CLIENT_PER_HOUR", 3)
    names = ["赵一", "钱二", "孙三", "李四"]  # four targets: the per-person budget is not what stops it
    codes = [get(client, "10.1.1.1", q=n, id=ADULT_ID).status_code for n in names]
    assert codes == [200, 200, 200, 429]
    assert get(client, "10.1.1.2", q="张三", id=ADULT_ID).json()["count"] == 1


def test_global_id_budget(listed: Any, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public_query, "ID_GLOBAL_PER_MINUTE", 3)
    names = ["赵一", "钱二", "孙三", "张三"]
    codes = [get(client, f"10.2.0.{i}", q=n, id=ADULT_ID).status_code for i, n in enumerate(names)]
    assert codes == [200, 200, 200, 429]  # even the true record, from a fresh address
    assert get(client, "10.2.0.9", q="张三").status_code == 200  # name queries have their own budget


def test_global_budget_covers_name_queries_and_the_board(
    listed: Any, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public_query, "PUBLIC_GLOBAL_PER_MINUTE", 3)
    codes = [get(client, f"10.3.0.{i}", q="张三").status_code for i in range(3)]
    assert codes == [200, 200, 200]
    assert client.get("/public/exposure/", REMOTE_ADDR="10.3.0.8").status_code == 429
    assert get(client, "10.3.0.9", q="张三").status_code == 429


# -- what a row discloses ----------------------------------------------------------------------
def test_age_is_the_age_reached_this_year_on_every_listing(client: Client, people: dict[str, Any]) -> None:
    """Born 6 May 1980, listed on 10 March and on 20 May: both rows say 46 all through 2026 (an age at
    listing — 45 and 46 — or on the day would bracket the birthday); 47 from 1 January 2027."""
    first = debtor_case(people["clerk"])
    services.list_debtor(people["judge"], first, debtor(first), listing_data())
    with time_machine.travel(datetime(2026, 5, 20, 10, tzinfo=TZ), tick=False):
        second = debtor_case(people["clerk"])
        services.list_debtor(people["judge"], second, debtor(second), listing_data())
    for day in (datetime(2026, 5, 21, 10, tzinfo=TZ), datetime(2026, 12, 31, 10, tzinfo=TZ)):
        with time_machine.travel(day, tick=False):
            rows = get(client, q="张三").json()["results"]
            assert [r["age"] for r in rows] == [46, 46]
    with time_machine.travel(datetime(2027, 1, 1, 10, tzinfo=TZ), tick=False):
        assert {r["age"] for r in get(client, q="张三").json()["results"]} == {47}


def test_unit_row(people: dict[str, Any], client: Client) -> None:
    c = org_case(people["clerk"])
    services.list_debtor(people["judge"], c, debtor(c), listing_data())
    row = get(client, q="广州某某贸易").json()["results"][0]
    code = factories.VALID_CREDIT
    assert (row["sex"], row["age"], row["legal_representative"]) == (None, None, "王五")
    assert row["id_masked"] == code[:4] + "*" * 10 + code[-4:]
    assert get(client, q="广州某某贸易有限公司", id=code).json()["count"] == 1


def test_free_text_is_published_masked(people: dict[str, Any], client: Client) -> None:
    c = debtor_case(people["clerk"])
    act = f"将位于广州市天河区体育西路123号的房产转让给李某（身份证号{OTHER_ID}，电话13812345678）"
    services.list_debtor(people["judge"], c, debtor(c), listing_data(dishonest_act=act))
    row = get(client, q="张三").json()["results"][0]
    assert row["dishonest_act"] == (
        "违反财产报告制度：将位于广州市天河区****的房产转让给李某（身份证号1101**************，电话138****5678）"
    )


def test_exposure_notice_carries_only_the_area(listed: Any, people: dict[str, Any]) -> None:
    services.create_partner(None, name="天河融媒体", kind="media", area_code="440106")
    notices = services.expose(people["judge"], listed, address="广东省广州市天河区体育西路123号5栋301室")
    assert [n.address for n in notices] == ["广东省广州市天河区****"]
    listed.refresh_from_db()
    services.withdraw_exposure(None, listed.case_id, listed.party_id, "地址有误，重新推送")
    default = services.expose(people["judge"], listed)  # the party's address from the filing
    assert [n.address for n in default] == ["广州市天河区****"]
