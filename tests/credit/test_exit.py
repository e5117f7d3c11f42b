"""Exit restriction (限制出境, rules.md §3.5): the 10-day 复议 period, the higher court's 15 days, lifting.

Frozen time; the 2026 National Day holiday moves a period's last day (CPL-2021 Art 85).
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
from zhixing.core.workdays import WorkCalendar
from zhixing.credit import queries, rules, services
from zhixing.credit.models import Restriction
from zhixing.credit.rules import CODE_BITS

from .conftest import ADULT_ID, debtor

TZ = ZoneInfo("Asia/Shanghai")


@contextmanager
def on(y: int, m: int, d: int) -> Iterator[None]:
    with time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def exit_r(case: Any, people: dict) -> Restriction:
    return services.restrict_exit(
        people["judge"], case, debtor(case), initiation="application", bound_persons=[]
    )[0]


def fresh(r: Restriction) -> Restriction:
    return Restriction.objects.get(pk=r.pk)


def test_rules_roll_a_period_ending_on_a_holiday() -> None:
    cal = WorkCalendar()
    assert rules.exit_reconsideration_due(date(2026, 3, 10), cal) == date(2026, 3, 20)  # Friday
    assert rules.exit_reconsideration_due(date(2026, 3, 11), cal) == date(2026, 3, 23)  # Sat → Monday
    assert rules.exit_reconsideration_due(date(2026, 9, 21), cal) == date(2026, 10, 8)  # National Day
    assert rules.exit_review_due(date(2026, 9, 22), cal) == date(2026, 10, 8)
    assert rules.exit_review_due(date(2026, 3, 10), cal) == date(2026, 3, 25)


def test_reconsideration_timeline_and_red_when_the_higher_court_is_late(
    client: Client, exit_r: Restriction, people: dict
) -> None:
    judge = people["judge"]
    with on(2026, 9, 21):
        r = services.record_exit_service(judge, exit_r, served_on=date(2026, 9, 21))
        assert r.reconsideration_due == date(2026, 10, 8)
    with on(2026, 10, 8):  # the last day, after the holiday: still in time
        r = services.file_exit_reconsideration(judge, exit_r, filed_on=date(2026, 10, 8))
        assert r.review_due == date(2026, 10, 23) and r.status == "active"  # 复议 does not suspend
    with on(2026, 10, 23):
        rows = queries.supervision_rows(people["director"])["exit_reviews"]
        assert rows == [(fresh(exit_r), False)]
    with on(2026, 10, 26):
        rows = queries.supervision_rows(people["director"])["exit_reviews"]
        assert rows == [(fresh(exit_r), True)]
        client.force_login(people["director"])
        page = client.get("/credit/supervision/").content.decode()
        assert 'data-testid="exit-review-overdue"' in page and "2026-10-23" in page
        client.force_login(judge)
        page = client.get(f"/cases/{exit_r.case_id}/credit/").content.decode()
        assert 'data-testid="exit-overdue"' in page and "复议已超期未审结" in page
        r = services.decide_exit_reconsideration(
            judge, exit_r, result="upheld", decided_on=date(2026, 10, 26)
        )
        assert (r.review_result, r.status) == ("upheld", "active")
        assert queries.supervision_rows(people["director"])["exit_reviews"] == []
    assert queries.current_index().mask_of(ADULT_ID) == CODE_BITS["exit"]


def test_revocation_on_reconsideration_lifts_the_restriction(exit_r: Restriction, people: dict) -> None:
    judge = people["judge"]
    services.record_exit_service(judge, exit_r, served_on=date(2026, 3, 10))
    services.file_exit_reconsideration(judge, exit_r, filed_on=date(2026, 3, 10))
    r = services.decide_exit_reconsideration(judge, exit_r, result="revoked", decided_on=date(2026, 3, 10))
    assert (r.status, r.lift_trigger, r.lifted_on) == ("lifted", "reconsideration", date(2026, 3, 10))
    assert queries.current_index().mask_of(ADULT_ID) == 0
    with pytest.raises(Conflict):
        services.decide_exit_reconsideration(judge, exit_r, result="upheld", decided_on=date(2026, 3, 10))


def test_late_reconsideration_is_refused_and_changes_nothing(exit_r: Restriction, people: dict) -> None:
    judge = people["judge"]
    services.record_exit_service(judge, exit_r, served_on=date(2026, 3, 10))
    with on(2026, 3, 23):
        with pytest.raises(ServiceError) as e:
            services.file_exit_reconsideration(judge, exit_r, filed_on=date(2026, 3, 21))
        assert e.value.field == "filed_on" and "2026-03-20" in e.value.message
    r = fresh(exit_r)
    assert (r.reconsideration_filed_on, r.review_due) == (None, None)


@pytest.mark.parametrize(
    ("step", "kwargs", "field"),
    [
        ("served", {"served_on": None}, "served_on"),
        ("served", {"served_on": date(2026, 3, 11)}, "served_on"),  # tomorrow
        ("served", {"served_on": date(2026, 3, 9)}, "served_on"),  # before the decision
        ("filed", {"filed_on": date(2026, 3, 10)}, "served_on"),  # not served yet
        ("review", {"result": "upheld", "decided_on": date(2026, 3, 10)}, "filed_on"),
        ("review", {"result": "maybe", "decided_on": date(2026, 3, 10)}, "result"),
    ],
)
def test_bad_steps_change_nothing(
    exit_r: Restriction, people: dict, step: str, kwargs: dict, field: str
) -> None:
    fn = {
        "served": services.record_exit_service,
        "filed": services.file_exit_reconsideration,
        "review": services.decide_exit_reconsideration,
    }[step]
    with pytest.raises(ServiceError) as e:
        fn(people["judge"], exit_r, **kwargs)
    assert e.value.field == field
    r = fresh(exit_r)
    assert (r.served_on, r.reconsideration_filed_on, r.review_result) == (None, None, "")


def test_only_exit_restrictions_have_reconsideration(listed: Any, people: dict) -> None:
    consumption = Restriction.objects.get(listing=listed)
    with pytest.raises(ServiceError) as e:
        services.record_exit_service(people["judge"], consumption, served_on=date(2026, 3, 10))
    assert e.value.field == "restriction"
    with pytest.raises(NotPermitted):
        services.record_exit_service(people["clerk"], consumption, served_on=date(2026, 3, 10))


@pytest.mark.parametrize("trigger", ["listing_removed", "personnel_change"])
def test_exit_lifting_rules(exit_r: Restriction, people: dict, trigger: str) -> None:
    # 执行程序解释 Art 25: performance (must), guarantee or applicant's consent (may), or 复议 revocation.
    with pytest.raises(ServiceError) as e:
        services.lift_restriction(people["judge"], exit_r, trigger=trigger)
    assert e.value.field == "trigger" and fresh(exit_r).status == "active"
    r = services.lift_restriction(people["judge"], exit_r, trigger="applicant_consent")
    assert r.status == "lifted" and queries.current_index().mask_of(ADULT_ID) == 0


def test_consumption_restriction_cannot_be_lifted_as_reconsideration(listed: Any, people: dict) -> None:
    consumption = Restriction.objects.get(listing=listed)
    with pytest.raises(ServiceError):
        services.lift_restriction(people["judge"], consumption, trigger="reconsideration")


def test_exit_steps_through_the_page_and_api(client: Client, exit_r: Restriction, people: dict) -> None:
    client.force_login(people["judge"])
    base = f"/cases/{exit_r.case_id}/credit"
    page = client.get(f"{base}/").content.decode()
    assert "决定书未登记送达" in page
    r = client.post(
        f"{base}/exit_served/", {"restriction": exit_r.pk, "served_on": "2026-03-10"}, follow=True
    )
    assert "复议申请截止2026-03-20" in r.content.decode()
    api = f"/api/v1/credit/restrictions/{exit_r.pk}"
    r = client.post(f"{api}/reconsideration", {"filed_on": "2026-03-10"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["review_due"] == "2026-03-25"
    r = client.post(
        f"{api}/review", {"result": "revoked", "decided_on": "2026-03-10"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "lifted"
    client.force_login(people["gz_director"])  # the higher court reads but does not write
    r = client.post(f"{api}/served", {"served_on": "2026-03-10"}, content_type="application/json")
    assert r.status_code == 403
