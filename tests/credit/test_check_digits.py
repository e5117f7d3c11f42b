"""A wrong check character is reported invalid (with its reason) on every screening endpoint and format.

GB 11643-1999 (resident ID, MOD 11-2) and GB 32100-2015 (credit code, MOD 31). The privacy endpoint takes
keyed hashes, never an ID, so no check character reaches the platform there (docs/credit.md).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests import factories
from zhixing.credit import rules
from zhixing.credit.screening import COMMON_MASK, ScreeningIndex, malformed
from zhixing.credit.screening_csv import CSV_HEADER

from .conftest import ADULT_ID, OTHER_ID

URL = "/api/v1/screening/batch"
RAIL = rules.partner_mask("railway")


def _wrong_check(number: str) -> str:
    """`number` with its check character replaced by the next one of its alphabet (never valid)."""
    last = number[17]
    alphabet = "0123456789X" if number.isdigit() or last == "X" else "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return number[:17] + alphabet[(alphabet.index(last) + 1) % len(alphabet)]


BAD_ID = _wrong_check(ADULT_ID)
BAD_CREDIT = _wrong_check(factories.VALID_CREDIT)


def post_json(client: Client, key: str, payload: Any, accept: str = "application/json") -> Any:
    return client.post(
        URL,
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_X_PARTNER_KEY=key,
        HTTP_ACCEPT=accept,
    )


# -- the pure part ----------------------------------------------------------------------
def test_subject_invalid_reasons() -> None:
    assert rules.subject_invalid(ADULT_ID) == ""
    assert rules.subject_invalid("11010519491231002X") == ""
    assert rules.subject_invalid(factories.VALID_CREDIT) == ""
    assert rules.subject_invalid("911100006000373410") == "check_digit"  # all digits: neither check passes
    assert rules.subject_invalid(BAD_ID) == "check_digit"
    assert rules.subject_invalid(BAD_CREDIT) == "check_digit"
    assert rules.subject_invalid("GARBAGE") == "format"
    assert rules.subject_invalid(ADULT_ID[:17]) == "format"
    assert rules.subject_invalid(ADULT_ID[:17] + "\t") == "control"
    assert rules.subject_invalid("\x00" + ADULT_ID) == "control"
    assert set(rules.INVALID_REASONS) == {"format", "check_digit", "control"}


def test_all_digit_credit_code_is_valid_on_the_fast_path() -> None:
    code = next(
        c
        for c in (f"9111000060003734{i:01d}{j}" for i in range(10) for j in range(10))
        if rules.uscc_check_ok(c) and not rules.ric_check_ok(c)
    )
    assert malformed([ADULT_ID, code]) == {}
    assert malformed([ADULT_ID, BAD_ID]) == {BAD_ID: "check_digit"}


def test_index_never_answers_a_wrong_check_character_as_hit_or_miss() -> None:
    idx = ScreeningIndex()
    idx.set(BAD_ID, COMMON_MASK)  # even a bad number in the register is not answered
    idx.set(BAD_CREDIT, COMMON_MASK)
    fast = idx.screen_lines(f"{ADULT_ID}\n{BAD_ID}".encode(), RAIL)
    assert (fast.hits, fast.invalid, fast.reasons) == ({}, [2], {2: "check_digit"})
    slow = idx.screen_lines(f"{BAD_CREDIT}\n{BAD_ID}\nGARBAGE".encode(), RAIL)
    assert (slow.hits, slow.invalid, slow.reasons) == (
        {},
        [1, 2, 3],
        {1: "check_digit", 2: "check_digit", 3: "format"},
    )
    assert idx.check_many([BAD_ID, ADULT_ID], RAIL) == {}
    assert idx.check_many([BAD_CREDIT, "GARBAGE"], RAIL) == {}


# -- every endpoint and format ----------------------------------------------------------------
@pytest.mark.parametrize("bad", [BAD_ID, BAD_CREDIT])
def test_single_check_refuses_wrong_check_character(
    client: Client, listed: Any, railway: Any, bad: str
) -> None:
    r = client.post(
        "/api/v1/screening/check",
        data=json.dumps({"id": bad}),
        content_type="application/json",
        HTTP_X_PARTNER_KEY=railway[1],
    )
    body = r.json()
    assert r.status_code == 422 and body["field"] == "id" and "restricted" not in body
    assert body["code"] == "check_digit" and "校验码" in body["detail"]


def test_legacy_json_batch_reports_reason(client: Client, listed: Any, railway: Any) -> None:
    body = post_json(client, railway[1], {"ids": [ADULT_ID, BAD_ID, BAD_CREDIT, "garbage"]}).json()
    assert body == {
        "asked": 4,
        "restricted": {ADULT_ID: ["soft_sleeper", "hsr"]},
        "invalid": [BAD_ID, BAD_CREDIT, "GARBAGE"],
        "invalid_reasons": {BAD_ID: "check_digit", BAD_CREDIT: "check_digit", "GARBAGE": "format"},
    }


def test_legacy_json_batch_fast_path_reports_reason(client: Client, listed: Any, railway: Any) -> None:
    body = post_json(client, railway[1], {"ids": [OTHER_ID, BAD_ID]}).json()
    assert body == {
        "asked": 2,
        "restricted": {},
        "invalid": [BAD_ID],
        "invalid_reasons": {BAD_ID: "check_digit"},
    }


@pytest.mark.parametrize("lines", [[ADULT_ID, BAD_ID], [ADULT_ID, BAD_ID, BAD_CREDIT]])
def test_compact_json_reports_reason(client: Client, listed: Any, railway: Any, lines: list[str]) -> None:
    body = post_json(client, railway[1], lines).json()
    assert [h["pos"] for h in body["hits"]] == [1]
    assert body["invalid"] == list(range(2, len(lines) + 1))
    assert body["invalid_reasons"] == {str(p): "check_digit" for p in range(2, len(lines) + 1)}


@pytest.mark.parametrize("lines", [[OTHER_ID, BAD_ID], [OTHER_ID, BAD_ID, BAD_CREDIT]])
def test_text_csv_reports_reason(client: Client, listed: Any, railway: Any, lines: list[str]) -> None:
    r = client.post(
        URL + "?details=0",
        data="\n".join(lines),
        content_type="text/plain",
        HTTP_X_PARTNER_KEY=railway[1],
        HTTP_ACCEPT="text/csv",
    )
    rows = [f"{p},invalid,check_digit,," for p in range(2, len(lines) + 1)]
    assert r.content.decode() == "\n".join([CSV_HEADER, *rows]) + "\n"


def test_legacy_json_answered_in_csv_reports_reason(client: Client, listed: Any, railway: Any) -> None:
    r = post_json(client, railway[1], {"ids": [ADULT_ID, BAD_ID]}, accept="text/csv")
    assert r.content.decode().splitlines()[2] == "2,invalid,check_digit,,"
