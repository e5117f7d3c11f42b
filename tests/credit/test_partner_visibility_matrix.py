"""Partner-visibility matrix (issue 14 item 3): each partner kind × each measure × each endpoint and format.

One subject per measure as modelled: X under an exit restriction (限制出境, case E), C under a
consumption restriction of every item (限制消费, case C), L on the published list (失信被执行人, case L,
which also restricts every consumption item). Every partner kind asks about all three through every
answer: the single check, the JSON batch, the compact batch (text body and JSON-array body), the CSV
batch (text body and JSON body with ``Accept: text/csv``), the private (keyed-hash) check, the change
feed and the hashed change feed. Each answer must hold exactly the codes and measures the kind may see,
exactly the allowed case-detail fields (key sets, not the absence of one key), and never the case number
of a measure outside its business.

The specification below is written out by hand, independently of `visibility.VIEWS`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests import factories
from zhixing.credit import rules, services
from zhixing.credit.models import Partner
from zhixing.credit.screening import keyed_hash
from zhixing.credit.screening_csv import CSV_HEADER
from zhixing.credit.services import privacy

from .conftest import ADULT_ID, OTHER_ID, debtor, debtor_case, listing_data, make_partner

X, C = ADULT_ID, OTHER_ID
L = factories.make_id(date(1970, 7, 8), area="440104", seq=333)
SUBJECTS = (X, C, L)
COURT = "广州市天河区人民法院"
EXIT, CONSUMPTION, LISTED = "限制出境", "限制消费", "失信被执行人"

# kind → subject → (visible codes in CODE_BITS order, visible measures as (label, case tag)).
SPEC: dict[str, dict[str, tuple[list[str], set[tuple[str, str]]]]] = {
    "airline": {
        X: (["exit"], {(EXIT, "E")}),
        C: (["flight"], {(CONSUMPTION, "C")}),
        L: (["flight"], {(CONSUMPTION, "L")}),
    },
    "railway": {
        X: ([], set()),
        C: (["soft_sleeper", "hsr"], {(CONSUMPTION, "C")}),
        L: (["soft_sleeper", "hsr"], {(CONSUMPTION, "L")}),
    },
    "hotel": {
        X: ([], set()),
        C: (["hotel", "travel"], {(CONSUMPTION, "C")}),
        L: (["hotel", "travel"], {(CONSUMPTION, "L")}),
    },
    "market": {X: ([], set()), C: ([], set()), L: (["blacklist"], {(LISTED, "L")})},
    "bank": {
        X: ([], set()),
        C: (["realty", "vehicle", "insurance"], {(CONSUMPTION, "C")}),
        L: (["realty", "vehicle", "insurance", "blacklist"], {(CONSUMPTION, "L"), (LISTED, "L")}),
    },
    "recruitment": {X: ([], set()), C: ([], set()), L: (["blacklist"], {(LISTED, "L")})},
    "media": {X: ([], set()), C: ([], set()), L: ([], set())},
    # 出入境边防检查 (issue 14 item 8): the exit restriction only — never consumption nor the list.
    "border": {X: (["exit"], {(EXIT, "E")}), C: ([], set()), L: ([], set())},
}
SCREENING_FIELDS = {"measure", "since", "court", "case_number"}
# kind → the case-detail fields of each visible measure (the refusal message: what, since when, whom to ask).
FIELDS: dict[str, set[str]] = dict.fromkeys(SPEC, SCREENING_FIELDS) | {"media": set()}
DETAIL = ("since", "court", "case_number")  # the detail fields of the compact formats
KINDS = list(SPEC)


@pytest.fixture
def world(people: dict[str, Any]) -> dict[str, Any]:
    judge, clerk = people["judge"], people["clerk"]
    cases = {
        "E": debtor_case(clerk, name="张三", id_number=X),
        "C": debtor_case(clerk, name="李雷", id_number=C),
        "L": debtor_case(clerk, name="韩梅梅", id_number=L),
    }
    services.restrict_exit(judge, cases["E"], debtor(cases["E"]), initiation="application", bound_persons=[])
    services.restrict_consumption(
        judge, cases["C"], debtor(cases["C"]), items=list(rules.ALL_ITEMS), bound_persons=[]
    )
    services.list_debtor(judge, cases["L"], debtor(cases["L"]), listing_data())
    partners = {}
    for kind in KINDS:
        partner, key = make_partner(kind, full_sync=True)
        privacy.prepare_privacy_table(None, partner)  # the table only: the clear endpoints stay open
        privacy.build_privacy_table(partner.pk)
        partners[kind] = (partner, key)
    return {
        "cases": cases,
        "partners": partners,
        "tag": {c.number: t for t, c in cases.items()},
        "names": ["张三", "李雷", "韩梅梅"],
    }


def _post(client: Client, key: str, url: str, body: Any, **extra: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    ctype = "text/plain" if isinstance(body, str) else "application/json"
    r = client.post(url, data=data, content_type=ctype, HTTP_X_PARTNER_KEY=key, **extra)
    assert r.status_code == 200, r.content
    return r


def _measures(world: dict[str, Any], rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(r["measure"], world["tag"][r["case_number"]]) for r in rows}


def _no_foreign_case(world: dict[str, Any], kind: str, text: str) -> None:
    """No case number of a measure outside the kind's business appears anywhere in the answer."""
    allowed = {tag for _, (_, ms) in SPEC[kind].items() for _, tag in ms}
    for tag, case in world["cases"].items():
        if tag not in allowed:
            assert case.number not in text, (kind, tag)


