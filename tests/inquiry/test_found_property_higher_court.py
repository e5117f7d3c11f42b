"""执行程序解释 Art 10(2) (rule R-2.1.9): property found in the course of enforcement and not executed 6
months after the day it was found — the applicant may apply to the next-higher court from the day after;
the periods Art 13 names are not counted, and property found with the application is Art 10(1)'s."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhixing.cases.higher_court import found_property_date
from zhixing.cases.models import EnforcementCase, ExcludedPeriod
from zhixing.cases.rules import Pause
from zhixing.core.workdays import WorkCalendar
from zhixing.inquiry import queries
from zhixing.inquiry.models import Asset, Partner

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar({2026: {date(2026, 10, 1): False, date(2026, 10, 2): False}})
APPLIED = date(2026, 3, 2)


def test_six_months_from_the_day_found_not_from_receipt():
    d = found_property_date(APPLIED, date(2026, 5, 20), [], [], CAL)
    assert d is not None
    assert (d.last_day, d.may_apply_from) == (date(2026, 11, 20), date(2026, 11, 21))
    assert not d.may_apply_on(date(2026, 11, 20))
    assert d.may_apply_on(date(2026, 11, 21))


def test_property_found_on_or_before_receipt_is_art_10_1s():
    assert found_property_date(APPLIED, APPLIED, [], [], CAL) is None
    assert found_property_date(APPLIED, date(2026, 3, 1), [], [], CAL) is None
    assert found_property_date(APPLIED, date(2026, 3, 3), [], [], CAL) is not None


def test_art13_periods_are_not_counted_and_a_holiday_does_not_move_the_last_day():
    # Found 1 April: the last day is 1 October (National Day) and stays there — the court's period.
    d = found_property_date(APPLIED, date(2026, 4, 1), [], [], CAL)
    assert d is not None and d.last_day == date(2026, 10, 1)
    # An appraisal of 10 days (Art 13) pushes it; an auction (审限规定 Art 9 only) does not.
    appraisal = [("appraisal", Pause(date(2026, 5, 1), date(2026, 5, 11)))]
    assert found_property_date(APPLIED, date(2026, 4, 1), [], appraisal, CAL).last_day == date(2026, 10, 11)
    auction = [("auction", Pause(date(2026, 5, 1), date(2026, 5, 11)))]
    assert found_property_date(APPLIED, date(2026, 4, 1), [], auction, CAL).last_day == date(2026, 10, 1)
    # A suspension still running stops the count.
    running = found_property_date(APPLIED, date(2026, 4, 1), [Pause(date(2026, 6, 1), None)], [], CAL)
    assert running is not None and running.may_apply_from is None


def _asset(case: EnforcementCase, ref: str, found: datetime, state: str = "none") -> Asset:
    p = Partner.objects.get(code="BANK-ICBC")
    return Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=p,
        category=p.category,
        kind="account",
        ref=ref,
        value=Decimal("5000"),
        state=state,
        found_at=found,
    )


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=TZ), tick=False)
def test_register_page_and_api_show_the_day_for_property_found_later(
    people: dict[str, Any], case: EnforcementCase
) -> None:
    assert case.applied_on == APPLIED
    later = _asset(case, "6222-LATER", datetime(2026, 5, 20, 0, 30, tzinfo=TZ))  # Beijing day 20 May
    with_application = _asset(case, "6222-EARLY", datetime(2026, 3, 1, 9, 0, tzinfo=TZ))
    executed = _asset(case, "6222-DONE", datetime(2026, 5, 20, 9, 0, tzinfo=TZ), state="deducted")
    ExcludedPeriod.objects.create(
        case=case, kind="public_notice", start=date(2026, 6, 1), end=date(2026, 6, 6), document_ref="公告"
    )
    rows = {r.asset.pk: r for d in queries.register(case) for r in d.rows}
    assert rows[later.pk].higher_court is not None
    assert rows[later.pk].higher_court.may_apply_from == date(2026, 11, 26)  # 20 Nov + 5 days of notice
    assert rows[with_application.pk].higher_court is None
    assert rows[executed.pk].higher_court is None

    client = Client()
    client.force_login(people["judge"])
    html = client.get(reverse("inquiry_case", args=[case.pk])).content.decode()
    assert "2026-05-20发现；逾期未执行完结的，申请执行人自2026-11-26起可向上一级法院申请" in html
    assert f'data-testid="found-later-{with_application.pk}"' not in html
    assert f'data-testid="found-later-{executed.pk}"' not in html
    api = {a["id"]: a for a in client.get(f"/api/v1/inquiry/cases/{case.pk}/assets").json()}
    assert (api[later.pk]["found_on"], api[later.pk]["higher_court_from"]) == ("2026-05-20", "2026-11-26")
    assert (api[with_application.pk]["found_on"], api[with_application.pk]["higher_court_from"]) == (
        "2026-03-01",
        None,
    )
    assert api[executed.pk]["higher_court_from"] is None
