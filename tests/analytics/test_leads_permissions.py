"""Permission matrix for leads: the profile page and its record, the follow and field-result actions
(page and API), the leads list; court scoping and a query budget that does not grow with the leads.

Own court (粤0106): roles with the inquiry-request capability follow a lead, roles that complete nodes
record a field result, every role reads; the higher courts 粤01 and 粤 read only (403 on writes); the
sibling courts 粤0104 and 粤0304 do not see the lead (404); anonymous callers log in first (401 on the API).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.inquiry.conftest import open_case, quiet  # noqa: F401 - fixture
from zhixing.analytics import queries
from zhixing.analytics.models import Profile, PropertyLead
from zhixing.courts.roles import Role

# backend_neutral: a role × route matrix decides the same on both databases; the PostgreSQL stage skips it
# (docs/adr/0029-postgresql-stage-runs-what-can-differ.md).
pytestmark = pytest.mark.backend_neutral

OWN = [r.value for r in Role]
READERS = ["gz_director", "gd_president"]
STRANGERS = ["yx_director", "yx_judge", "ft_director"]
FOLLOWERS = ["judge", "assistant", "operator", "director"]
FIELD_RECORDERS = ["judge", "assistant", "clerk", "director"]


def make_profile(people: dict[str, Any], leads: int = 2) -> tuple[Profile, list[PropertyLead]]:
    case = open_case(people)
    party = next(p for p in case.parties.all() if p.role == "debtor")
    prof = Profile.objects.create(
        party=party,
        court=case.court,
        ruleset=queries.active_ruleset(),
        period_start=date(2025, 1, 1),
        period_end=date(2026, 3, 1),
        score=40,
    )
    rows = [
        PropertyLead.objects.create(
            party=party,
            profile=prof,
            counterparty=f"车辆 粤C0877{i}",
            lead_type="车辆",
            kind="vehicle",
            target=f"粤C0877{i}",
            months=3,
            total=Decimal("255.00"),
        )
        for i in range(leads)
    ]
    return prof, rows


@pytest.fixture
def world(people: dict[str, Any], quiet: None) -> dict[str, Any]:  # noqa: F811
    prof, leads = make_profile(people)
    rent = PropertyLead.objects.create(
        party=prof.party, profile=prof, counterparty="房东李某", lead_type="房租", kind="rent", months=5,
        total=Decimal("17500.00"),
    )  # fmt: skip
    return {"profile": prof, "car": leads[0], "rent": rent}


def client(people: dict[str, Any], who: str | None) -> Client:
    c = Client()
    if who:
        c.force_login(people[who])
    return c


@pytest.mark.parametrize("who", OWN + READERS)
def test_profile_page_and_leads_are_read_by_own_and_higher_courts(
    world: dict[str, Any], people: dict[str, Any], who: str
) -> None:
    c = client(people, who)
    page = c.get(f"/analytics/profiles/{world['profile'].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="lead-{world["car"].pk}"' in html and 'data-state="new"' in html
    sees_register = who in ("judge", "assistant", "operator", "director", "gz_director")
    assert ('id="register-summary"' in html) is sees_register
    assert ('id="register-hidden"' in html) is (not sees_register)
    assert ('id="credit-record"' in html) is True
    assert (f'data-testid="lead-follow-{world["car"].pk}"' in html) is (who in FOLLOWERS)
    api = c.get(f"/api/v1/analytics/profiles/{world['profile'].pk}/leads")
    assert api.status_code == 200
    assert [x["target"] for x in api.json()] == ["粤C08770", "粤C08771", ""]
    rec = c.get(f"/api/v1/analytics/profiles/{world['profile'].pk}/record")
    assert rec.status_code == 200
    assert (rec.json()["asset_register"] is not None) is sees_register
    assert rec.json()["listed"] is False


@pytest.mark.parametrize("who", STRANGERS)
def test_other_courts_see_nothing(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    c = client(people, who)
    pk, lead = world["profile"].pk, world["car"].pk
    assert c.get(f"/analytics/profiles/{pk}/").status_code == 404
    assert c.get(f"/api/v1/analytics/profiles/{pk}/leads").status_code == 404
    assert c.get(f"/api/v1/analytics/profiles/{pk}/record").status_code == 404
    assert c.post(f"/analytics/leads/{lead}/follow/").status_code == 404
    assert (
        c.post(f"/api/v1/analytics/leads/{lead}/follow", {}, content_type="application/json").status_code
        == 404
    )
    field = {"found": True, "document_ref": "核1号", "note": "属实"}
    assert (
        c.post(
            f"/api/v1/analytics/leads/{lead}/field-result", field, content_type="application/json"
        ).status_code
        == 404
    )
    assert PropertyLead.objects.get(pk=lead).state == "new"


def test_anonymous_is_sent_to_log_in(world: dict[str, Any]) -> None:
    c = Client()
    pk, lead = world["profile"].pk, world["car"].pk
    assert c.get(f"/analytics/profiles/{pk}/").status_code == 302
    assert c.post(f"/analytics/leads/{lead}/follow/").status_code == 302
    assert c.get(f"/api/v1/analytics/profiles/{pk}/leads").status_code == 401
    assert (
        c.post(f"/api/v1/analytics/leads/{lead}/follow", {}, content_type="application/json").status_code
        == 401
    )


@pytest.mark.parametrize("who", OWN + READERS)
def test_follow_matrix_api(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    c = client(people, who)
    resp = c.post(f"/api/v1/analytics/leads/{world['car'].pk}/follow", {}, content_type="application/json")
    if who in FOLLOWERS:
        assert resp.status_code == 200, resp.content
        body = resp.json()
        assert (body["state"], body["request_status"]) == ("requested", "pending")
    else:
        assert resp.status_code == 403
        assert PropertyLead.objects.get(pk=world["car"].pk).state == "new"


@pytest.mark.parametrize("who", OWN + READERS)
def test_follow_matrix_page(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    c = client(people, who)
    resp = c.post(f"/analytics/leads/{world['car'].pk}/follow/")
    lead = PropertyLead.objects.get(pk=world["car"].pk)
    if who in FOLLOWERS:
        assert resp.status_code == 302 and lead.state == "requested"
        assert resp["Location"] == f"/analytics/profiles/{world['profile'].pk}/#lead-{lead.pk}"
    else:
        assert resp.status_code == 403 and lead.state == "new"


@pytest.mark.parametrize("who", OWN + READERS)
def test_field_result_matrix(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    judge = client(people, "judge")
    assert judge.post(f"/analytics/leads/{world['rent'].pk}/follow/").status_code == 302
    assert PropertyLead.objects.get(pk=world["rent"].pk).state == "field"
    c = client(people, who)
    field = {"found": True, "document_ref": "核1号", "note": "房东证实"}
    resp = c.post(
        f"/api/v1/analytics/leads/{world['rent'].pk}/field-result", field, content_type="application/json"
    )
    state = PropertyLead.objects.get(pk=world["rent"].pk).state
    if who in FIELD_RECORDERS:
        assert resp.status_code == 200 and state == "verified"
    else:
        assert resp.status_code == 403 and state == "field"


def test_follow_twice_is_409_and_bad_input_400(world: dict[str, Any], people: dict[str, Any]) -> None:
    c = client(people, "judge")
    url = f"/api/v1/analytics/leads/{world['car'].pk}/follow"
    assert c.post(url, {}, content_type="application/json").status_code == 200
    assert c.post(url, {}, content_type="application/json").status_code == 409
    assert (
        c.post(
            f"/api/v1/analytics/leads/{world['rent'].pk}/follow",
            {"urgent": True},
            content_type="application/json",
        ).status_code
        == 200
    )
    bad = c.post(
        f"/api/v1/analytics/leads/{world['rent'].pk}/field-result",
        {"found": True, "document_ref": "", "note": "x"},
        content_type="application/json",
    )
    assert bad.status_code in (400, 422)
    assert PropertyLead.objects.get(pk=world["rent"].pk).state == "field"


def test_profile_page_query_budget_does_not_grow_with_leads(
    people: dict[str, Any],
    quiet: None,  # noqa: F811
) -> None:
    c = client(people, "judge")
    counts = []
    for n in (2, 12):
        prof, _ = make_profile(people, leads=n)
        c.get(f"/analytics/profiles/{prof.pk}/")  # the day's first look at the register writes its audit
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"/analytics/profiles/{prof.pk}/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 45, counts
