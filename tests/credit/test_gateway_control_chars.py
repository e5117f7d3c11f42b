"""The screening gateway refuses control characters in ID inputs: never trimmed into an ID and answered.

A tab, NUL, line break or other control character inside or around an ID number used to be dropped
(the identity parser removes all whitespace, a batch line was stripped), so the call was answered 200 as
if the partner had sent the clean number. Now: the single check answers 422 naming `id`; a JSON batch
(array or ``{"ids": [...]}``) 422 naming ``ids[i]``; a text batch reports the line invalid with reason
``control`` (CSV and compact JSON), the other lines answered at their positions. Nothing refused is
audited as screened.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from zhixing.core.models import AuditRecord
from zhixing.credit import rules
from zhixing.credit.screening import COMMON_MASK, ScreeningIndex, batch_lines
from zhixing.credit.screening_csv import CSV_HEADER

from .conftest import ADULT_ID, OTHER_ID

CHECK = "/api/v1/screening/check"
BATCH = "/api/v1/screening/batch"
RAIL = rules.partner_mask("railway")


def screened() -> int:
    return AuditRecord.objects.filter(action__in=["screening.check", "screening.batch"]).count()


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("\t" + ADULT_ID, "U+0009"),
        (ADULT_ID + "\n", "U+000A"),
        (ADULT_ID[:6] + "\x1f" + ADULT_ID[6:], "U+001F"),  # a separator str.split() took for a space
        (ADULT_ID + "\x00", "U+0000"),
        (ADULT_ID + "\r", "U+000D"),
        (ADULT_ID + "\x7f", "U+007F"),
    ],
)
def test_check_refuses_a_control_character_in_the_id(
    client: Client, listed: Any, railway: Any, number: str, shown: str
) -> None:
    n = screened()
    r = client.post(
        CHECK, data=json.dumps({"id": number}), content_type="application/json", HTTP_X_PARTNER_KEY=railway[1]
    )
    assert r.status_code == 422
    assert r.json() == {
        "detail": f"参数“id”含有不允许的控制字符（{shown}）",
        "field": "id",
        "code": "invalid",
    }
    assert screened() == n
    clean = client.post(
        CHECK,
        data=json.dumps({"id": ADULT_ID}),
        content_type="application/json",
        HTTP_X_PARTNER_KEY=railway[1],
    )
    assert clean.status_code == 200 and clean.json()["restricted"] is True


def test_text_batch_reports_a_control_line_invalid_at_its_position(
    client: Client, listed: Any, railway: Any, case: Any
) -> None:
    body = (
        f"{ADULT_ID}\t\n{OTHER_ID}\n\x00{ADULT_ID}\n{ADULT_ID}\n{ADULT_ID[:9]}\x0b{ADULT_ID[9:]}\n".encode()
    )
    r = client.post(
        BATCH, data=body, content_type="text/plain", HTTP_X_PARTNER_KEY=railway[1], HTTP_ACCEPT="text/csv"
    )
    assert r.status_code == 200 and r["X-Screening-Asked"] == "5" and r["X-Screening-Hits"] == "1"
    assert r.content.decode() == (
        f"{CSV_HEADER}\n1,invalid,control,,\n3,invalid,control,,\n"
        f"4,{RAIL},2026-03-10,广州市天河区人民法院,{case.number}\n5,invalid,control,,\n"
    )
    compact = client.post(BATCH, data=body, content_type="text/plain", HTTP_X_PARTNER_KEY=railway[1])
    assert compact.json()["invalid"] == [1, 3, 5]
    assert compact.json()["invalid_reasons"] == {"1": "control", "3": "control", "5": "control"}
    assert [h["pos"] for h in compact.json()["hits"]] == [4]


@pytest.mark.parametrize(
    "body",
    [
        [ADULT_ID, "\t" + ADULT_ID],
        [ADULT_ID, ADULT_ID + "\x1e"],
        {"ids": [ADULT_ID, ADULT_ID + "\t"]},
        {"ids": [ADULT_ID, "\x00"]},
    ],
)
def test_json_batch_refuses_an_item_with_a_control_character(
    client: Client, listed: Any, railway: Any, body: Any
) -> None:
    n = screened()
    for accept in ("application/json", "text/csv"):
        r = client.post(
            BATCH,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_X_PARTNER_KEY=railway[1],
            HTTP_ACCEPT=accept,
        )
        assert r.status_code == 422 and r.json()["field"] == "ids[1]" and r.json()["code"] == "invalid"
        assert r.json()["detail"].startswith("参数“ids[1]”含有不允许的控制字符（U+")
    assert screened() == n


def test_spaces_around_an_item_are_still_dropped(client: Client, listed: Any, railway: Any) -> None:
    r = client.post(
        BATCH + "?details=0",
        data=f"  {ADULT_ID} \n".encode(),
        content_type="text/plain",
        HTTP_X_PARTNER_KEY=railway[1],
        HTTP_ACCEPT="text/csv",
    )
    assert r.content.decode() == f"{CSV_HEADER}\n1,{RAIL},,,\n"


def test_lines_and_hit_subjects() -> None:
    data = f"{ADULT_ID}\n {OTHER_ID} \n{ADULT_ID}\t\n".encode()
    assert batch_lines(data) == [ADULT_ID, OTHER_ID, f"{ADULT_ID}\t"]
    idx = ScreeningIndex()
    idx.load([(ADULT_ID, COMMON_MASK), (OTHER_ID, COMMON_MASK)])
    slow = idx.scan_lines(data, COMMON_MASK)  # the control character's line is invalid, not a hit
    assert slow.positions.tolist() == [1, 2] and slow.subjects([1, 0]) == [OTHER_ID, ADULT_ID]
    fast = idx.scan_lines(f"{ADULT_ID}\r\n{OTHER_ID}\n".encode(), COMMON_MASK)  # read from the bytes
    assert fast.subjects([1, 0]) == [OTHER_ID, ADULT_ID]
    assert rules.control_char(ADULT_ID) is None and rules.control_char("a\u0085") == "U+0085"
