"""Every partner answer shows only what its kind may see (issue 10 finding 6; visibility.VIEWS).

One person (S) has three measures in three cases: an exit restriction (case E, 5 March), a consumption
restriction limited to hotels (case H, 6 March) and one limited to G/EMU trains (case R, 10 March).
Another person (T) is on the published list (case L), which also restricts every consumption item.
Each partner kind asks about both, in every answer format, and must see exactly the measures of its
business — their codes, cases, courts and dates — and nothing of the others.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhixing.credit import services, visibility
from zhixing.credit.models import Interception, Partner
from zhixing.credit.screening import keyed_hash
from zhixing.credit.screening_csv import CSV_HEADER

from .conftest import ADULT_ID, OTHER_ID, debtor, debtor_case, listing_data, make_partner, ready_privacy_table

TZ = ZoneInfo("Asia/Shanghai")
S, T = ADULT_ID, OTHER_ID
COURT = "广州市天河区人民法院"
CONSUMPTION, EXIT, LISTED = "限制消费", "限制出境", "失信被执行人"

# The specification: per kind, per subject, the visible codes and the visible measures (measure, case).
EXPECTED: dict[str, dict[str, tuple[list[str], set[tuple[str, str]]]]] = {
    "airline": {S: (["exit"], {(EXIT, "E")}), T: (["flight"], {(CONSUMPTION, "L")})},
    "railway": {S: (["hsr"], {(CONSUMPTION, "R")}), T: (["soft_sleeper", "hsr"], {(CONSUMPTION, "L")})},
    "hotel": {S: (["hotel"], {(CONSUMPTION, "H")}), T: (["hotel", "travel"], {(CONSUMPTION, "L")})},
    "market": {S: ([], set()), T: (["blacklist"], {(LISTED, "L")})},
    "bank": {
        S: ([], set()),
        T: (["realty", "vehicle", "insurance", "blacklist"], {(CONSUMPTION, "L"), (LISTED, "L")}),
    },
    "recruitment": {S: ([], set()), T: (["blacklist"], {(LISTED, "L")})},
    "media": {S: ([], set()), T: ([], set())},
}
SINCE = {"E": "2026-03-05", "H": "2026-03-06", "R": "2026-03-10", "L": "2026-03-10"}


def _at(day: int) -> Any:
    return time_machine.travel(datetime(2026, 3, day, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def world(people: dict[str, Any]) -> dict[str, Any]:
    judge = people["judge"]
    cases: dict[str, Any] = {}
    with _at(5):
        cases["E"] = debtor_case(people["clerk"])
        services.restrict_exit(
            judge, cases["E"], debtor(cases["E"]), initiation="application", bound_persons=[]
        )
    with _at(6):  # filed (and the notice served) 02-25: its period ran out before the restriction on 03-06
        cases["H"] = debtor_case(people["clerk"], applied_on=date(2026, 2, 24), filed_on=date(2026, 2, 25))
        services.restrict_consumption(judge, cases["H"], debtor(cases["H"]), items=[2], bound_persons=[])
    cases["R"] = debtor_case(people["clerk"])
    services.restrict_consumption(judge, cases["R"], debtor(cases["R"]), items=[9], bound_persons=[])
    cases["L"] = debtor_case(people["clerk"], name="李雷", id_number=T)
    services.list_debtor(judge, cases["L"], debtor(cases["L"]), listing_data())
    # Entitled to a full sync: the feed from cursor 0 covers the measures made before the partners.
    partners = {kind: make_partner(kind, full_sync=True) for kind in Partner.Kind.values}
    return {"cases": cases, "partners": partners, "number": {c.number: k for k, c in cases.items()}}


def _measures(world: dict[str, Any], rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(r["measure"], world["number"][r["case_number"]]) for r in rows}


def _json(client: Client, url: str, key: str, body: Any) -> Any:
    r = client.post(url, data=json.dumps(body), content_type="application/json", HTTP_X_PARTNER_KEY=key)
    assert r.status_code == 200, r.content
    return r.json()


def test_every_partner_kind_has_a_row_in_the_table() -> None:
    assert set(visibility.VIEWS) == set(Partner.Kind.values)
    assert visibility.view_of("unknown-kind").mask == 0  # fail closed


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_single_check(client: Client, world: dict[str, Any], kind: str) -> None:
    key = world["partners"][kind][1]
    for subject, (codes, measures) in EXPECTED[kind].items():
        body = _json(client, "/api/v1/screening/check", key, {"id": subject})
        assert body["restricted"] is bool(codes)
        assert body["restrictions"] == codes
        assert _measures(world, body["cases"]) == measures
        assert {c["court"] for c in body["cases"]} == ({COURT} if measures else set())
        assert body.get("since") == (min(SINCE[c] for _, c in measures) if measures else None)


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_json_batch(client: Client, world: dict[str, Any], kind: str) -> None:
    body = _json(client, "/api/v1/screening/batch", world["partners"][kind][1], {"ids": [S, T]})
    assert body["restricted"] == {s: codes for s, (codes, _) in EXPECTED[kind].items() if codes}


def _earliest(measures: set[tuple[str, str]]) -> str:
    return min((c for _, c in measures), key=lambda c: SINCE[c])


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_compact_json_and_csv(client: Client, world: dict[str, Any], kind: str) -> None:
    key = world["partners"][kind][1]
    number = {k: c.number for k, c in world["cases"].items()}
    body = f"{S}\n{T}\n"
    r = client.post("/api/v1/screening/batch", data=body, content_type="text/plain", HTTP_X_PARTNER_KEY=key)
    hits = {h["pos"]: h for h in r.json()["hits"]}
    csv = client.post(
        "/api/v1/screening/batch",
        data=body,
        content_type="text/plain",
        HTTP_X_PARTNER_KEY=key,
        HTTP_ACCEPT="text/csv",
    ).content.decode()
    rows = [CSV_HEADER]
    for pos, subject in ((1, S), (2, T)):
        codes, measures = EXPECTED[kind][subject]
        if not codes:
            assert pos not in hits
            continue
        first = _earliest(measures)
        assert hits[pos]["restrictions"] == codes
        assert (hits[pos]["since"], hits[pos]["court"], hits[pos]["case_number"]) == (
            SINCE[first],
            COURT,
            number[first],
        )
        rows.append(f"{pos},{hits[pos]['mask']},{SINCE[first]},{COURT},{number[first]}")
    assert csv == "\n".join(rows) + "\n"


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_privacy_mode(client: Client, world: dict[str, Any], kind: str) -> None:
    partner, key = world["partners"][kind]
    ready_privacy_table(partner)
    hashes = {keyed_hash(partner.hmac_key, s): s for s in (S, T)}
    body = _json(client, "/api/v1/screening/private", key, {"hashes": list(hashes)})
    expected = {h: EXPECTED[kind][s][0] for h, s in hashes.items() if EXPECTED[kind][s][0]}
    assert body["restricted"] == expected
    assert {h: _measures(world, rows) for h, rows in body["cases"].items()} == {
        h: EXPECTED[kind][hashes[h]][1] for h in expected
    }


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_change_feed(client: Client, world: dict[str, Any], kind: str) -> None:
    key = world["partners"][kind][1]
    feed = client.get("/api/v1/screening/changes", {"cursor": 0}, HTTP_X_PARTNER_KEY=key).json()
    latest = {c["id"]: c["restrictions"] for c in feed["changes"]}
    assert latest == {s: codes for s, (codes, _) in EXPECTED[kind].items() if codes}


def test_intercept_receipt_names_the_case_of_the_partners_measure(
    client: Client, world: dict[str, Any]
) -> None:
    # S's most recent measure is the train restriction of case R; an airline reporting a refused
    # international flight must be told the exit restriction's case E, never R.
    receipt = _json(
        client,
        "/api/v1/screening/intercepts",
        world["partners"]["airline"][1],
        {
            "id": S,
            "restriction": "exit",
            "at": "2026-03-10T09:00:00+08:00",
            "channel": "App",
            "place": "白云机场",
        },
    )
    assert receipt["case_number"] == world["cases"]["E"].number
    # The interception itself (the count and lead on the judge's case) lands on E too, not on R.
    assert Interception.objects.get(pk=receipt["receipt"]).case_id == world["cases"]["E"].pk


def test_the_table_decides_the_fields_in_every_format(
    client: Client, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Narrow one kind's fields in the table: every format drops the others at once."""
    monkeypatch.setitem(
        visibility.VIEWS, "railway", visibility.PartnerView(visibility.VIEWS["railway"].codes, ("measure",))
    )
    partner, key = world["partners"]["railway"]
    check = _json(client, "/api/v1/screening/check", key, {"id": S})
    assert "since" not in check  # a hidden field is absent, not null
    assert check["cases"] == [{"measure": CONSUMPTION}]
    compact = client.post(
        "/api/v1/screening/batch", data=S, content_type="text/plain", HTTP_X_PARTNER_KEY=key
    ).json()
    assert [set(h) for h in compact["hits"]] == [{"pos", "mask", "restrictions"}]
    csv = client.post(
        "/api/v1/screening/batch",
        data=S,
        content_type="text/plain",
        HTTP_X_PARTNER_KEY=key,
        HTTP_ACCEPT="text/csv",
    ).content.decode()
    assert csv.splitlines()[1].endswith(",,,")
    ready_privacy_table(partner)  # privacy mode from now on: only the privacy endpoints
    h = keyed_hash(partner.hmac_key, S)
    private = _json(client, "/api/v1/screening/private", key, {"hashes": [h]})
    assert private["cases"][h] == [{"measure": CONSUMPTION}]
    for body in (check, compact, private):
        text = json.dumps(body, ensure_ascii=False)
        assert COURT not in text and world["cases"]["R"].number not in text
