"""Issue 13 #8: the missing-holiday-year banner is for whoever can load the year; everyone else sees a
short note beside each deadline the missing year affects, on the case page only."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from tests import factories
from zhixing.core.holidays import invalidate, may_load_holidays

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
BANNER = 'id="calendar-warning"'
NOTE = 'data-testid="calendar-note"'


@pytest.fixture(autouse=True)
def _fresh_calendar():
    invalidate()
    yield
    invalidate()


def _page(login, user, url="/"):
    with time_machine.travel(datetime(2026, 11, 10, 10, tzinfo=TZ), tick=False):
        return login(user).get(url).content.decode()


@pytest.mark.parametrize(
    "role", ["judge", "assistant", "clerk", "bailiff", "director", "president", "finance", "operator"]
)
def test_staff_without_the_permission_never_see_the_banner(people, login, role):
    assert may_load_holidays(people[role]) is False
    assert BANNER not in _page(login, people[role])


def test_superuser_sees_the_banner(login):
    admin = get_user_model().objects.create_superuser("calendar-admin", password="x-strong-Pass-2026")
    page = _page(login, admin)
    assert BANNER in page
    assert "2027年的法定节假日安排尚未载入" in page
    # where to load it: the admin's upload form (the pinned chinesecalendar 1.11 stops at 2026)
    assert 'href="/admin/core/holidayyear/upload/" data-testid="calendar-upload-link"' in page
    assert "国务院办公厅当年的节假日安排通知" in page


def test_holder_of_the_add_holiday_year_permission_sees_the_banner(people, login):
    director = people["director"]
    director.is_staff = True  # loading a year is done in the admin site
    director.save(update_fields=["is_staff"])
    director.user_permissions.add(
        Permission.objects.get(codename="add_holidayyear", content_type__app_label="core")
    )
    director = get_user_model().objects.get(pk=director.pk)  # fresh permission cache
    assert may_load_holidays(director) is True
    assert BANNER in _page(login, director)


def test_the_permission_without_admin_access_is_not_enough(people):
    judge = people["judge"]
    judge.user_permissions.add(
        Permission.objects.get(codename="add_holidayyear", content_type__app_label="core")
    )
    assert may_load_holidays(get_user_model().objects.get(pk=judge.pk)) is False


def test_inactive_superuser_may_not_load():
    admin = get_user_model().objects.create_superuser("gone-admin", password="x-strong-Pass-2026")
    admin.is_active = False
    assert may_load_holidays(admin) is False


def test_case_page_notes_only_the_deadlines_spanning_the_missing_year(people, login):
    """A case filed 2026-11-03: its term (6 months) runs into 2027, its 7-day nodes do not."""
    with time_machine.travel(datetime(2026, 11, 10, 10, tzinfo=TZ), tick=False):
        case = factories.case(people["clerk"], applied_on=date(2026, 11, 2), filed_on=date(2026, 11, 3))
    page = _page(login, people["judge"], f"/cases/{case.pk}/")
    assert BANNER not in page
    assert 'id="calendar-uncertain"' not in page  # no header-wide banner any more
    term_row = page.split('data-node="term"')[1].split("</tr>")[0]
    assert "⚠ 2027年节假日未载入，按周末推算" in term_row
    assert 'id="term-calendar-note"' in page.split('case-head"')[1].split("</section>")[0]
    assign_row = page.split('data-node="assign_handler"')[1].split("</tr>")[0]
    assert NOTE not in assign_row


def test_case_page_without_affected_deadlines_has_no_note(people, login):
    with time_machine.travel(datetime(2026, 3, 4, 10, tzinfo=TZ), tick=False):
        case = factories.case(people["clerk"], applied_on=date(2026, 3, 2), filed_on=date(2026, 3, 4))
        page = login(people["judge"]).get(f"/cases/{case.pk}/").content.decode()
    assert NOTE not in page