def test_every_partner_kind_is_in_the_matrix() -> None:
    assert set(SPEC) == set(Partner.Kind.values)


@pytest.mark.parametrize("kind", KINDS)
def test_single_check(client: Client, world: dict[str, Any], kind: str) -> None:
    key = world["partners"][kind][1]
    fields = FIELDS[kind]
    for subject in SUBJECTS:
        codes, measures = SPEC[kind][subject]
        r = _post(client, key, "/api/v1/screening/check", {"id": subject})
        body = r.json()
        top = {"id", "restricted", "restrictions", "labels", "cases"} | ({"since"} & fields)
        assert set(body) == top
        assert body["restricted"] is bool(codes)
        assert body["restrictions"] == codes
        assert body["labels"] == [rules.CODE_LABELS[c] for c in codes]
        assert [set(row) for row in body["cases"]] == [fields] * len(measures)
        if "case_number" in fields:
            assert _measures(world, body["cases"]) == measures
            assert {row["court"] for row in body["cases"]} == ({COURT} if measures else set())
        else:
            assert body["cases"] == []
        _no_foreign_case(world, kind, r.content.decode())


@pytest.mark.parametrize("kind", KINDS)
def test_json_batch(client: Client, world: dict[str, Any], kind: str) -> None:
    r = _post(client, world["partners"][kind][1], "/api/v1/screening/batch", {"ids": list(SUBJECTS)})
    body = r.json()
    assert set(body) == {"asked", "restricted", "invalid", "invalid_reasons"}
    assert body["restricted"] == {s: codes for s, (codes, _) in SPEC[kind].items() if codes}
    assert body["asked"] == 3 and body["invalid"] == []
    _no_foreign_case(world, kind, r.content.decode())


def _earliest(world: dict[str, Any], kind: str, subject: str) -> tuple[str, str, str]:
    """(since, court, case number) of the earliest visible measure, as the single check tells it."""
    cases = [
        (m.since, m.court.name, m.case.number)
        for m in _measure_rows(world, subject)
        if (m.label, world["tag"][m.case.number]) in SPEC[kind][subject][1]
    ]
    since, court, number = min(cases)
    return since.isoformat(), court, number


class _Row:
    def __init__(self, label: str, since: date, court: Any, case: Any) -> None:
        self.label, self.since, self.court, self.case = label, since, court, case


def _measure_rows(world: dict[str, Any], subject: str) -> list[_Row]:
    from zhixing.credit.models import Listing, Restriction

    rows = [
        _Row(EXIT if r.kind == Restriction.Kind.EXIT else CONSUMPTION, r.effective_on, r.court, r.case)
        for r in Restriction.objects.filter(subject_key=subject, status=Restriction.Status.ACTIVE)
    ]
    rows += [
        _Row(LISTED, x.publish_on, x.court, x.case)
        for x in Listing.objects.filter(subject_key=subject, status=Listing.Status.ACTIVE)
    ]
    return rows


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("body", ["text", "array"])
def test_compact_json_batch(client: Client, world: dict[str, Any], kind: str, body: str) -> None:
    key = world["partners"][kind][1]
    request: Any = "\n".join(SUBJECTS) if body == "text" else list(SUBJECTS)
    r = _post(client, key, "/api/v1/screening/batch", request)
    answer = r.json()
    assert set(answer) == {"asked", "hits", "invalid", "invalid_reasons"}
    shown = [f for f in DETAIL if f in FIELDS[kind]]
    expected = []
    for pos, subject in enumerate(SUBJECTS, 1):
        codes, _ = SPEC[kind][subject]
        if codes:
            hit: dict[str, Any] = {"pos": pos, "mask": rules.mask_of(codes), "restrictions": codes}
            hit.update((f, v) for f, v in zip(DETAIL, _earliest(world, kind, subject)) if f in shown)
            expected.append(hit)
    assert answer["hits"] == expected
    assert [set(h) for h in answer["hits"]] == [{"pos", "mask", "restrictions", *shown}] * len(expected)
    _no_foreign_case(world, kind, r.content.decode())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("body", ["text", "json"])
