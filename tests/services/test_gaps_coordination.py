"""Issue 15 (gaps): a coordination of an enforcement dispute (执行争议协调) is recorded on the case and not
counted in the 6 months for applying to the higher court (执行程序解释 Art 13, rule R-2.1.7); it stops the
enforcement term only when configured (审限规定 Art 9 does not name it, rule R-2.1.8); the doubled
interest runs through it (迟延履行利息解释 Art 3(3))."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client, override_settings

from tests import factories
from zhixing.cases import queries_term, services
from zhixing.cases.higher_court import EXCLUDED_KINDS, higher_court_date
from zhixing.cases.interest_exclusions import EXCLUSIONS, excludes_interest
from zhixing.cases.models import ExcludedPeriod
from zhixing.cases.rules import Pause
from zhixing.core.workdays import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar({2026: {}})


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def case(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])  # filed 2026-03-04
        return services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))


def test_the_kind_and_the_higher_court_rule():
    assert ExcludedPeriod.Kind("coordination").label == "执行争议协调期间"
    assert "coordination" in EXCLUDED_KINDS
    ten_days = ("coordination", Pause(date(2026, 5, 1), date(2026, 5, 11)))
    d = higher_court_date(date(2026, 3, 2), [], [ten_days], CAL)
    assert (d.last_day, d.may_apply_from) == (date(2026, 9, 12), date(2026, 9, 13))
    running = higher_court_date(date(2026, 3, 2), [], [("coordination", Pause(date(2026, 5, 1), None))], CAL)
    assert (running.last_day, running.may_apply_from) == (None, None)


def test_the_doubled_interest_runs():
    row = EXCLUSIONS["period:coordination"]
    assert (row.excluded, row.confirmed) == (False, True)
    assert excludes_interest("period:coordination") is False
    assert excludes_interest("period:coordination", overrides={"period:coordination": True}) is False


def _coordinate(people, case):
    with at(2026, 5, 1):
        period = services.start_excluded_period(
            people["judge"], case, kind="coordination", start=date(2026, 5, 1), document_ref="协调函"
        )
    with at(2026, 5, 11):
        services.end_excluded_period(people["judge"], period, end=date(2026, 5, 11), document_ref="协调意见")
    case.refresh_from_db()
    return case


def test_recorded_the_higher_court_date_moves_the_term_does_not(people, case):
    before = queries_term.higher_court_of(case)
    term_before = case.term_due
    assert term_before == date(2026, 9, 4)
    case = _coordinate(people, case)
    after = queries_term.higher_court_of(case)
    assert (after.last_day - before.last_day).days == 10
    assert case.term_due == term_before  # 审限规定 Art 9 does not name it (default)


@override_settings(ZHIXING_CASES={"coordination_stops_term": True})
def test_configured_it_stops_the_term_too(people, case):
    case = _coordinate(people, case)
    assert case.term_due == date(2026, 9, 14)


def test_the_api_records_it(people, case):
    client = Client()
    client.force_login(people["judge"])
    with at(2026, 5, 1):
        r = client.post(
            f"/api/v1/cases/{case.pk}/excluded-periods",
            json.dumps({"kind": "coordination", "start": "2026-05-01", "document_ref": "协调函"}),
            content_type="application/json",
        )
    assert r.status_code == 201, r.content
    assert (r.json()["kind"], r.json()["kind_display"], r.json()["end"]) == (
        "coordination",
        "执行争议协调期间",
        None,
    )
    case.refresh_from_db()
    assert case.term_due == date(2026, 9, 4)  # the term keeps running
    assert queries_term.higher_court_of(case).may_apply_from is None  # the 6 months stop
