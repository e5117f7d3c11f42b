"""Correction applications and their 复议 (失信规定 Arts 11–12, rules.md §3.3).

Frozen time. The enforcing court reviews within 15 days and corrects within 3 working days; a rejected
applicant asks the next-higher court within 10 days, which decides within 15 days (a period ending on a
rest day runs to the next working day). Overdue periods are red and counted in the deciding court's
worklist.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests import factories
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.core.workdays import WorkCalendar
from zhixing.credit import queries_correction, rules, services, worklist
from zhixing.credit.models import Correction, Listing

TZ = ZoneInfo("Asia/Shanghai")
NEW_ID = factories.make_id(date(1980, 5, 6), seq=113)
BAD_ID = NEW_ID[:-1] + ("1" if NEW_ID[-1] != "1" else "2")


@contextmanager
def on(y: int, m: int, d: int) -> Iterator[None]:
    with time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False):
        yield


def fresh(c: Correction) -> Correction:
    return Correction.objects.select_related("listing__court").get(pk=c.pk)


def filed(
    listed: Listing, people: dict, ground: str = "inaccurate", on_day: date = date(2026, 3, 10)
) -> Correction:
    return services.file_correction(
        people["judge"], listed, ground=ground, detail="申请内容", received_on=on_day
    )


def rejected(listed: Listing, people: dict, ground: str = "inaccurate") -> Correction:
    c = filed(listed, people, ground)
    return services.decide_correction(people["judge"], c, upheld=False, served_on=date(2026, 3, 10))


# -- pure rules ---------------------------------------------------------------------------------------


def test_higher_review_due_counts_calendar_days_and_rolls_over_rest_days() -> None:
    cal = WorkCalendar()
    assert rules.correction_higher_review_due(date(2026, 3, 10), cal) == date(2026, 3, 25)  # Wednesday
    assert rules.correction_higher_review_due(date(2026, 3, 13), cal) == date(2026, 3, 30)  # Sat 28 → Mon
    assert rules.correction_higher_review_due(date(2026, 9, 22), cal) == date(2026, 10, 8)  # National Day
    assert rules.correction_review_due(date(2026, 3, 10), cal) == date(2026, 3, 25)
    assert rules.reconsideration_due(date(2026, 3, 26), cal) == date(2026, 4, 7)  # Qingming 4–6 April


def test_overdue_names_the_period_that_ran_out() -> None:
    d = date(2026, 3, 25)
    assert rules.correction_overdue("pending", d, None, None, date(2026, 3, 25)) == ""
    assert rules.correction_overdue("pending", d, None, None, date(2026, 3, 26)) == "review"
    assert rules.correction_overdue("upheld", d, date(2026, 3, 13), None, date(2026, 3, 14)) == "fix"
    assert rules.correction_overdue("upheld", d, date(2026, 3, 13), None, date(2026, 3, 13)) == ""
    assert rules.correction_overdue("reconsidering", d, None, d, date(2026, 3, 26)) == "higher"
    assert rules.correction_overdue("rejected", d, None, d, date(2026, 4, 30)) == ""
    assert rules.correction_overdue("corrected", d, d, d, date(2026, 4, 30)) == ""


# -- the timeline ------------------------------------------------------------------------------------


def test_review_period_overdue_red_and_in_the_enforcing_courts_worklist(
    listed: Listing, people: dict
) -> None:
    c = filed(listed, people)
    assert c.review_due == date(2026, 3, 25)
    th = listed.court_id
    with on(2026, 3, 25):
        assert queries_correction.counts(th) == (1, 0)
        assert queries_correction.overdue(fresh(c), date(2026, 3, 25)) == ""
    with on(2026, 3, 26):
        assert queries_correction.counts(th) == (1, 1)
        items = worklist.items(people["judge"])
        assert [(i.key, i.count, i.urgent) for i in items] == [
            ("corrections", 1, True),
            ("corrections_overdue", 1, True),
        ]
    assert worklist.items(people["clerk"]) == []  # no credit decisions, nothing to decide


def test_higher_court_timeline_revocation_then_every_item_corrected(listed: Listing, people: dict) -> None:
    gz = people["gz_director"]
    c = rejected(listed, people)
    assert c.reconsideration_due == date(2026, 3, 20)
    with on(2026, 3, 13):
        c = services.file_correction_reconsideration(gz, fresh(c), filed_on=date(2026, 3, 13))
    assert c.status == "reconsidering" and c.review_court_id == gz.court_id
    assert c.higher_review_due == date(2026, 3, 30)
    assert queries_correction.counts(gz.court_id) == (1, 0)
    with on(2026, 3, 31):
        assert queries_correction.counts(gz.court_id) == (1, 1)
        assert queries_correction.counts(listed.court_id) == (0, 0)  # the higher court's to decide
        assert [i.urgent for i in worklist.items(gz)] == [True, True]
        c = services.decide_correction_reconsideration(gz, fresh(c), result="revoked")
    assert (c.status, c.higher_result, c.higher_decided_on) == ("upheld", "revoked", date(2026, 3, 31))
    assert c.fix_due == date(2026, 4, 3)  # 3 working days
    with on(2026, 4, 1):
        n = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        services.apply_correction(
            people["judge"],
            fresh(c),
            changes={
                "name": "張三豐",
                "age": "46",
                "subject_key": NEW_ID,
                "performance": "部分履行",
                "sex": "",
            },
        )
    x = Listing.objects.get(pk=listed.pk)
    assert (x.name, x.name_key, x.age, x.subject_key, x.performance) == (
        "張三豐",
        "张三丰",
        46,
        NEW_ID,
        "部分履行",
    )
    assert x.name_pinyin == "zhangsanfeng" and x.status == "active"
    assert fresh(c).status == "corrected" and fresh(c).fixed_on == date(2026, 4, 1)
    rec = AuditRecord.objects.filter(pk__gt=n, action="credit.correction_apply").get()
    assert rec.before["subject_key"] and rec.after["subject_key"] == NEW_ID
    actions = list(AuditRecord.objects.filter(object_type="Correction").values_list("action", flat=True))
    assert "credit.correction_reconsideration" in actions and "credit.correction_review" in actions


def test_higher_court_upholds_the_rejection(listed: Listing, people: dict) -> None:
    gz = people["gz_director"]
    c = services.file_correction_reconsideration(gz, rejected(listed, people), filed_on=date(2026, 3, 10))
    c = services.decide_correction_reconsideration(gz, c, result="upheld", decided_on=date(2026, 3, 10))
    assert (c.status, c.higher_result, c.fix_due) == ("rejected", "upheld", None)
    with pytest.raises(Conflict):  # one 复议 only
        services.file_correction_reconsideration(gz, fresh(c), filed_on=date(2026, 3, 10))


def test_late_reconsideration_refused_and_nothing_changes(listed: Listing, people: dict) -> None:
    c = rejected(listed, people)
    with on(2026, 3, 23), pytest.raises(ServiceError, match="10日复议期限"):
        services.file_correction_reconsideration(people["gz_director"], c, filed_on=date(2026, 3, 21))
    assert fresh(c).status == "rejected" and fresh(c).higher_review_due is None


def test_should_not_list_revokes_and_should_delete_removes(listed_open: Listing, people: dict) -> None:
    listed = listed_open  # an Art 10(1) trigger deletes only a listing without a term (Art 10(2))
    c = services.decide_correction(people["judge"], filed(listed, people, "should_delete"), upheld=True)
    with pytest.raises(ServiceError) as e:
        services.apply_correction(people["judge"], c, trigger="expired")
    assert e.value.field == "trigger" and Listing.objects.get(pk=listed.pk).status == "active"
    services.apply_correction(people["judge"], fresh(c), trigger="performed")
    x = Listing.objects.get(pk=listed.pk)
    assert (x.status, x.removal_trigger) == ("removed", "performed")


def test_should_not_list_revokes(listed: Listing, people: dict) -> None:
    c = services.decide_correction(people["judge"], filed(listed, people, "should_not_list"), upheld=True)
    services.apply_correction(people["judge"], c)
    x = Listing.objects.get(pk=listed.pk)
    assert (x.status, x.removal_trigger) == ("revoked", "wrongful")
    assert fresh(c).status == "corrected"


def test_inaccurate_needs_a_real_change_and_a_valid_id(listed: Listing, people: dict) -> None:
    c = services.decide_correction(people["judge"], filed(listed, people), upheld=True)
    with pytest.raises(ServiceError, match="需要更正"):
        services.apply_correction(people["judge"], c, changes={"name": listed.name})
    with pytest.raises(ServiceError) as e:
        services.apply_correction(people["judge"], c, changes={"subject_key": BAD_ID})
    assert e.value.field == "subject_key"
    with pytest.raises(ServiceError):
        services.apply_correction(people["judge"], c, changes={"court": "x"})
    assert fresh(c).status == "upheld"


# -- who may do what ---------------------------------------------------------------------------------


def test_service_permissions(listed: Listing, people: dict) -> None:
    c = rejected(listed, people)
    for who in ("judge", "gd_president", "yx_director", "clerk"):  # only the next-higher court
        with pytest.raises(NotPermitted):
            services.file_correction_reconsideration(people[who], c, filed_on=date(2026, 3, 10))
    c = services.file_correction_reconsideration(people["gz_director"], c, filed_on=date(2026, 3, 10))
    with pytest.raises(NotPermitted):
        services.decide_correction_reconsideration(people["judge"], c, result="revoked")
    c2 = filed(listed, people, "should_not_list")
    with pytest.raises(NotPermitted):
        services.decide_correction(people["gz_director"], c2, upheld=True)
    c2 = services.decide_correction(people["judge"], c2, upheld=True)
    with pytest.raises(NotPermitted):
        services.apply_correction(people["gz_director"], c2)


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        (None, 302, 302),
        ("yx_judge", 200, 404),  # a sibling court: not in its list, not found
        ("ft_director", 200, 404),
        ("clerk", 200, 403),  # reads, may not decide
        ("gz_director", 200, 403),  # the higher court reads; the first review is the enforcing court's
        ("judge", 200, 302),
    ],
)
def test_page_permission_matrix(
    client: Client, listed: Listing, people: dict, who: str | None, get: int, post: int
) -> None:
    c = filed(listed, people)
    if who:
        client.force_login(people[who])
    r = client.get("/credit/corrections/")
    assert r.status_code == get
    if get == 200:
        assert (listed.case.number in r.content.decode()) == (who not in ("yx_judge", "ft_director"))
    r = client.post(f"/credit/corrections/{c.pk}/decide/", {"upheld": "yes"})
    assert r.status_code == post
    assert fresh(c).status == ("upheld" if who == "judge" else "pending")


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("yx_judge", 404), ("clerk", 403), ("judge", 403), ("gz_director", 200)],
)
def test_api_review_permission_matrix(
    client: Client, listed: Listing, people: dict, who: str | None, status: int
) -> None:
    c = services.file_correction_reconsideration(
        people["gz_director"], rejected(listed, people), filed_on=date(2026, 3, 10)
    )
    if who:
        client.force_login(people[who])
    r = client.post(
        f"/api/v1/credit/corrections/{c.pk}/review", {"result": "upheld"}, content_type="application/json"
    )
    assert r.status_code == status
    assert fresh(c).status == ("rejected" if status == 200 else "reconsidering")


def test_api_flow(client: Client, listed: Listing, people: dict) -> None:
    client.force_login(people["judge"])
    r = client.post(
        f"/api/v1/credit/listings/{listed.pk}/corrections",
        {"ground": "inaccurate", "detail": "失信行为有误", "received_on": "2026-03-09"},
        content_type="application/json",
    )
    assert r.status_code == 201
    body = r.json()
    assert (body["status"], body["review_due"], body["overdue"]) == ("pending", "2026-03-24", "")
    cid = body["id"]
    with on(2026, 3, 25):
        client.force_login(people["judge"])
        assert [x["overdue"] for x in client.get("/api/v1/credit/corrections?overdue=true").json()] == [
            "review"
        ]
    r = client.post(
        f"/api/v1/credit/corrections/{cid}/decide", {"upheld": True}, content_type="application/json"
    )
    assert r.json()["fix_due"] == "2026-03-13"
    r = client.post(
        f"/api/v1/credit/corrections/{cid}/apply",
        {"changes": {"dishonest_act": "违反财产报告制度"}},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "corrected"
    assert Listing.objects.get(pk=listed.pk).dishonest_act == "违反财产报告制度"
    client.force_login(people["yx_judge"])
    assert client.get(f"/api/v1/credit/corrections/{cid}").status_code == 404
    r = client.post(
        f"/api/v1/credit/listings/{listed.pk}/corrections",
        {"ground": "inaccurate", "detail": "x", "received_on": "2026-03-09"},
        content_type="application/json",
    )
    assert r.status_code == 404


# -- the web walk: apply → overdue shows red → decide --------------------------------------------------


def test_web_walk_apply_overdue_red_then_decide(client: Client, listed: Listing, people: dict) -> None:
    client.force_login(people["judge"])
    r = client.post(
        f"/cases/{listed.case_id}/credit/correction/",
        {"listing": listed.pk, "ground": "inaccurate", "detail": "年龄有误", "received_on": "2026-03-10"},
    )
    assert r.status_code == 302
    c = Correction.objects.get(listing=listed)
    page = client.get("/credit/corrections/").content.decode()
    assert 'data-overdue="0"' in page and "correction-overdue" not in page
    with on(2026, 3, 26):
        client.force_login(people["judge"])  # a session does not outlive the jump in time
        page = client.get("/credit/corrections/").content.decode()
        assert 'data-overdue="1"' in page and "执行法院已超过15日未审查" in page
        assert 'class="badge red" data-testid="correction-overdue"' in page
        case_page = client.get(f"/cases/{listed.case_id}/credit/").content.decode()
        assert 'data-testid="correction-overdue"' in case_page
        home_items = worklist.items(people["judge"])
        assert home_items[1].count == 1 and home_items[1].url == "/credit/corrections/?overdue=1"
        r = client.post(f"/credit/corrections/{c.pk}/decide/", {"upheld": "no", "served_on": "2026-03-26"})
        assert r.status_code == 302
        page = client.get("/credit/corrections/").content.decode()
        assert "correction-overdue" not in page and "复议申请截止2026-04-07" in page
    with on(2026, 3, 27):
        client.force_login(people["gz_director"])
        client.post(f"/credit/corrections/{c.pk}/reconsideration/", {"filed_on": "2026-03-27"})
        assert fresh(c).higher_review_due == date(2026, 4, 13)
    with on(2026, 4, 14):
        client.force_login(people["gz_director"])
        page = client.get("/credit/corrections/").content.decode()
        assert "上一级法院已超过15日未作复议决定" in page and 'data-testid="review-form"' in page
        client.post(f"/credit/corrections/{c.pk}/review/", {"result": "revoked", "decided_on": "2026-04-14"})
    assert fresh(c).status == "upheld"
    with on(2026, 4, 15):
        client.force_login(people["judge"])
        r = client.post(f"/credit/corrections/{c.pk}/apply/", {"age": "47"})
    assert r.status_code == 302 and Listing.objects.get(pk=listed.pk).age == 47
    assert fresh(c).status == "corrected"
