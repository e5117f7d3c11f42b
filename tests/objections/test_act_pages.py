"""Objections to an enforcement act end to end: the permission matrix of the new pages and endpoints,
counter and party-portal filing, the API (bad input names the field, nothing changes), the 复议 at the
higher court, and the supervision clocks, statistics and command-center source."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.inquiry.expiry_support import frozen
from zhixing.cases.parties import Party
from zhixing.command import sources
from zhixing.inquiry.models import Asset, InquiryRequest
from zhixing.objections import acts
from zhixing.objections.models import Objection

from .conftest import at

pytestmark = pytest.mark.django_db

USERS = ["clerk", "judge", "bailiff", "director", "president", "gz_director", "yx_director", "anon"]
L, OK, DONE, NO, GONE = "L", 200, 302, 403, 404


class Rollback(Exception):
    pass


def _account(p: dict[str, Any]) -> Asset:
    return frozen(factories.case(p["clerk"]), "6222000011117777", date(2026, 3, 5))


def _debtor(asset: Asset) -> Party:
    return asset.case.parties.get(role="debtor")


def _ruled(p: dict[str, Any], *, review: bool = False) -> Objection:
    """A rejected act objection served on 09-14 (setup shortcut: the ruling's own path is tested in
    test_acts); with `review`, its 复议 filed at the higher court."""
    a = _account(p)
    o = acts.file_act_objection(
        p["clerk"], a.case, act_type="freeze", act_id=a.pk, party_id=_debtor(a).pk, grounds="超标的冻结"
    )
    Objection.objects.filter(pk=o.pk).update(
        status="rejected",
        received_on=date(2026, 9, 2),
        decided_on=date(2026, 9, 12),
        served_on=date(2026, 9, 14),
        review_due=date(2026, 9, 24),
    )
    o.refresh_from_db()
    return acts.file_review(p["judge"], o, filed_on="2026-09-21") if review else o


def file_act(p: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    a = _account(p)
    data = {"kind": "act", "act": f"freeze:{a.pk}", "party_id": _debtor(a).pk, "grounds": "超标的冻结"}
    return reverse("objections_case", args=[a.case_id]), data


def reviews_page(p: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    _ruled(p, review=True)
    return reverse("objections_reviews"), None


def review(p: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    return reverse("objection_act", args=[_ruled(p).pk, "review"]), {"review_filed_on": "2026-09-21"}


def review_decision(p: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    o = _ruled(p, review=True)
    return reverse("objection_act", args=[o.pk, "review-decision"]), {"outcome": "rejected"}


#                    clerk judge bailiff director president gz_dir yx_dir anon
MATRIX = {
    file_act: [DONE, DONE, NO, DONE, NO, NO, GONE, L],
    reviews_page: [NO, OK, NO, OK, OK, OK, OK, L],
    review: [NO, DONE, NO, DONE, NO, NO, GONE, L],
    review_decision: [NO, NO, NO, NO, NO, DONE, GONE, L],
}


@pytest.mark.parametrize("setup", list(MATRIX), ids=lambda f: f.__name__)
def test_permission_matrix(setup: Any, people: dict[str, Any]) -> None:
    got = []
    with at(date(2026, 9, 21)):
        for who in USERS:
            client = Client()
            if who != "anon":
                client.force_login(people[who])
            try:
                with transaction.atomic():
                    url, data = setup(people)
                    r = client.post(url, data) if data is not None else client.get(url)
                    got.append(L if r.status_code == 302 and "/login/" in r["Location"] else r.status_code)
                    raise Rollback
            except Rollback:
                pass
    assert got == MATRIX[setup]


def _post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, json.dumps(body), content_type="application/json")


def test_api_files_reviews_and_the_higher_court_sets_aside_undoing_the_freeze(people: dict[str, Any]) -> None:
    a = _account(people)
    debtor = _debtor(a)
    clerk, judge, higher = Client(), Client(), Client()
    clerk.force_login(people["clerk"])
    judge.force_login(people["judge"])
    higher.force_login(people["gz_director"])
    base = f"/api/v1/objections/cases/{a.case_id}/act"
    with at(date(2026, 9, 14)):
        bad = _post(
            clerk, base, {"act_type": "freeze", "act_id": 999999, "party_id": debtor.pk, "grounds": "x"}
        )
        assert bad.status_code == 422 and bad.json()["field"] == "act_id"
        assert Objection.objects.count() == 0
        r = _post(
            clerk, base, {"act_type": "freeze", "act_id": a.pk, "party_id": debtor.pk, "grounds": "超标的"}
        )
        assert r.status_code == 201, r.content
        body = r.json()
        assert (body["kind"], body["act_type"], body["act_id"], body["decision_due"]) == (
            "act",
            "freeze",
            a.pk,
            "2026-09-29",
        )
        pk = body["id"]
        Objection.objects.filter(pk=pk).update(
            status="rejected",
            decided_on=date(2026, 9, 14),
            served_on=date(2026, 9, 14),
            review_due=date(2026, 9, 24),
        )
    with at(date(2026, 9, 25)):
        late = _post(judge, f"/api/v1/objections/{pk}/review", {"filed_on": "2026-09-25"})
        assert late.status_code == 422 and late.json()["field"] == "review_filed_on"
        assert Objection.objects.get(pk=pk).review_status == ""
        r = _post(judge, f"/api/v1/objections/{pk}/review", {"filed_on": "2026-09-24"})
        # 30 days from 09-24 end on Sat 10-24, a rest day → Mon 10-26 (the holiday table of the platform).
        assert r.status_code == 200 and r.json()["review_decision_due"] == "2026-10-26"
        assert _post(judge, f"/api/v1/objections/{pk}/review-decision", {"upheld": True}).status_code == 403
        r = _post(higher, f"/api/v1/objections/{pk}/review-decision", {"upheld": True})
        assert r.status_code == 200 and r.json()["review_status"] == "upheld"
    # The set-aside ruling undoes the freeze through the consequence table, as an upheld objection does.
    assert InquiryRequest.objects.filter(asset=a, action="release").count() == 1


def test_party_portal_files_online_only_in_own_case(people: dict[str, Any]) -> None:
    a = _account(people)
    debtor = _debtor(a)
    Party.objects.filter(pk=debtor.pk).update(phone="13900001111")
    other = _account(people)
    c = Client()
    url = reverse("party_objection", args=[a.case_id])
    assert c.get(url)["Location"].startswith(reverse("party_login"))
    session = c.session
    session["party_portal_phone"] = "13900001111"
    session.save()
    with at(date(2026, 9, 21)):
        assert c.get(reverse("party_objection", args=[other.case_id])).status_code == 404
        page = c.get(url)
        assert page.status_code == 200 and f'value="freeze:{a.pk}"' in page.content.decode()
        bad = c.post(url, {"act": f"freeze:{a.pk}", "grounds": ""})
        assert bad.status_code == 422 and 'data-field="grounds"' in bad.content.decode()
        assert Objection.objects.count() == 0
        r = c.post(url, {"act": f"freeze:{a.pk}", "grounds": "该账户为社保账户"})
        assert r.status_code == 302
    o = Objection.objects.get()
    assert (o.channel, o.objector_party_id, o.filed_by_id, o.received_on, o.notify_due) == (
        "online",
        debtor.pk,
        None,
        date(2026, 9, 21),
        date(2026, 9, 24),
    )


def test_supervision_shows_review_clocks_statistics_and_feeds_the_command_center(
    people: dict[str, Any],
) -> None:
    with at(date(2026, 9, 21)):
        served = _ruled(people)
        under_review = _ruled(people, review=True)
        c = Client()
        c.force_login(people["gz_director"])
        html = c.get(reverse("objections_supervision")).content.decode()
        reviews = c.get(reverse("objections_reviews")).content.decode()
    assert "复议申请期限" in html and "复议审查期限" in html
    assert '<b id="stat-act-filed">2</b>' in html and '<b id="stat-reviews-pending">1</b>' in html
    assert f'id="review-{under_review.pk}"' in reviews and f'id="review-{served.pk}"' not in reviews
    reader = sources.get("objection_counts")
    assert reader is not None
    court = people["judge"].court_id
    assert reader([court], date(2026, 9, 1), date(2026, 9, 30)) == {
        "filed": 2,
        "act_filed": 2,
        "decided": 2,
        "upheld": 0,
        "decided_in_time": 2,
        "days_to_decide": 20,
    }
