"""分析 › 折算汇率: the conversion rate table as a page and an API — who reads it, who keeps it.

An import refused for a missing rate tells the user to have it added on this page: before it existed,
only the administrator could add a rate, in the admin. The matrix follows `courts.roles`: every court
role that imports, defines layouts or keeps rates reads the table; only `Cap.ANALYTICS_RATE` writes it.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.analytics.models import ExchangeRate
from zhixing.core.models import AuditRecord
from zhixing.courts.roles import Cap, Role

READ_CAPS = (Cap.ANALYTICS_RATE, Cap.ANALYTICS_IMPORT, Cap.ANALYTICS_PRESET)
ROLES = [r.value for r in Role]
API = "/api/v1/analytics/rates"
NEW = {"currency": "sgd", "valid_from": "2026-01-01", "rate": "5.35", "note": "中间价"}


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_and_who_keeps_the_rates(people: dict[str, Any], rates: list[Any], role: str) -> None:
    user = people[role]
    reads = any(user.can(c) for c in READ_CAPS)
    keeps = user.can(Cap.ANALYTICS_RATE)
    c = _client(user)
    page = c.get(reverse("analytics:rates"))
    assert page.status_code == (200 if reads else 403)
    if reads:
        assert ("rate-form" in page.content.decode()) is keeps
        assert "7.123400" in page.content.decode()
    assert c.get(API).status_code == (200 if reads else 403)
    before = ExchangeRate.objects.count()
    posted = c.post(reverse("analytics:rates"), NEW)
    assert posted.status_code == (302 if keeps else 403)
    api = c.post(API, json.dumps({**NEW, "valid_from": "2026-02-01"}), content_type="application/json")
    assert api.status_code == (201 if keeps else 403)
    assert ExchangeRate.objects.count() == before + (2 if keeps else 0)


def test_a_higher_courts_director_keeps_rates_and_an_outsider_sees_nothing(
    people: dict[str, Any], rates: list[Any], client: Client
) -> None:
    assert _client(people["gz_director"]).get(API).status_code == 200
    client.logout()
    assert client.get(reverse("analytics:rates")).status_code == 302  # to the login page
    assert client.get(API).status_code in (401, 403)


def test_a_rate_set_on_the_page_is_listed_audited_and_a_bad_one_names_its_field(
    people: dict[str, Any], rates: list[Any]
) -> None:
    c = _client(people["finance"])
    assert c.post(reverse("analytics:rates"), NEW).status_code == 302
    got = ExchangeRate.objects.get(currency="SGD")
    assert (got.valid_from, got.rate, got.note) == (date(2026, 1, 1), Decimal("5.350000"), "中间价")
    audit = AuditRecord.objects.filter(action="analytics.rate.set").latest("pk")
    assert audit.actor_id == people["finance"].pk and audit.after["currency"] == "SGD"
    listed = c.get(API).json()
    assert [(r["currency"], r["valid_from"]) for r in listed] == [
        ("HKD", "2020-01-01"),
        ("SGD", "2026-01-01"),
        ("USD", "2026-03-21"),
        ("USD", "2020-01-01"),
    ]
    bad = c.post(reverse("analytics:rates"), {**NEW, "currency": "CNY"})
    assert bad.status_code == 200 and "人民币无需设置汇率" in bad.content.decode()
    api = c.post(API, json.dumps({**NEW, "rate": "-1"}), content_type="application/json")
    assert (api.status_code, api.json()["field"], api.json()["detail"]) == (
        422,
        "rate",
        "汇率应为大于0的数字",
    )
    assert ExchangeRate.objects.count() == 4
