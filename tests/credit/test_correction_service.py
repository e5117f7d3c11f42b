"""Service of a correction's rejection (失信规定 Art 12; CPL-2021 Arts 87–95), issue 14 items 6 and 10.

Frozen time (the credit conftest freezes 2026-03-10, a Tuesday). The applicant asks the next-higher court
for 复议 within 10 days of *service* of the rejection: until service is recorded no period runs (the row
says so and stays on the enforcing court's worklist); service by publication takes effect 30 days after
it was published; a period ending on a rest day runs to the next working day. The case page no longer
carries the former decide/correct forms (they corrected only the dishonest act, whatever the ground).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.credit import queries_correction, services
from zhixing.credit.models import Correction, Listing

TZ = ZoneInfo("Asia/Shanghai")
SERVICE_FIELDS = ("status", "service_method", "service_act_on", "served_on", "reconsideration_due")


@contextmanager
def on(y: int, m: int, d: int) -> Iterator[None]:
    with time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False):
        yield


def fresh(c: Correction) -> Correction:
    return Correction.objects.select_related("listing__court").get(pk=c.pk)


def state(c: Correction) -> tuple[Any, ...]:
    c = fresh(c)
    return tuple(getattr(c, f) for f in SERVICE_FIELDS)


def rejected_unserved(listed: Listing, people: dict) -> Correction:
    c = services.file_correction(
        people["judge"], listed, ground="inaccurate", detail="年龄有误", received_on=date(2026, 3, 10)
    )
    return services.decide_correction(people["judge"], c, upheld=False)


def test_a_rejection_not_yet_served_starts_no_period_and_waits_on_the_worklist(
    listed: Listing, people: dict
) -> None:
    c = rejected_unserved(listed, people)
    assert state(c) == ("rejected", "", None, None, None)
    th = listed.court_id
    assert queries_correction.counts(th) == (1, 0)  # the enforcing court must record service
    with on(2026, 6, 30):  # months later: still open, still no 复议 period, never "overdue"
        rows = queries_correction.rows(people["judge"])
        assert [(r.c.pk, r.overdue) for r in rows] == [(c.pk, "")]
        # The higher court may still record a 复议 received before service was recorded: no period ran.
        c2 = services.file_correction_reconsideration(
            people["gz_director"], fresh(c), filed_on=date(2026, 6, 30)
        )
    assert (c2.status, c2.higher_review_due) == ("reconsidering", date(2026, 7, 15))


def test_personal_service_dates_the_ten_days_rolling_past_the_weekend(listed: Listing, people: dict) -> None:
    c = rejected_unserved(listed, people)
    with on(2026, 3, 12):
        n = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        c = services.record_correction_service(
            people["judge"], fresh(c), method="personal", on=date(2026, 3, 12)
        )
    # Thursday 12 March + 10 days = Sunday 22 March → Monday 23 March (CPL-2021 Art 85).
    assert state(c) == ("rejected", "personal", date(2026, 3, 12), date(2026, 3, 12), date(2026, 3, 23))
    rec = AuditRecord.objects.filter(pk__gt=n).get()
    assert (rec.action, rec.object_type, rec.object_id, rec.case_id) == (
        "credit.correction_served",
        "Correction",
        str(c.pk),
        listed.case_id,
    )
    assert rec.after == {
        "method": "personal",
        "on": "2026-03-12",
        "served_on": "2026-03-12",
        "reconsideration_due": "2026-03-23",
    }
    assert queries_correction.counts(listed.court_id) == (0, 0)  # nothing left for the enforcing court
    with on(2026, 3, 23):
        services.file_correction_reconsideration(people["gz_director"], fresh(c), filed_on=date(2026, 3, 23))
    assert fresh(c).status == "reconsidering"


def test_service_by_publication_counts_from_the_thirtieth_day(listed: Listing, people: dict) -> None:
    c = rejected_unserved(listed, people)
    c = services.record_correction_service(people["judge"], c, method="publication", on=date(2026, 3, 10))
    # Published 10 March → deemed served 9 April (CPL-2021 Art 95) → + 10 = Sunday 19 April → Monday 20.
    assert state(c) == ("rejected", "publication", date(2026, 3, 10), date(2026, 4, 9), date(2026, 4, 20))
    with on(2026, 4, 21):
        rows = queries_correction.rows(people["judge"])
        assert rows == []  # the period ran out unused: no longer open
        with pytest.raises(ServiceError, match="截止2026-04-20") as err:
            services.file_correction_reconsideration(
                people["gz_director"], fresh(c), filed_on=date(2026, 4, 21)
            )
    assert err.value.field == "filed_on" and fresh(c).status == "rejected"
    with on(2026, 4, 20):
        assert [r.c.pk for r in queries_correction.rows(people["judge"])] == [c.pk]
        services.file_correction_reconsideration(people["gz_director"], fresh(c), filed_on=date(2026, 4, 20))
    assert fresh(c).higher_review_due == date(2026, 5, 6)  # 20 April + 15 = 5 May (Labour Day) → 6 May


def test_service_recorded_with_the_decision(listed: Listing, people: dict) -> None:
    c = services.file_correction(
        people["judge"], listed, ground="should_delete", detail="已履行", received_on=date(2026, 3, 10)
    )
    c = services.decide_correction(
        people["judge"], c, upheld=False, served_on=date(2026, 3, 10), method="electronic"
    )
    assert state(c) == ("rejected", "electronic", date(2026, 3, 10), date(2026, 3, 10), date(2026, 3, 20))
    with pytest.raises(Conflict, match="已登记"):
        services.record_correction_service(people["judge"], c, method="personal", on=date(2026, 3, 10))


@pytest.mark.parametrize(
    ("method", "served", "field"),
    [
        ("", date(2026, 3, 10), "method"),
        ("fax", date(2026, 3, 10), "method"),
        ("personal", None, "served_on"),
        ("personal", date(2026, 3, 11), "served_on"),  # after today
        ("personal", date(2026, 3, 9), "served_on"),  # before the rejection was decided
    ],
)
def test_bad_service_is_refused_naming_the_field_and_nothing_changes(
    listed: Listing, people: dict, method: str, served: date | None, field: str
) -> None:
    c = rejected_unserved(listed, people)
    n = AuditRecord.objects.count()
    with pytest.raises(ServiceError) as err:
        services.record_correction_service(people["judge"], c, method=method, on=served)
    assert err.value.field == field
    assert state(c) == ("rejected", "", None, None, None) and AuditRecord.objects.count() == n
    # The same check when the service comes with the decision: nothing decided either.
    c2 = services.file_correction(
        people["judge"], listed, ground="inaccurate", detail="性别有误", received_on=date(2026, 3, 10)
    )
    if served is not None:
        with pytest.raises(ServiceError) as err:
            services.decide_correction(people["judge"], c2, upheld=False, served_on=served, method=method)
        assert err.value.field == field and fresh(c2).status == "pending"


def test_only_an_unserved_rejection_of_the_users_own_court_is_served(listed: Listing, people: dict) -> None:
    pending = services.file_correction(
        people["judge"], listed, ground="inaccurate", detail="年龄有误", received_on=date(2026, 3, 10)
    )
    with pytest.raises(Conflict):
        services.record_correction_service(people["judge"], pending, method="personal", on=date(2026, 3, 10))
    upheld = services.decide_correction(people["judge"], pending, upheld=True)
    with pytest.raises(Conflict):
        services.record_correction_service(people["judge"], upheld, method="personal", on=date(2026, 3, 10))
    c = rejected_unserved(listed, people)
    for who in ("gz_director", "yx_judge", "clerk"):  # the higher court, a sibling court, a clerk
        with pytest.raises(NotPermitted):
            services.record_correction_service(people[who], c, method="personal", on=date(2026, 3, 10))
    assert state(c) == ("rejected", "", None, None, None)


def test_web_walk_reject_then_serve_by_publication(client: Client, listed: Listing, people: dict) -> None:
    c = services.file_correction(
        people["judge"], listed, ground="inaccurate", detail="年龄有误", received_on=date(2026, 3, 10)
    )
    client.force_login(people["judge"])
    r = client.post(
        f"/credit/corrections/{c.pk}/decide/", {"upheld": "no", "method": "personal"}, follow=True
    )
    assert "已驳回纠正申请；驳回决定送达后请登记送达" in r.content.decode()
    page = client.get("/credit/corrections/").content.decode()
    assert 'data-testid="correction-unserved"' in page and "复议期限尚未起算" in page
    assert 'data-testid="served-form"' in page and "复议申请截止" not in page
    case_page = client.get(f"/cases/{listed.case_id}/credit/").content.decode()
    assert 'data-testid="correction-unserved"' in case_page
    r = client.post(
        f"/credit/corrections/{c.pk}/served/",
        {"method": "publication", "served_on": "2026-03-32"},
        follow=True,
    )
    assert "日期应为YYYY-MM-DD格式" in r.content.decode() and fresh(c).served_on is None
    r = client.post(
        f"/credit/corrections/{c.pk}/served/",
        {"method": "publication", "served_on": "2026-03-10"},
        follow=True,
    )
    assert (
        "2026-04-09视为送达" in r.content.decode()
        and "2026-04-20前向上一级法院申请复议" in r.content.decode()
    )
    page = client.get("/credit/corrections/").content.decode()
    assert "驳回决定公告送达2026-03-10，2026-04-09视为送达" in page and "复议申请截止2026-04-20" in page
    assert 'data-testid="served-form"' not in page and 'data-testid="correction-unserved"' not in page
    client.force_login(people["gz_director"])  # the higher court may not record the enforcing court's service
    c2 = rejected_unserved(listed, people)
    assert client.post(f"/credit/corrections/{c2.pk}/served/", {"method": "personal"}).status_code == 403
    client.force_login(people["yx_judge"])
    assert client.post(f"/credit/corrections/{c2.pk}/served/", {"method": "personal"}).status_code == 404
    assert fresh(c2).served_on is None


def test_the_case_page_keeps_no_former_correction_path(client: Client, listed: Listing, people: dict) -> None:
    c = services.file_correction(
        people["judge"], listed, ground="should_not_list", detail="不应纳入", received_on=date(2026, 3, 10)
    )
    c = services.decide_correction(people["judge"], c, upheld=True)
    client.force_login(people["judge"])
    page = client.get(f"/cases/{listed.case_id}/credit/").content.decode()
    assert "/credit/decide_correction/" not in page and "/credit/correct/" not in page
    assert f"/credit/corrections/#correction-{c.pk}" in page
    r = client.post(
        f"/cases/{listed.case_id}/credit/correct/", {"correction": c.pk, "dishonest_act": "改写"}, follow=True
    )
    assert "未知的操作" in r.content.decode()
    # An upheld "should not be listed" is carried out only as a revocation, never as an edited act.
    assert fresh(c).status == "upheld" and Listing.objects.get(pk=listed.pk).status == "active"


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("yx_judge", 404), ("clerk", 403), ("gz_director", 403), ("judge", 200)],
)
def test_api_served_permission_matrix(
    client: Client, listed: Listing, people: dict, who: str | None, status: int
) -> None:
    c = rejected_unserved(listed, people)
    if who:
        client.force_login(people[who])
    r = client.post(
        f"/api/v1/credit/corrections/{c.pk}/served",
        {"method": "post", "on": "2026-03-10"},
        content_type="application/json",
    )
    assert r.status_code == status
    expected = ("post", date(2026, 3, 20)) if status == 200 else ("", None)
    assert (fresh(c).service_method, fresh(c).reconsideration_due) == expected


def test_api_flow_reject_then_serve(client: Client, listed: Listing, people: dict) -> None:
    client.force_login(people["judge"])
    c = services.file_correction(
        people["judge"], listed, ground="inaccurate", detail="年龄有误", received_on=date(2026, 3, 10)
    )
    body = client.post(
        f"/api/v1/credit/corrections/{c.pk}/decide", {"upheld": False}, content_type="application/json"
    ).json()
    assert (body["status"], body["service_method"], body["served_on"], body["reconsideration_due"]) == (
        "rejected",
        "",
        None,
        None,
    )
    r = client.post(
        f"/api/v1/credit/corrections/{c.pk}/served",
        {"method": "fax", "on": "2026-03-10"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "method"
    with on(2026, 3, 13):
        client.force_login(people["judge"])
        body = client.post(
            f"/api/v1/credit/corrections/{c.pk}/served",
            {"method": "residence", "on": "2026-03-13"},
            content_type="application/json",
        ).json()
    assert (
        body["service_method"],
        body["service_act_on"],
        body["served_on"],
        body["reconsideration_due"],
    ) == (
        "residence",
        "2026-03-13",
        "2026-03-13",
        "2026-03-23",  # Monday 23 March: 10 days, no rest day at the end
    )
    r = client.post(
        f"/api/v1/credit/corrections/{c.pk}/served",
        {"method": "post", "on": "2026-03-10"},
        content_type="application/json",
    )
    assert r.status_code == 409 and fresh(c).service_method == "residence"
