"""Information-only answers read as labelled Chinese fields on the register, never `key=value`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client
from django.urls import reverse

from tests.inquiry.conftest import open_case
from zhixing.inquiry.info_words import info_fields
from zhixing.inquiry.models import Asset, Partner


def test_each_known_field_has_its_label_and_formatter() -> None:
    fields = info_fields(
        {
            "married": False,
            "passport": True,
            "former_names": [],
            "housing_fund": "7166.29",
            "exits_last_year": 2,
            "policies": 0,
        }
    )
    assert [str(f) for f in fields] == [
        "曾用名：无",
        "护照：有",
        "近一年出境：2次",
        "住房公积金余额：7,166.29元",
        "婚姻状况：未婚",
        "保险保单：无",
    ]


def test_an_unknown_field_is_words_too() -> None:
    assert [str(f) for f in info_fields({"former_names": ["张某三", "张某"], "x_flag": True})] == [
        "曾用名：张某三、张某",
        "其他信息：是",
    ]
    assert info_fields(None) == []


def _info(case: Any, code: str, details: dict[str, Any]) -> None:
    partner = Partner.objects.get(code=code)
    Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=partner,
        category=partner.category,
        kind=Asset.Kind.INFO,
        ref=f"I-{code}",
        details=details,
        found_at=datetime(2026, 3, 6, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
    )


def test_register_shows_info_answers_in_words(people: dict[str, Any], quiet: None) -> None:
    case = open_case(people)
    _info(case, "NIA-EXIT", {"passport": True, "exits_last_year": 0})
    _info(case, "MCA-MARRIAGE", {"married": False})
    _info(case, "MOHRSS-SI", {"employer": "", "housing_fund": "7166.29"})
    client = Client()
    client.force_login(people["judge"])
    page = client.get(reverse("inquiry_case", args=[case.pk])).content.decode()
    assert "护照：有" in page and "近一年出境：无" in page
    assert "婚姻状况：未婚" in page
    assert "参保单位：无" in page and "住房公积金余额：7,166.29元" in page
    for raw in ("passport=", "married=", "housing_fund", "=True", "=False"):
        assert raw not in page
