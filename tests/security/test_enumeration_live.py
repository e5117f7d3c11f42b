"""The enumeration attack of issue 10 #1 over HTTP, against the product's server in its own process.

A migrated DATA_DIR with two published listings, the product's own server (tests/live_server.py),
and an attacker who only has HTTP: it reads a name query's row, enumerates the candidate ID numbers
(tests/security/enumeration.py) and asks about them — bare, and with the name, each request claiming a
different client address in X-Forwarded-For (a botnet, or a forged header: neither may matter).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.live_server import LiveServer
from tests.security.enumeration import Disclosure, candidate_count, candidates, is_candidate
from zhixing.credit.public import ID_PER_TARGET_PER_DAY

API = "/api/v1/public/blacklist"

# slow: dealt out first in a parallel run (conftest.py), so it does not run alone at the end.
pytestmark = [
    pytest.mark.slow,
    # The server and its seeding run on the SQLite database of their own data directory whatever the
    # suite's database (tests/live_asgi.py scrubs DATABASE_URL): the PostgreSQL stage would repeat it.
    pytest.mark.backend_neutral,
    # The session's freshly migrated test database becomes the server's template (tests/live_asgi.py).
    pytest.mark.usefixtures("django_db_setup"),
]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, Any]]]:
    with LiveServer(tmp_path_factory.mktemp("live-enumeration")) as server:
        seeded = server.call("tests.security.live_seed:listings")
        server.start()
        yield server, seeded


def test_enumeration_over_http_confirms_no_candidate(live: tuple[LiveServer, dict[str, Any]]) -> None:
    server, seeded = live
    (name, true_id), (other_name, other_id) = seeded["people"]
    status, body = server.get(API, {"q": name})
    assert status == 200
    d = Disclosure.of(json.loads(body)["results"][0], datetime.now(ZoneInfo("Asia/Shanghai")).year)
    county = true_id[:6]  # the attacker even guesses the county from the court
    assert is_candidate(true_id, d) and candidate_count(d, county) == 366 * 500
    wrong = (c for c in candidates(d, county) if c != true_id)

    # A bare ID number: the real one and a wrong one get the same refusal, without a count.
    for field in ("q", "id"):
        real = server.get(API, {field: true_id})
        other = server.get(API, {field: next(wrong)})
        assert real[0] == other[0] == 422 and json.loads(real[1]) == json.loads(other[1])

    # Name + candidate from "different clients": nothing is confirmed ...
    for i, number in enumerate(islice(wrong, ID_PER_TARGET_PER_DAY)):
        status, body = server.get(API, {"q": name, "id": number}, {"X-Forwarded-For": f"203.0.113.{i}"})
        assert (status, json.loads(body)) == (200, {"count": 0, "results": []})
    # ... and with the person's budget spent, the real number gets the wrong candidates' answer.
    real = server.get(API, {"q": name, "id": true_id}, {"X-Forwarded-For": "192.0.2.50"})
    other = server.get(API, {"q": name, "id": next(wrong)}, {"X-Forwarded-For": "192.0.2.51"})
    assert real == other and real[0] == 429 and "同一被执行人" in json.loads(real[1])["detail"]
    status, page = server.get("/public/blacklist/", {"q": name, "id": true_id})
    assert status == 429 and true_id not in page and 'data-testid="public-row"' not in page

    # The budget is that person's: someone who knows another listed person's name and number is answered.
    status, body = server.get(API, {"q": other_name, "id": other_id})
    assert status == 200 and json.loads(body)["count"] == 1
