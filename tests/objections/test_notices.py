"""Issue 19 items 1, 2 and 5 on act objections: the parties told of a filing through e-service (the
notice tracked, overdue across the National Day holiday), the ruling served electronically starting the
复议 window, an interested person (利害关系人) objecting at the counter and by API, the notice action's
permission matrix, the 复议 page in the menu, and the command center's objection metrics."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.inquiry.expiry_support import frozen
from zhixing.command import alert_feeds
from zhixing.command import metric_rules as mr
from zhixing.command.models import Alert
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import ServiceError
from zhixing.core.navigation import menu_for
from zhixing.documents import eservice
from zhixing.documents.service_models import Delivery, Service
from zhixing.objections import acts, notices, queries, services
from zhixing.objections.models import Objection
from zhixing.objections.services import ObjectorData

from .conftest import at

pytestmark = pytest.mark.django_db
OUTSIDER_ID = factories.make_id(date(1988, 6, 1), seq=615)


def _freeze(p: dict[str, Any], consent: bool) -> Any:
    """A frozen account of a new case; with `consent`, every party confirmed a portal address."""
    account = frozen(factories.case(p["clerk"]), "6222000011119999", date(2026, 3, 5))
    if consent:
        for i, party in enumerate(account.case.parties.order_by("pk")):
            eservice.confirm_address(
                p["clerk"],
                account.case,
                party.pk,
                phone=f"1390000000{i}",
                portal=True,
                electronic_consent=True,
            )
    return account


def _file(p: dict[str, Any], account: Any) -> Objection:
    debtor = account.case.parties.get(role="debtor")
    return acts.file_act_objection(
        p["clerk"],
        account.case,
        act_type="freeze",
        act_id=account.pk,
        party_id=debtor.pk,
        grounds="超标的冻结",
    )


def test_parties_told_at_once_or_the_notice_runs_late_across_the_holiday(
    people: dict[str, Any], panel: list[int]
) -> None:
    told_account, untold_account = _freeze(people, True), _freeze(people, False)
    with at(date(2026, 9, 28)):
        told, untold = _file(people, told_account), _file(people, untold_account)
    # Everyone consented: a portal message per party (delivered on creation) and the notice recorded today.
    parties = told_account.case.parties.count()
    msgs = Delivery.objects.filter(source=f"objection:{told.pk}")
    assert (told.notified_on, told.notice_method) == (date(2026, 9, 28), f"门户消息{parties}人")
    assert sorted(msgs.values_list("channel", "status")) == [("portal", "delivered")] * parties
    assert AuditRecord.objects.filter(action="objections.notified", object_id=str(told.pk)).count() == 1
    # Nobody consented: nothing sent, the 3-day clock runs; 09-28 + 3 = 10-01, in the holiday → 10-08.
    assert (untold.notified_on, untold.notice_method, untold.notify_due) == (None, "", date(2026, 10, 8))
    assert not Delivery.objects.filter(source=f"objection:{untold.pk}").exists()
    director = people["director"]
    with at(date(2026, 10, 8)):
        assert queries.notice_overdue(director) == (0, 0)  # the last day itself is in time
        labels = [(c.objection.pk, c.label) for c in queries.open_clocks(director)]
        assert (untold.pk, "通知当事人期限") in labels and (told.pk, "通知当事人期限") not in labels
    with at(date(2026, 10, 9)):
        assert queries.notice_overdue(director) == (1, 0)
        # The command center's sweep raises one alert for it (and not twice).
        assert alert_feeds.sweep(date(2026, 10, 9)).get("objection_late") == 1
        assert alert_feeds.sweep(date(2026, 10, 9)).get("objection_late") is None
        alert = Alert.objects.get(kind="objection_late")
        assert (alert.source_key, alert.case_id) == (f"objection:{untold.pk}:notice", untold.case_id)
        c = Client()
        c.force_login(director)
        page = c.get(reverse("objections_supervision")).content.decode()
        assert '<b id="stat-untold">1</b>' in page
        detail = c.get(reverse("objection_detail", args=[untold.pk])).content.decode()
        assert "逾期未通知" in detail
        # Bad input names the field and changes nothing; then the clerk records the written notice.
        for kw, field in [
            ({"notified_on": "2026-09-27", "method": "书面通知"}, "notified_on"),  # before receipt
            ({"notified_on": "2026-10-10", "method": "书面通知"}, "notified_on"),  # after today
            ({"notified_on": "2026-10-09", "method": " "}, "notice_method"),
        ]:
            with pytest.raises(ServiceError) as exc:
                notices.record_notice(people["clerk"], untold, **kw)
            assert exc.value.field == field
        untold.refresh_from_db()
        assert untold.notified_on is None
        notices.record_notice(people["clerk"], untold, notified_on="2026-10-09", method="书面通知")
        assert queries.notice_overdue(director) == (0, 0)
    rec = AuditRecord.objects.get(action="objections.notified", object_id=str(untold.pk))
    assert rec.after["late"] is True and rec.after["method"] == "书面通知"


def test_ruling_served_electronically_starts_the_review_window(
    people: dict[str, Any], panel: list[int]
) -> None:
    account = _freeze(people, True)
    with at(date(2026, 9, 24)):
        o = _file(people, account)
    with at(date(2026, 9, 28)):
        o = services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="冻结未超标的")
    # 09-28 + 5 = 10-03, in the holiday → 10-08; served on every consenting party.
    assert o.service_due == date(2026, 10, 8) and o.served_on is None
    svc = Service.objects.filter(document_id=o.ruling_document_id)
    assert svc.count() == account.case.parties.count()
    with at(date(2026, 10, 9)):
        assert queries.notice_overdue(people["director"]) == (0, 1)  # not yet reached the objector
        objector_delivery = Delivery.objects.get(service__in=svc, party_id=o.objector_party_id)
        assert eservice.record_opened(objector_delivery) is True
    o.refresh_from_db()
    # Served 10-09 (the day it reached the objector's system): 复议 within 10 days → 10-19.
    assert (o.served_on, o.review_due) == (date(2026, 10, 9), date(2026, 10, 19))
    rec = AuditRecord.objects.get(action="objections.served", object_id=str(o.pk))
    assert (rec.after["method"], rec.after["late"]) == ("electronic", True)


def test_interested_person_files_at_the_counter_and_by_api_bad_input_names_the_field(
    people: dict[str, Any],
) -> None:
    account = _freeze(people, False)
    case = account.case
    debtor = case.parties.get(role="debtor")

    def outsider(**kw: Any) -> ObjectorData:
        data = {"name": "广州某物流有限公司", "id_number": OUTSIDER_ID, "claim": "账户内系本人代收运费"}
        data.update(kw)
        return ObjectorData(data["name"], data["id_number"], data["claim"], "", "13800000009")

    bad = [
        (outsider(name=" "), "objector_name"),
        (outsider(id_number="440106198806010000"), "objector_id_number"),  # bad check digit
        (outsider(id_number=debtor.identity_number), "objector_id_number"),  # a party: object as one
        (outsider(claim=""), "claim"),
    ]
    with at(date(2026, 9, 21)):
        for data, field in bad:
            with pytest.raises(ServiceError) as exc:
                acts.file_act_objection(
                    people["clerk"],
                    case,
                    act_type="freeze",
                    act_id=account.pk,
                    grounds="损害权益",
                    interested=data,
                )
            assert exc.value.field == field, exc.value.message
        assert Objection.objects.count() == 0
        c = Client()
        c.force_login(people["clerk"])
        url = f"/api/v1/objections/cases/{case.pk}/act"
        body = {"act_type": "freeze", "act_id": account.pk, "grounds": "损害权益", "claim": "代收运费"}
        r = c.post(url, json.dumps({**body, "objector_name": "孙某"}), content_type="application/json")
        assert r.status_code == 422 and r.json()["field"] == "objector_id_number"
        body.update(objector_name="孙某", objector_id_number=OUTSIDER_ID, objector_phone="13800000009")
        r = c.post(url, json.dumps(body), content_type="application/json")
        assert r.status_code == 201, r.content
        # The counter page: no party chosen, the interested person's fields.
        page = c.post(
            reverse("objections_case", args=[case.pk]),
            {
                "kind": "act",
                "act": f"freeze:{account.pk}",
                "party_id": "",
                "interested_name": "周某",
                "interested_id_number": OUTSIDER_ID,
                "interested_claim": "",
                "grounds": "损害权益",
            },
        )
        assert page.status_code == 400 and "主张的利害关系" in page.content.decode()
    o = Objection.objects.get()
    assert (o.objector_party_id, o.objector_name, o.claim, o.kind) == (None, "孙某", "代收运费", "act")
    names = "、".join(case.parties.order_by("pk").values_list("name", flat=True))
    assert o.notice_method == f"已电子通知：短信1人；未能电子通知：{names}"
    assert o.notified_on is None  # the parties still have to be told
    assert AuditRecord.objects.get(action="objections.file").after["interested"] is True


USERS = ["clerk", "judge", "bailiff", "director", "president", "gz_director", "yx_director", "anon"]


class Rollback(Exception):
    pass


def test_notice_action_and_api_permission_matrix(people: dict[str, Any]) -> None:
    #            clerk judge bailiff director president gz_dir yx_dir anon
    page_expected = [302, 302, 403, 302, 403, 403, 404, "L"]
    api_expected = [200, 200, 403, 200, 403, 403, 404, 401]
    got_page, got_api = [], []
    with at(date(2026, 9, 21)):
        for who in USERS:
            for got, api in ((got_page, False), (got_api, True)):
                c = Client()
                if who != "anon":
                    c.force_login(people[who])
                try:
                    with transaction.atomic():
                        o = _file(people, _freeze(people, False))
                        if api:
                            r = c.post(
                                f"/api/v1/objections/{o.pk}/notice",
                                json.dumps({"notified_on": "2026-09-21", "method": "电话通知"}),
                                content_type="application/json",
                            )
                        else:
                            r = c.post(
                                reverse("objection_act", args=[o.pk, "notice"]),
                                {"notified_on": "2026-09-21", "notice_method": "电话通知"},
                            )
                        login = r.status_code == 302 and "/login/" in r["Location"]
                        got.append("L" if login else r.status_code)
                        o.refresh_from_db()
                        assert (o.notified_on is not None) == (r.status_code in (200, 302) and not login)
                        raise Rollback
                except Rollback:
                    pass
    assert (got_page, got_api) == (page_expected, api_expected)


def test_review_page_in_the_menu_for_judges_and_supervisors_only(people: dict[str, Any]) -> None:
    def has(who: str) -> bool:
        return any(e.url == reverse("objections_reviews") for s in menu_for(people[who]) for e in s.items)

    assert [has(w) for w in ("clerk", "judge", "bailiff", "director", "gz_director")] == [
        False,
        True,
        False,
        True,
        True,
    ]


def test_command_center_objection_metrics() -> None:
    counts = {"filed": 5, "act_filed": 2, "decided": 4, "upheld": 1, "decided_in_time": 3}
    counts["days_to_decide"] = 46
    start, end, cfg = date(2026, 9, 1), date(2026, 9, 30), mr.MetricConfig()
    by = {r.code: r for r in mr.court_metrics([], start, end, cfg, None, None, counts)}
    assert (by["objection_in_time"].numerator, by["objection_in_time"].denominator) == (3, 4)
    assert by["objection_in_time"].value == Decimal("75.00")
    assert (by["objection_days"].value, by["objection_days"].unit) == (Decimal("11.50"), "天")
    missing = {r.code: r.state for r in mr.court_metrics([], start, end, cfg)}
    assert (missing["objection_in_time"], missing["objection_days"]) == ("missing", "missing")
    empty = dict(counts, decided=0, decided_in_time=0, days_to_decide=0)
    assert mr.objection_days(empty).state == "empty"
