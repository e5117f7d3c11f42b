"""Approved private / necessary consumption frees the approved codes for partners (限制消费规定 Arts 3(2), 8).

The screening answer comes from the in-memory index, which follows the register's change log: the
approval (or the periodic scan on the window's first day) drops the codes from the subject's mask, and
the scan after the window's last day puts them back.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhixing.core.errors import ServiceError
from zhixing.credit import rules, services
from zhixing.credit.models import PrivateConsumption, Restriction

from .conftest import ADULT_ID, debtor, debtor_case, listing_data

SH = ZoneInfo("Asia/Shanghai")


def check(client: Client, key: str) -> dict[str, Any]:
    r = client.post(
        "/api/v1/screening/check",
        data=json.dumps({"id": ADULT_ID}),
        content_type="application/json",
        HTTP_X_PARTNER_KEY=key,
    )
    assert r.status_code == 200
    return r.json()


def grant(people: dict, r: Restriction, **kw: Any) -> PrivateConsumption:
    data: dict[str, Any] = {
        "applied_on": date(2026, 3, 9),
        "purpose": "就医乘坐飞机",
        "granted": True,
        "reason": "提供三甲医院转诊证明",
        "codes": ["flight"],
        "valid_from": date(2026, 3, 10),
        "valid_until": date(2026, 3, 12),
    }
    data.update(kw)
    return services.decide_private_consumption(people["judge"], r, **data)


def test_pure_window_edges() -> None:
    # rule
    f, u = date(2026, 3, 10), date(2026, 3, 12)
    assert rules.private_window_state(f, u, date(2026, 3, 9)) == "pending"
    assert rules.private_window_state(f, u, f) == "applied"
    assert rules.private_window_state(f, u, u) == "applied"
    assert rules.private_window_state(f, u, date(2026, 3, 13)) == "ended"
    assert rules.private_codes_refusal([1, 9], ["exit"], f, u)[0] == "codes"
    assert rules.private_codes_refusal([2], ["flight"], f, u)[0] == "codes"
    assert rules.private_codes_refusal([1], ["flight"], None, u)[0] == "valid_from"
    assert rules.private_codes_refusal([1], ["flight"], f, date(2026, 3, 9))[0] == "valid_until"
    assert rules.private_codes_refusal([1], ["flight"], f, f) == ("", "")
    assert rules.private_codes_refusal([1], [], None, None) == ("", "")


def test_airline_answers_free_for_the_window_and_restricted_after(
    client: Client, listed: Any, people: dict, airline: Any, railway: Any
) -> None:
    r = Restriction.objects.get(listing=listed)
    assert check(client, airline[1])["restrictions"] == ["flight"]
    pc = grant(people, r)
    assert pc.window_state == "applied"
    # The airline now answers "free"; the railway still refuses (only the flight was approved).
    air = check(client, airline[1])
    assert air["restricted"] is False and air["restrictions"] == []
    assert check(client, railway[1])["restrictions"] == ["soft_sleeper", "hsr"]
    # Last day of the window (inclusive): still free after the scan.
    with time_machine.travel(datetime(2026, 3, 12, 23, tzinfo=SH), tick=False):
        assert services.scan_credit().windows == 0
        assert check(client, airline[1])["restricted"] is False
    # The day after: the scan closes the window and the airline refuses again.
    with time_machine.travel(datetime(2026, 3, 13, 0, 5, tzinfo=SH), tick=False):
        assert services.scan_credit().windows == 1
        assert check(client, airline[1])["restrictions"] == ["flight"]
        assert services.scan_credit().windows == 0  # idempotent
    pc.refresh_from_db()
    assert pc.window_state == "ended"


def test_a_future_window_opens_on_its_first_day_by_the_scan(
    client: Client, listed: Any, people: dict, airline: Any
) -> None:
    r = Restriction.objects.get(listing=listed)
    pc = grant(people, r, valid_from=date(2026, 3, 15), valid_until=date(2026, 3, 15))
    assert pc.window_state == "pending"
    assert services.scan_credit().windows == 0
    assert check(client, airline[1])["restricted"] is True
    with time_machine.travel(datetime(2026, 3, 14, 23, 59, tzinfo=SH), tick=False):
        services.scan_credit()
        assert check(client, airline[1])["restricted"] is True
    with time_machine.travel(datetime(2026, 3, 15, 0, 1, tzinfo=SH), tick=False):
        assert services.scan_credit().windows == 1
        assert check(client, airline[1])["restricted"] is False
    with time_machine.travel(datetime(2026, 3, 16, 0, 1, tzinfo=SH), tick=False):
        assert services.scan_credit().windows == 1
        assert check(client, airline[1])["restricted"] is True


def test_another_cases_restriction_still_refuses(client: Client, people: dict, airline: Any) -> None:
    one = debtor_case(people["clerk"])
    two = debtor_case(people["clerk"])
    services.list_debtor(people["judge"], one, debtor(one), listing_data())
    services.list_debtor(people["judge"], two, debtor(two), listing_data())
    grant(people, Restriction.objects.get(case=one))
    assert check(client, airline[1])["restrictions"] == ["flight"]


def test_refused_or_bad_applications_change_nothing(
    client: Client, listed: Any, people: dict, airline: Any
) -> None:
    r = Restriction.objects.get(listing=listed)
    pc = grant(people, r, granted=False)
    assert pc.codes == [] and pc.window_state == ""
    assert check(client, airline[1])["restricted"] is True
    for kw, field in (
        ({"codes": ["exit"]}, "codes"),
        ({"valid_from": None}, "valid_from"),
        ({"valid_until": date(2026, 3, 9)}, "valid_until"),
    ):
        with pytest.raises(ServiceError) as e:
            grant(people, r, **kw)
        assert e.value.field == field
    assert PrivateConsumption.objects.count() == 1
    assert check(client, airline[1])["restricted"] is True


def test_page_form_grants_the_window_and_shows_it(
    client: Client, listed: Any, case: Any, people: dict, airline: Any
) -> None:
    r = Restriction.objects.get(listing=listed)
    client.force_login(people["judge"])
    resp = client.post(
        f"/cases/{case.pk}/credit/private/",
        {
            "restriction": r.pk,
            "purpose": "就医乘坐飞机",
            "reason": "医院证明",
            "granted": "yes",
            "codes": ["flight"],
            "valid_from": "2026-03-10",
            "valid_until": "2026-03-11",
        },
    )
    assert resp.status_code == 302
    page = client.get(f"/cases/{case.pk}/credit/").content.decode()
    assert "2026-03-10至2026-03-11期间不予拦截：限制乘坐飞机（准许期间中）" in page
    assert check(client, airline[1])["restricted"] is False


def test_staff_api_grants_and_checks_permissions(
    client: Client, listed: Any, people: dict, airline: Any
) -> None:
    r = Restriction.objects.get(listing=listed)
    url = f"/api/v1/credit/restrictions/{r.pk}/consumption"
    body = {
        "applied_on": "2026-03-09",
        "purpose": "就医乘坐飞机",
        "granted": True,
        "reason": "医院证明",
        "codes": ["flight"],
        "valid_from": "2026-03-10",
        "valid_until": "2026-03-10",
    }

    def send() -> Any:
        return client.post(url, data=json.dumps(body), content_type="application/json")

    assert send().status_code == 401
    client.force_login(people["yx_judge"])
    assert send().status_code == 404
    client.force_login(people["judge"])
    out = send()
    assert out.status_code == 201
    assert out.json() == {
        "id": PrivateConsumption.objects.get().pk,
        "granted": True,
        "codes": ["flight"],
        "valid_from": "2026-03-10",
        "valid_until": "2026-03-10",
        "window_state": "applied",
    }
    assert check(client, airline[1])["restricted"] is False
    body["codes"] = ["exit"]
    bad = send()
    assert (bad.status_code, bad.json()["field"]) == (422, "codes")
    assert PrivateConsumption.objects.count() == 1
