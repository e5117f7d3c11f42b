"""The objections API for a third-party objection's outcome (issue 19): the suit filed and ended with its
outcome, a retrial application filed and decided — the permission matrix of each endpoint (as the API's
other objection endpoints: the court's judges and director write, a higher court reads, a sibling court
does not see it), the flow through the services (audited), and bad input naming the field, nothing
written."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests import factories
from tests.inquiry.expiry_support import seized
from zhixing.core.models import AuditRecord
from zhixing.objections import services
from zhixing.objections.models import Objection

from .conftest import at, objector

pytestmark = pytest.mark.django_db

USERS = ["clerk", "judge", "bailiff", "director", "president", "gz_director", "yx_director", "anon"]
COURT = "广东省广州市中级人民法院"


class Rollback(Exception):
    pass


def _served(p: dict[str, Any], **extra: Any) -> Objection:
    """A rejected third-party objection served on 09-14 (setup shortcut: the ruling's own path is tested in
    test_services), with `extra` fields set."""
    case = factories.case(p["clerk"])
    flat = seized(case, date(2026, 3, 5), ref=f"粤(2024)广州市不动产权第{case.pk:07d}号")
    o = services.file_third_party(None, case, flat.pk, objector())
    Objection.objects.filter(pk=o.pk).update(
        status="rejected",
        decided_on=date(2026, 9, 12),
        served_on=date(2026, 9, 14),
        suit_due=date(2026, 9, 29),
        **extra,
    )
    o.refresh_from_db()
    return o


def suit(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/objections/{_served(p).pk}/suit", {"filed_on": "2026-09-20", "number": "民初1号"}


def suit_ended(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    o = _served(p, suit_state="pending", suit_filed_on=date(2026, 9, 15), suit_number="民初1号")
    return f"/api/v1/objections/{o.pk}/suit-ended", {"ended_on": "2026-09-20", "outcome": "objector_lost"}


def retrial(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    body = {"filed_on": "2026-09-20", "court": COURT, "number": "民申1号"}
    return f"/api/v1/objections/{_served(p).pk}/retrial", body


def retrial_decision(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    o = _served(p, retrial_state="pending", retrial_filed_on=date(2026, 9, 15), retrial_court=COURT)
    body = {"granted": False, "decided_on": "2026-09-20", "document_ref": "民申1号裁定"}
    return f"/api/v1/objections/{o.pk}/retrial-decision", body


#                    clerk judge bailiff director president gz_dir yx_dir anon
MATRIX = {
    suit: [403, 200, 403, 200, 403, 403, 404, 401],
    suit_ended: [403, 200, 403, 200, 403, 403, 404, 401],
    retrial: [403, 200, 403, 200, 403, 403, 404, 401],
    retrial_decision: [403, 200, 403, 200, 403, 403, 404, 401],
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
                    url, body = setup(people)
                    before = AuditRecord.objects.count()
                    r = client.post(url, json.dumps(body), content_type="application/json")
                    got.append(r.status_code)
                    if r.status_code >= 400:
                        assert AuditRecord.objects.count() == before  # a refused call writes nothing
                    raise Rollback
            except Rollback:
                pass
    assert got == MATRIX[setup]


def _post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, json.dumps(body), content_type="application/json")


def test_suit_filed_and_ended_through_the_api(people: dict[str, Any]) -> None:
    o = _served(people)
    c = Client()
    c.force_login(people["judge"])
    with at(date(2026, 9, 21)):
        r = _post(
            c,
            f"/api/v1/objections/{o.pk}/suit",
            {"filed_on": "2026-09-20", "number": "（2026）粤0106民初9号"},
        )
        assert r.status_code == 200, r.content
        assert (r.json()["suit_state"], r.json()["suit_filed_on"], r.json()["suit_number"]) == (
            "pending",
            "2026-09-20",
            "（2026）粤0106民初9号",
        )
        assert "执行异议之诉正在审理" in r.json()["blocks_disposal"]
        url = f"/api/v1/objections/{o.pk}/suit-ended"
        for body, field in [
            ({"ended_on": "2026-09-19", "outcome": "objector_lost"}, "suit_ended_on"),  # before the suit
            ({"ended_on": "9月21日", "outcome": "objector_lost"}, "suit_ended_on"),
            ({"ended_on": "2026-09-21", "outcome": "maybe"}, "objector_won"),
        ]:
            bad = _post(c, url, body)
            assert bad.status_code == 422 and bad.json()["field"] == field, bad.content
        assert Objection.objects.get(pk=o.pk).suit_state == "pending"
        r = _post(c, url, {"ended_on": "2026-09-21", "outcome": "objector_lost"})
        assert r.status_code == 200, r.content
        out = r.json()
        assert (out["suit_state"], out["suit_ended_on"], out["suit_outcome"], out["final_on"]) == (
            "ended",
            "2026-09-21",
            "objector_lost",
            "2026-09-21",
        )
        assert out["blocks_disposal"] == ""
        assert _post(c, url, {"ended_on": "2026-09-21", "outcome": "objector_lost"}).status_code == 409
    rec = AuditRecord.objects.order_by("-pk").filter(action="objections.suit_ended").first()
    assert rec is not None and rec.after["suit_outcome"] == "objector_lost"


def test_retrial_filed_and_decided_through_the_api(people: dict[str, Any]) -> None:
    o = _served(people)
    c = Client()
    c.force_login(people["director"])
    url = f"/api/v1/objections/{o.pk}/retrial"
    with at(date(2026, 9, 21)):
        for body, field in [
            ({"filed_on": "2026-09-13", "court": COURT, "number": "民申1号"}, "retrial_filed_on"),
            ({"filed_on": "2026-09-22", "court": COURT, "number": "民申1号"}, "retrial_filed_on"),
            ({"filed_on": "2026-09-20", "court": "", "number": "民申1号"}, "retrial_court"),
            ({"filed_on": "2026-09-20", "court": COURT, "number": " "}, "retrial_number"),
        ]:
            bad = _post(c, url, body)
            assert bad.status_code == 422 and bad.json()["field"] == field, bad.content
        assert _post(c, url, {"filed_on": "2026-09-20"}).status_code == 422  # the schema's own check
        assert Objection.objects.get(pk=o.pk).retrial_state == ""
        assert not AuditRecord.objects.filter(action__startswith="objections.retrial").exists()
        r = _post(c, url, {"filed_on": "2026-09-20", "court": COURT, "number": "（2026）粤01民申7号"})
        assert r.status_code == 200, r.content
        out = r.json()
        assert (
            out["retrial_state"],
            out["retrial_filed_on"],
            out["retrial_court"],
            out["retrial_number"],
        ) == (
            "pending",
            "2026-09-20",
            COURT,
            "（2026）粤01民申7号",
        )
        assert "再审审查期间不得处分该财产" in out["blocks_disposal"]
        # A suit on top of it is refused.
        suit = _post(c, f"/api/v1/objections/{o.pk}/suit", {"filed_on": "2026-09-20", "number": "民初1号"})
        assert suit.status_code == 409
        decision = f"/api/v1/objections/{o.pk}/retrial-decision"
        bad = _post(c, decision, {"granted": True, "decided_on": "2026-09-19", "document_ref": "民申7号裁定"})
        assert bad.status_code == 422 and bad.json()["field"] == "retrial_decided_on"
        r = _post(
            c, decision, {"granted": True, "decided_on": "2026-09-21", "document_ref": "（2026）粤01民再3号"}
        )
        assert r.status_code == 200, r.content
        out = r.json()
        assert (
            out["retrial_state"],
            out["retrial_decided_on"],
            out["retrial_document_ref"],
            out["final_on"],
        ) == (
            "granted",
            "2026-09-21",
            "（2026）粤01民再3号",
            None,
        )
        assert "已裁定再审" in out["blocks_disposal"]
    o.case.refresh_from_db()
    assert o.case.status == "suspended"
    assert [
        r.action for r in AuditRecord.objects.filter(action__startswith="objections.retrial").order_by("pk")
    ] == [
        "objections.retrial_filed",
        "objections.retrial_decided",
    ]
