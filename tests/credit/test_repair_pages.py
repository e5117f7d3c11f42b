"""Permission matrix of issue 14 items 7 and 9: the credit page's new actions, the certificate, the API.

Anonymous → login (page) or 401 (API); a court that cannot read the case → 404; a reader without the
right role or from the higher court → 403; the case's own clerk or assistant records the Art 8
profile, its judge or director takes the credit decisions.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from zhixing.cases.services.performance import record_payment
from zhixing.credit import services
from zhixing.credit.models import CreditRepair, Listing
from zhixing.credit.services import repair

from .art8_fake import recipient
from .conftest import debtor, listing_data, open_listing_data
from .test_pages import READERS, ROLES, WRITERS, as_

pytestmark = pytest.mark.django_db
RECORDERS = WRITERS | {"clerk", "assistant"}  # who files cases (Cap.CASE_FILE) or decides


@pytest.fixture
def granted(case: Any, people: dict) -> CreditRepair:
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data())
    record_payment(case.pk, case.claim_amount, date(2026, 3, 10), source="direct", reference="pp-1")
    r = repair.apply_repair(
        people["judge"], x, applied_on=date(2026, 3, 10), statement="已履行", corrected=True
    )
    return repair.decide_repair(people["judge"], r, grant=True)


def expect(r: Any, who: str | None, allowed: set[str], ok: int) -> None:
    if who is None:
        assert r.status_code == 302 and "/login/" in r["Location"]
    elif who not in READERS:
        assert r.status_code == 404
    elif who in allowed:
        assert r.status_code == ok, r.content[:300]
    else:
        assert r.status_code == 403


@pytest.mark.parametrize("who", ROLES)
def test_profile_action_matrix(client: Client, case: Any, people: dict, who: str | None) -> None:
    emp = recipient("EMP-GZTAX")
    r = as_(client, people, who).post(
        f"/cases/{case.pk}/credit/repair/profile/",
        {"party": debtor(case).pk, "state_functionary": "on", "employer": emp.pk},
    )
    expect(r, who, RECORDERS, 302)
    if who in RECORDERS:
        assert r["Location"].endswith(f"/cases/{case.pk}/credit/#repair")


@pytest.mark.parametrize("who", ROLES)
def test_repair_apply_action_matrix(client: Client, case: Any, people: dict, who: str | None) -> None:
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data())
    r = as_(client, people, who).post(
        f"/cases/{case.pk}/credit/repair/repair_apply/",
        {"listing": x.pk, "applied_on": "2026-03-10", "statement": "已履行"},
    )
    expect(r, who, WRITERS, 302)
    assert CreditRepair.objects.filter(listing=x).count() == (1 if who in WRITERS else 0)


@pytest.mark.parametrize("who", ROLES)
def test_certificate_matrix(client: Client, granted: CreditRepair, people: dict, who: str | None) -> None:
    r = as_(client, people, who).get(f"/credit/repairs/{granted.pk}/certificate/")
    expect(r, who, READERS, 200)


def test_certificate_of_a_pending_repair_is_404(client: Client, case: Any, people: dict) -> None:
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data())
    r = repair.apply_repair(people["judge"], x, applied_on=date(2026, 3, 10), statement="x")
    client.force_login(people["judge"])
    assert client.get(f"/credit/repairs/{r.pk}/certificate/").status_code == 404


def test_page_shows_repair_section_and_forms_by_role(
    client: Client, granted: CreditRepair, people: dict
) -> None:
    case_id = granted.listing.case_id
    judge = as_(Client(), people, "judge").get(f"/cases/{case_id}/credit/").content.decode()
    assert 'data-testid="repair" data-status="granted"' in judge and 'data-testid="certificate-link"' in judge
    assert 'data-testid="repair-form"' in judge and 'data-testid="profile-form"' in judge
    clerk = as_(client, people, "clerk").get(f"/cases/{case_id}/credit/").content.decode()
    assert 'data-testid="profile-form"' in clerk and 'data-testid="repair-form"' not in clerk
    gz = as_(Client(), people, "gz_director").get(f"/cases/{case_id}/credit/").content.decode()
    assert 'data-testid="profile-form"' not in gz and 'data-testid="repair-section"' in gz


@pytest.mark.parametrize("who", ROLES)
def test_api_matrix(client: Client, case: Any, people: dict, who: str | None) -> None:
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data())
    c = as_(client, people, who)
    read = c.get(f"/api/v1/credit/cases/{case.pk}/notices")
    write = c.post(
        f"/api/v1/credit/listings/{x.pk}/repairs",
        data=json.dumps({"applied_on": "2026-03-10", "statement": "已履行"}),
        content_type="application/json",
    )
    repairs = c.get(f"/api/v1/credit/cases/{case.pk}/repairs")
    if who is None:
        assert (read.status_code, write.status_code, repairs.status_code) == (401, 401, 401)
    elif who not in READERS:
        assert (read.status_code, write.status_code, repairs.status_code) == (404, 404, 404)
    else:
        assert (read.status_code, repairs.status_code) == (200, 200)
        assert write.status_code == (201 if who in WRITERS else 403), write.content


@pytest.mark.parametrize("who", ["judge", "clerk", "yx_judge", "gz_director"])
def test_api_decide_and_legal_rep(client: Client, people: dict, who: str) -> None:
    from .conftest import org_case

    c = org_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), open_listing_data())
    r = repair.apply_repair(
        people["judge"], x, applied_on=date(2026, 3, 10), statement="和解", settled=True, corrected=True
    )
    client.force_login(people[who])
    d = client.post(
        f"/api/v1/credit/repairs/{r.pk}/decide",
        data=json.dumps({"grant": True}),
        content_type="application/json",
    )
    from tests import factories

    lr = client.post(
        f"/api/v1/credit/cases/{c.pk}/parties/{debtor(c).pk}/legal-rep",
        data=json.dumps(
            {
                "new_name": "赵六",
                "new_id_number": factories.make_id(date(1985, 7, 8), seq=555),
                "changed_on": "2026-03-09",
            }
        ),
        content_type="application/json",
    )
    want = {"judge": (200, 201), "clerk": (403, 403), "yx_judge": (404, 404), "gz_director": (403, 403)}[who]
    assert (d.status_code, lr.status_code) == want, (d.content, lr.content)
    if who == "judge":
        body = d.json()
        assert (body["status"], body["certificate_url"]) == (
            "granted",
            f"/credit/repairs/{r.pk}/certificate/",
        )
        assert Listing.objects.get(pk=x.pk).status == "removed"
        assert lr.json()["imposed_restriction_id"] is None  # the listing was removed: restrictions lifted


@pytest.mark.parametrize("who", ROLES)
def test_resend_notice_page_and_api_matrix(client: Client, case: Any, people: dict, who: str | None) -> None:
    from zhixing.credit.models import ListingNotice

    recipient("PBOC-CRC")
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data())
    n = ListingNotice.objects.get(listing=x)
    ListingNotice.objects.filter(pk=n.pk).update(status="failed", attempts=5, reason="已发送5次均未成功")
    c = as_(client, people, who)
    r = c.post(f"/cases/{case.pk}/credit/repair/resend_notice/", {"notice": n.pk})
    expect(r, who, WRITERS, 302)
    ListingNotice.objects.filter(pk=n.pk).update(status="failed")
    api = c.post(f"/api/v1/credit/notices/{n.pk}/resend")
    profile = c.put(
        f"/api/v1/credit/cases/{case.pk}/parties/{debtor(case).pk}/profile",
        data=json.dumps({"state_functionary": False}),
        content_type="application/json",
    )
    if who is None:
        assert (api.status_code, profile.status_code) == (401, 401)
    elif who not in READERS:
        assert (api.status_code, profile.status_code) == (404, 404)
    else:
        assert api.status_code == (200 if who in WRITERS else 403)
        assert profile.status_code == (200 if who in RECORDERS else 403)
