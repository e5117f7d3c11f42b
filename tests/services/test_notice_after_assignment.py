"""2006 期限规定 Art 4 (rule R-2.2.13): the handling officer sends the enforcement notice within 3 days of
receiving the case materials (the first assignment) — when configured
(`ZHIXING_CASES["notice_within_3_days_of_assignment"]`, default off: the later 民诉解释 Art 480 prevails),
the `notice` node is due on the earlier of that day and 10 days from receipt of the application (R-2.2.4);
a last day on a holiday rolls (CPL Art 85). Frozen time, the real calendar (chinese-calendar)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases import rules, services
from zhixing.cases.models import Node
from zhixing.core.holidays import current_calendar
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


def notice_node(case) -> Node:
    return Node.objects.get(case=case, node_type__code="notice")


@pytest.fixture
def configured(settings):
    settings.ZHIXING_CASES = {"notice_within_3_days_of_assignment": True}


def test_by_default_the_ten_days_from_receipt_stay(people):
    with at(2026, 3, 5):
        case = factories.case(people["clerk"])
        services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))
    assert (notice_node(case).due_on, notice_node(case).due_cap) == (date(2026, 3, 12), None)
    assert not AuditRecord.objects.filter(action="node.notice_due_by_assignment").exists()


def test_three_days_from_the_assignment_rolling_past_holidays():
    cal = current_calendar()
    assert rules.notice_due_after_assignment(date(2026, 3, 3), cal) == date(2026, 3, 6)  # Friday
    # Thursday 5 Mar + 3 = Sunday 8 Mar → Monday 9 Mar.
    assert rules.notice_due_after_assignment(date(2026, 3, 5), cal) == date(2026, 3, 9)
    # 28 Sep 2025 + 3 = 1 Oct, inside National Day (1–8 Oct 2025) → Thursday 9 Oct.
    assert rules.notice_due_after_assignment(date(2025, 9, 28), cal) == date(2025, 10, 9)


def test_an_assignment_brings_the_notice_forward_and_the_cap_survives_recomputes(people, configured):
    with at(2026, 3, 5):
        case = factories.case(people["clerk"])  # received 03-02: the notice is due 03-12
        assert notice_node(case).due_on == date(2026, 3, 12)
        services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))
    node = notice_node(case)
    assert (node.due_on, node.due_cap) == (date(2026, 3, 9), date(2026, 3, 9))
    rec = AuditRecord.objects.get(case_id=case.pk, action="node.notice_due_by_assignment")
    assert (rec.before, rec.after) == (
        {"deadline": "2026-03-12"},
        {"deadline": "2026-03-09", "assigned_on": "2026-03-05"},
    )
    services.recompute_case_deadlines(case)
    assert notice_node(case).due_on == date(2026, 3, 9)
    # A re-assignment is not a new receipt of the materials: nothing moves.
    with at(2026, 3, 6):
        services.assign_case(people["director"], case, people["judge2"], on=date(2026, 3, 6))
    assert notice_node(case).due_on == date(2026, 3, 9)
    assert AuditRecord.objects.filter(action="node.notice_due_by_assignment").count() == 1


def test_a_late_assignment_keeps_the_statutory_ten_days(people, configured):
    with at(2026, 3, 11):
        case = factories.case(people["clerk"])
        # Assigned Wednesday 03-11: + 3 = Saturday 03-14 → Monday 03-16, after the statutory 03-12.
        services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 11))
    node = notice_node(case)
    assert (node.due_on, node.due_cap) == (date(2026, 3, 12), None)
    assert not AuditRecord.objects.filter(action="node.notice_due_by_assignment").exists()


def test_a_served_notice_is_not_moved(people, configured):
    with at(2026, 3, 5):
        case = factories.case(people["clerk"])
        factories.serve_notice(case, on=date(2026, 3, 4))
        services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))
    assert notice_node(case).status == Node.Status.DONE
    assert not AuditRecord.objects.filter(action="node.notice_due_by_assignment").exists()
