"""A deadline in 2027 before and after the 2027 holiday table is loaded; the warning while it is missing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories
from zhixing.cases.services import recompute_open_cases
from zhixing.core.holidays import HolidayTableError, invalidate, missing_years_ahead, parse_holiday_csv

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")

HOLIDAYS_2027 = """日期,类型,名称
2027-01-01,休,元旦
2027-02-05,休,春节
2027-02-06,休,春节
2027-02-07,休,春节
2027-02-08,休,春节
2027-02-09,休,春节
2027-02-10,休,春节
2027-02-11,休,春节
2027-02-20,班,春节调休
2027-05-01,休,劳动节
2027-05-02,休,劳动节
2027-05-03,休,劳动节
2027-05-04,休,劳动节
2027-05-05,休,劳动节
2027-05-08,班,劳动节调休
"""


def test_term_in_2027_before_and_after_loading(people, tmp_path):
    with time_machine.travel(datetime(2026, 11, 10, 10, tzinfo=TZ), tick=False):
        case = factories.case(people["clerk"], applied_on=date(2026, 11, 2), filed_on=date(2026, 11, 3))
        assert missing_years_ahead(date(2026, 11, 10)) == [2027]
        # Unknown 2027: 2027-05-03 is a Monday, so the weekend-only fallback keeps it.
        case.refresh_from_db()
        assert case.term_due == date(2027, 5, 3)
        assert case.calendar_uncertain is True
        f = tmp_path / "2027.csv"
        f.write_text(HOLIDAYS_2027, encoding="utf-8")
        call_command("load_holidays", "2027", str(f))
        invalidate()
        recompute_open_cases()
        case.refresh_from_db()
        # 2027-05-03 is now a Labour Day holiday: the term rolls to 2027-05-06.
        assert case.term_due == date(2027, 5, 6)
        assert case.calendar_uncertain is False
        assert missing_years_ahead(date(2026, 11, 10)) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-13-01,休,x", "第1行"),
        ("2027-01-01,放,x", "类型"),
        ("2026-01-01,休,x", "不属于2027年"),
        ("2027-01-01,休\n2027-01-01,休", "第2行"),
        ("", "没有"),
    ],
)
def test_bad_holiday_file_is_rejected_with_the_row(text, message):
    with pytest.raises(HolidayTableError, match=message):
        parse_holiday_csv(text, 2027)


def test_bad_file_through_the_command_changes_nothing(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("2027-01-01,休,元旦\n2027-02-30,休,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第2行"):
        call_command("load_holidays", "2027", str(f))
    assert missing_years_ahead(date(2026, 11, 10)) == [2027]


@pytest.mark.parametrize(("superuser", "shown"), [(True, True), (False, False)])
def test_missing_year_banner_shows_only_to_administrators(people, superuser, shown):
    """Issue 13: the banner is for whoever can load the year; other staff see it on affected cases only."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = people["judge"]
    if superuser:
        user = get_user_model().objects.create_superuser("calendar-admin", password="x-strong-Pass-2026")
    client = Client()
    client.force_login(user)
    with time_machine.travel(datetime(2026, 11, 10, 10, tzinfo=TZ), tick=False):
        page = client.get("/").content.decode()
    assert ('id="calendar-warning"' in page) is shown
    assert ("2027年的法定节假日安排尚未载入" in page) is shown
