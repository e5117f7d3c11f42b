"""The enumeration attack of issue 10 #1, in process: a name query's row must not lead to the ID number.

The probe read a row (masked ID, age, sex), enumerated the few hundred IDs consistent with it and asked
the query about each one (a bare ID answered with a hit count) until it confirmed the real number. Here
the attacker does the same with everything the query now offers, from as many client addresses as it
likes; the same attack over HTTP against a real server process is test_enumeration_live.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests import factories
from tests.security.enumeration import Disclosure, candidate_count, candidates, counties, is_candidate
from zhixing.cases import services as case_services
from zhixing.credit import services
from zhixing.credit.public import ID_PER_TARGET_PER_DAY

pytestmark = pytest.mark.django_db

API = "/api/v1/public/blacklist"
NOW = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
TRUE_ID = factories.make_id(date(1980, 5, 6), seq=111)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def listed(people: dict[str, Any]) -> Any:
    case = factories.case(
        people["clerk"],
        parties=[
            case_services.PartyData(
                role="applicant", kind="organisation", name="广州某银行", credit_code=factories.VALID_CREDIT
            ),
            case_services.PartyData(role="debtor", kind="person", name="张三", id_number=TRUE_ID),
        ],
    )
    debtor = case.parties.get(role="debtor")
    factories.serve_notice(case)  # 失信规定 Art 5(1): the notice first
    return services.list_debtor(
        people["judge"], case, debtor, services.ListingData(ground=4, dishonest_act="拒不报告财产")
    )


def test_a_row_leaves_at_least_183000_candidates_even_with_the_county_guessed(
    listed: Any, client: Client
) -> None:
    row = client.get(API, {"q": "张三"}).json()["results"][0]
    d = Disclosure.of(row, NOW.year)
    assert d.id_masked == "4401" + "*" * 14 and (d.sex, d.age) == ("男", 46)
    assert is_candidate(TRUE_ID, d)  # the attacker's model is right: the real number is in the set
    assert len(counties(d)) == 29  # 4401xx codes in GB/T 2260
    assert candidate_count(d) == 29 * 366 * 500
    # The court (天河) gives the county away; still 366 birth days × 500 sequences.
    assert candidate_count(d, county="440106") == 366 * 500
    # Before the fix the row also showed the last four characters (sequence and check character):
    # the same model then leaves under a thousand candidates, a few minutes of bare-ID queries.
    old = Disclosure("张三", TRUE_ID[:4] + "*" * 10 + TRUE_ID[-4:], "男", 46, NOW.year)
    assert is_candidate(TRUE_ID, old) and candidate_count(old) < 1000


def test_the_query_confirms_no_candidate(listed: Any, client: Client) -> None:
    row = client.get(API, {"q": "张三"}).json()["results"][0]
    d = Disclosure.of(row, NOW.year)
    wrong = (c for c in candidates(d, county="440106") if c != TRUE_ID)

    # 1. A bare ID number is never looked up: the real one and a wrong one get the same refusal.
    for params in ({"q": TRUE_ID}, {"id": TRUE_ID}):
        real = client.get(API, params, REMOTE_ADDR="198.51.100.1")
        other = client.get(API, {k: next(wrong) for k in params}, REMOTE_ADDR="198.51.100.1")
        assert real.status_code == other.status_code == 422
        assert real.json() == other.json() and "count" not in real.json()

    # 2. Name + candidate, each from a fresh client address (a botnet): no candidate is confirmed ...
    for i, number in enumerate(islice(wrong, ID_PER_TARGET_PER_DAY)):
        r = client.get(API, {"q": d.name, "id": number}, REMOTE_ADDR=f"203.0.113.{i}")
        assert r.status_code == 200 and r.json() == {"count": 0, "results": []}
    # ... and once the person's daily budget is spent, neither is the real number, from any address:
    # its answer is the wrong candidates' answer.
    real = client.get(API, {"q": d.name, "id": TRUE_ID}, REMOTE_ADDR="192.0.2.50")
    other = client.get(API, {"q": d.name, "id": next(wrong)}, REMOTE_ADDR="192.0.2.51")
    assert real.status_code == other.status_code == 429
    assert real.json() == other.json()
    # Traditional characters or extra spaces are the same name, so the same budget.
    assert client.get(API, {"q": "張 三", "id": TRUE_ID}, REMOTE_ADDR="192.0.2.52").status_code == 429

    # The arithmetic: 5 guesses a day against 183,000 candidates is 100 years for the space and under
    # 1 % a year (docs/public-query-threat-model.md).
    assert candidate_count(d, county="440106") / ID_PER_TARGET_PER_DAY / 365 > 100
