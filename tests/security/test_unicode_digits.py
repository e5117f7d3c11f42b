"""Digits that are not ASCII: `"²".isdigit()` is true and `int("²")` fails, so an id or a number checked
with `str.isdigit()` alone was a 500. Each of these read a request's value that way; each now refuses it
or reads it as naming nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhixing.funds import rules as funds_rules

pytestmark = pytest.mark.django_db

HOSTILE = ["²", "١٢", "9" * 5000]  # the last is past int()'s 4300 digits


def _client(people: dict[str, Any], who: str) -> Client:
    c = Client(raise_request_exception=False)
    c.force_login(people[who])
    return c


@pytest.mark.parametrize("value", HOSTILE)
def test_pages_reading_an_id_from_the_request(people: dict[str, Any], value: str) -> None:
    director = _client(people, "director")
    assert director.get("/supervision/nodes/", {"handler": value}).status_code == 200
    read = _client(people, "judge").post("/notifications/read/", {"id": value})
    assert read.status_code == 302


@pytest.mark.parametrize("value", HOSTILE)
def test_a_sub_account_number_of_other_digits_is_no_sub_account(value: str) -> None:
    assert funds_rules.parse_sub_account(value * 20, 6) is None
    with pytest.raises(ValueError, match="只能包含数字"):
        funds_rules.check_digits("²" * 16)
