"""Compact batch screening: text/plain or JSON-array requests, CSV or compact-JSON answers (hits only)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from zhixing.core.models import AuditRecord
from zhixing.credit import rules, services
from zhixing.credit.schemas import MAX_BATCH
from zhixing.credit.screening import COMMON_MASK, LineBatch, ScreeningIndex
from zhixing.credit.screening_csv import CSV_HEADER, hits_csv

from .conftest import ADULT_ID, OTHER_ID, debtor, debtor_case, listing_data

URL = "/api/v1/screening/batch"
RAIL = rules.partner_mask("railway")
AIR = rules.partner_mask("airline")
X_ID = "11010519491231002X"


def text_post(client: Client, key: str, body: str | bytes, accept: str = "text/csv", query: str = "") -> Any:
    return client.post(
        URL + query, data=body, content_type="text/plain", HTTP_X_PARTNER_KEY=key, HTTP_ACCEPT=accept
    )


def audits(action: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action=action).order_by("pk"))


# -- the pure part ----------------------------------------------------------------------
def test_screen_lines_fast_and_slow_paths() -> None:
    idx = ScreeningIndex()
    idx.set(ADULT_ID, COMMON_MASK)
    idx.set(X_ID, rules.CODE_BITS["exit"])
    idx.set(factories.VALID_CREDIT, rules.items_mask([2]))
    # Fast path: only resident IDs, lower-case x, CRLF line ends and a final newline.
    assert idx.screen_lines(
        f"\ufeff{OTHER_ID}\r\n{ADULT_ID}\r\n{X_ID.lower()}\r\n".encode(), AIR
    ) == LineBatch(3, {2: rules.CODE_BITS["flight"], 3: rules.CODE_BITS["exit"]}, [])
    # Slow path: a unit code, a blank line and garbage keep their line numbers.
    seen = RAIL | AIR | rules.partner_mask("hotel")
    batch = idx.screen_lines(
        f"{factories.VALID_CREDIT}\n\n{ADULT_ID}\ngarbage\xff\n {X_ID} ".encode("latin-1"), seen
    )
    assert batch == LineBatch(
        5,
        {
            1: rules.CODE_BITS["hotel"],
            3: COMMON_MASK & seen,
            5: rules.CODE_BITS["exit"],
        },
        [2, 4],
    )
    assert idx.screen_lines(b"", RAIL) == LineBatch(0, {}, [])


@given(st.lists(st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True), min_size=1, max_size=30), st.data())
def test_screen_lines_matches_check_many(ids: list[str], data: Any) -> None:
    idx = ScreeningIndex()
    for number in data.draw(st.lists(st.sampled_from(ids), max_size=len(ids))):
        idx.set(
            number, COMMON_MASK if int(number[3]) % 2 else rules.CODE_BITS["hsr"] | rules.CODE_BITS["exit"]
        )
    batch = idx.screen_lines("\n".join(ids).encode(), RAIL)
    expected = idx.check_many(ids, RAIL)
    assert {ids[p - 1]: m for p, m in batch.hits.items()} == expected
    # The vectorised check (numpy) agrees with the scalar one (python-stdnum) on every item.
    assert list(batch.hits) == sorted(batch.hits)
    assert batch.invalid == [i for i, s in enumerate(ids, 1) if rules.subject_invalid(s)]
    assert set(batch.hits).isdisjoint(batch.invalid)


def test_hits_csv_rows() -> None:
    batch = LineBatch(4, {1: 1026, 4: 2048}, [2])
    assert hits_csv(batch, {4: ("2026-03-10", "某院,二庭", "（2026）粤0106执1号")}) == (
        f'{CSV_HEADER}\n1,1026,,,\n2,invalid,format,,\n4,2048,2026-03-10,"某院,二庭",（2026）粤0106执1号\n'
    )
    assert hits_csv(LineBatch(2, {}, [])) == CSV_HEADER + "\n"


# -- the endpoint ----------------------------------------------------------------------
def test_text_batch_csv_lists_hits_with_case(client: Client, listed: Any, railway: Any, case: Any) -> None:
    n = AuditRecord.objects.count()
    body = f"{OTHER_ID}\n{ADULT_ID}\nGARBAGE\n{factories.VALID_CREDIT}\n"
    r = text_post(client, railway[1], body)
    assert r.status_code == 200 and r["Content-Type"] == "text/csv; charset=utf-8"
    assert r["X-Screening-Asked"] == "4" and r["X-Screening-Hits"] == "1"
    assert r.content.decode() == (
        f"{CSV_HEADER}\n2,{RAIL},2026-03-10,广州市天河区人民法院,{case.number}\n3,invalid,format,,\n"
    )
    assert ADULT_ID not in r.content.decode()  # positions only: no ID is echoed
    assert AuditRecord.objects.count() == n + 1  # one record per batch
    record = audits("screening.batch")[-1]
    assert record.after == {"partner": "国铁集团", "asked": 4, "hits": 1, "format": "csv"}


def test_details_can_be_left_out(client: Client, listed: Any, railway: Any) -> None:
    r = text_post(client, railway[1], ADULT_ID, query="?details=0")
    assert r.content.decode() == f"{CSV_HEADER}\n1,{RAIL},,,\n"


def test_json_array_gives_compact_json(client: Client, listed: Any, railway: Any, case: Any) -> None:
    r = client.post(
        URL,
        data=json.dumps([OTHER_ID, ADULT_ID.lower()]),
        content_type="application/json",
        HTTP_X_PARTNER_KEY=railway[1],
    )
    assert r.status_code == 200
    assert r.json() == {
        "asked": 2,
        "hits": [
            {
                "pos": 2,
                "mask": RAIL,
                "restrictions": ["soft_sleeper", "hsr"],
                "since": "2026-03-10",
                "court": "广州市天河区人民法院",
                "case_number": case.number,
            }
        ],
        "invalid": [],
        "invalid_reasons": {},
    }
    assert audits("screening.batch")[-1].after["format"] == "compact"


def test_legacy_json_with_accept_csv(client: Client, listed: Any, railway: Any) -> None:
    r = client.post(
        URL + "?details=0",
        data=json.dumps({"ids": [ADULT_ID]}),
        content_type="application/json",
        HTTP_X_PARTNER_KEY=railway[1],
        HTTP_ACCEPT="text/csv",
    )
    assert r.content.decode() == f"{CSV_HEADER}\n1,{RAIL},,,\n"


def test_railway_does_not_see_exit_only_in_compact_format(
    client: Client, people: dict, railway: Any, airline: Any
) -> None:
    c = debtor_case(people["clerk"])
    services.restrict_exit(people["judge"], c, debtor(c), initiation="application", bound_persons=[])
    assert text_post(client, railway[1], ADULT_ID).content.decode() == CSV_HEADER + "\n"
    r = text_post(client, airline[1], ADULT_ID, query="?details=0")
    assert r.content.decode() == f"{CSV_HEADER}\n1,{rules.CODE_BITS['exit']},,,\n"


def test_limit_counts_lines_and_refuses_beyond(client: Client, railway: Any) -> None:
    n = AuditRecord.objects.count()
    full = "\n".join([ADULT_ID] * MAX_BATCH) + "\n"  # a final newline is not an item
    r = text_post(client, railway[1], full)
    assert r.status_code == 200 and r["X-Screening-Asked"] == str(MAX_BATCH)
    over = text_post(client, railway[1], full + ADULT_ID)
    assert over.status_code == 422
    assert over.json() == {
        "detail": f"每批最多{MAX_BATCH}个身份号码，本批{MAX_BATCH + 1}个，请分批查询",
        "field": "ids",
        "code": "too_many",
    }
    array = client.post(
        URL,
        data=json.dumps([ADULT_ID] * (MAX_BATCH + 1)),
        content_type="application/json",
        HTTP_X_PARTNER_KEY=railway[1],
    )
    assert array.status_code == 422 and array.json()["field"] == "ids"
    # Only the accepted batch was audited (10,000 misses in one window also raise an enumeration alert).
    assert AuditRecord.objects.exclude(action="screening.enumeration_alert").count() == n + 1


@pytest.mark.parametrize(
    ("body", "ctype", "status", "field", "code"),
    [
        (json.dumps([ADULT_ID, 5]), "application/json", 422, "ids[1]", "invalid"),
        (json.dumps([ADULT_ID, "a\nb"]), "application/json", 422, "ids[1]", "invalid"),
        ("{not json", "application/json", 400, None, "bad_json"),
        ("[" * 100_000, "application/json", 400, None, "bad_json"),  # past the parser's depth
        (json.dumps({"ids": "x"}), "application/json", 422, "ids", "invalid"),
        ("<ids/>", "application/xml", 415, "ids", "unsupported"),
    ],
)
def test_bad_bodies(
    client: Client, railway: Any, body: str, ctype: str, status: int, field: str | None, code: str
) -> None:
    n = AuditRecord.objects.count()
    r = client.post(URL, data=body, content_type=ctype, HTTP_X_PARTNER_KEY=railway[1])
    assert r.status_code == status and r.json()["field"] == field and r.json()["code"] == code
    assert AuditRecord.objects.count() == n


def test_bytes_that_are_not_utf8_make_an_invalid_line(client: Client, listed: Any, railway: Any) -> None:
    r = text_post(client, railway[1], b"\xff\xfe\n" + ADULT_ID.encode(), query="?details=0")
    assert r.content.decode() == f"{CSV_HEADER}\n1,invalid,format,,\n2,{RAIL},,,\n"


def test_text_batch_needs_a_partner_key(client: Client, railway: Any) -> None:
    assert text_post(client, "zxp_nope", ADULT_ID).status_code == 401
    partner, key = railway
    services.revoke_partner(None, partner)
    assert text_post(client, key, ADULT_ID).status_code == 401


def test_details_name_only_measures_the_partner_may_see(client: Client, people: dict, railway: Any) -> None:
    exit_case = debtor_case(people["clerk"])
    services.restrict_exit(
        people["judge"], exit_case, debtor(exit_case), initiation="application", bound_persons=[]
    )
    listed_case = debtor_case(people["clerk"])
    services.list_debtor(people["judge"], listed_case, debtor(listed_case), listing_data())
    text = text_post(client, railway[1], ADULT_ID).content.decode()
    assert text == f"{CSV_HEADER}\n1,{RAIL},2026-03-10,广州市天河区人民法院,{listed_case.number}\n"
    assert exit_case.number not in text


def test_lone_surrogate_in_json_is_just_invalid(client: Client, listed: Any, railway: Any) -> None:
    for body in ({"ids": [ADULT_ID, "\ud800" * 18]}, [ADULT_ID, "\ud800" * 18]):
        r = client.post(
            URL, data=json.dumps(body), content_type="application/json", HTTP_X_PARTNER_KEY=railway[1]
        )
        assert r.status_code == 200
    assert r.json()["invalid"] == [2] and [h["pos"] for h in r.json()["hits"]] == [1]