def test_csv_batch(client: Client, world: dict[str, Any], kind: str, body: str) -> None:
    key = world["partners"][kind][1]
    request: Any = "\n".join(SUBJECTS) if body == "text" else {"ids": list(SUBJECTS)}
    r = _post(client, key, "/api/v1/screening/batch", request, HTTP_ACCEPT="text/csv")
    assert r["Content-Type"].startswith("text/csv")
    rows = [CSV_HEADER]
    for pos, subject in enumerate(SUBJECTS, 1):
        codes, _ = SPEC[kind][subject]
        if codes:
            detail = _earliest(world, kind, subject)
            cells = [v if f in FIELDS[kind] else "" for f, v in zip(DETAIL, detail)]
            rows.append(",".join([str(pos), str(rules.mask_of(codes)), *cells]))
    assert r.content.decode() == "\n".join(rows) + "\n"
    _no_foreign_case(world, kind, r.content.decode())


@pytest.mark.parametrize("kind", KINDS)
def test_private_check(client: Client, world: dict[str, Any], kind: str) -> None:
    partner, key = world["partners"][kind]
    hashes = {keyed_hash(partner.hmac_key, s): s for s in SUBJECTS}
    r = _post(client, key, "/api/v1/screening/private", {"hashes": list(hashes)})
    body = r.json()
    assert set(body) == {"asked", "restricted", "cases"}
    visible = {h: SPEC[kind][s] for h, s in hashes.items() if SPEC[kind][s][0]}
    assert body["restricted"] == {h: codes for h, (codes, _) in visible.items()}
    assert set(body["cases"]) == set(visible)
    for h, (_, measures) in visible.items():
        assert [set(row) for row in body["cases"][h]] == [FIELDS[kind]] * len(measures)
        assert _measures(world, body["cases"][h]) == measures
    text = r.content.decode()
    assert not any(s in text for s in SUBJECTS)
    _no_foreign_case(world, kind, text)


def _latest(changes: list[dict[str, Any]], key: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in changes:
        out[c[key]] = c["restrictions"]
    return {k: v for k, v in out.items() if v}


@pytest.mark.parametrize("kind", KINDS)
def test_change_feed(client: Client, world: dict[str, Any], kind: str) -> None:
    key = world["partners"][kind][1]
    r = client.get("/api/v1/screening/changes", {"cursor": 0}, HTTP_X_PARTNER_KEY=key)
    feed = r.json()
    assert set(feed) == {"changes", "cursor"}
    assert [set(c) for c in feed["changes"]] == [{"seq", "id", "action", "restrictions", "at"}] * len(
        feed["changes"]
    )
    assert _latest(feed["changes"], "id") == {s: codes for s, (codes, _) in SPEC[kind].items() if codes}
    _no_foreign_case(world, kind, r.content.decode())


@pytest.mark.parametrize("kind", KINDS)
def test_private_change_feed(client: Client, world: dict[str, Any], kind: str) -> None:
    partner, key = world["partners"][kind]
    r = client.get("/api/v1/screening/private/changes", {"cursor": 0}, HTTP_X_PARTNER_KEY=key)
    assert r.status_code == 200, r.content
    feed = r.json()
    assert [set(c) for c in feed["changes"]] == [{"seq", "hash", "action", "restrictions", "at"}] * len(
        feed["changes"]
    )
    expected = {keyed_hash(partner.hmac_key, s): codes for s, (codes, _) in SPEC[kind].items() if codes}
    assert _latest(feed["changes"], "hash") == expected
    text = r.content.decode()
    assert not any(s in text for s in SUBJECTS)
    assert not any(n in text for n in world["names"])
