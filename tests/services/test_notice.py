"""The enforcement notice (执行通知书): issuing, service (deemed days, period, holiday roll), the `notice`
node, and 执行程序解释 Art 22 (the notice within 3 days of an immediate control measure). Frozen time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from tests import factories
from zhixing.cases import queries_notice, rules, services
from zhixing.cases.models import EnforcementNotice, Node
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.models import AuditRecord
from zhixing.core.service_of_documents import deemed_served_on

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


def notice_node(case) -> Node:
    return Node.objects.get(case=case, node_type__code="notice")


def test_issue_and_personal_service_complete_the_node_and_fix_the_period(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])  # applied 03-02, filed 03-04: notice node due 03-12
        assert notice_node(case).due_on == date(2026, 3, 12)
        n = services.issue_notice(people["judge"], case)
        assert (n.document_number, n.issued_on, n.performance_days) == (
            f"{case.number}之通知",
            date(2026, 3, 10),
            3,
        )
        assert n.listing_warning is True and n.asset_report_order is True  # money case
        assert queries_notice.notice_state(case.pk) == queries_notice.NoticeState(True, None, None, True)
        n = services.record_notice_service(people["judge"], case, method="personal", act_on=date(2026, 3, 10))
    # Tuesday 03-10 + 3 days = Friday 03-13 (the day of service not counted, CPL Art 85).
    assert (n.served_on, n.period_ends_on) == (date(2026, 3, 10), date(2026, 3, 13))
    assert queries_notice.served_on(case.pk) == date(2026, 3, 10)
    assert queries_notice.period_ends_on(case.pk) == date(2026, 3, 13)
    node = notice_node(case)
    assert (node.status, node.completed_on, node.completed_by) == ("done", date(2026, 3, 10), people["judge"])
    assert (node.event, node.link_url, node.link_label, node.document_ref) == (
        "case.notice_serve",
        f"/cases/{case.pk}/notice/",
        "执行通知书",
        n.document_number,
    )
    actions = list(
        AuditRecord.objects.filter(case_id=case.pk).values_list("action", flat=True).order_by("id")
    )
    assert actions[-3:] == ["case.notice_issue", "case.notice_serve", "node.complete_by_event"]
    serve = AuditRecord.objects.get(case_id=case.pk, action="case.notice_serve")
    assert serve.after == {
        "method": "personal",
        "on": "2026-03-10",
        "served_on": "2026-03-10",
        "period_ends_on": "2026-03-13",
        "report_due_on": "2026-03-16",  # the 报告财产令's 5 days: Sunday 03-15 → Monday 03-16 (R-0.8)
    }


def test_a_period_ending_on_a_saturday_rolls_to_monday(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        factories.serve_notice(case)  # issued and served personally on the filing day, Wednesday 03-04
    n = EnforcementNotice.objects.get(case=case)
    assert (n.service_act_on, n.served_on, n.period_ends_on) == (date(2026, 3, 4),) * 2 + (date(2026, 3, 9),)
    assert notice_node(case).completed_on == date(2026, 3, 4)


def test_publication_is_deemed_served_30_days_later_and_the_period_rolls_past_national_day(people):
    with at(2025, 9, 10):
        case = factories.case(
            people["clerk"],
            applied_on=date(2025, 9, 1),
            filed_on=date(2025, 9, 2),
            effective_on=date(2025, 7, 1),
            performance_deadline=date(2025, 7, 20),
        )
        services.issue_notice(people["judge"], case, on=date(2025, 9, 3))
        n = services.record_notice_service(
            people["judge"], case, method="publication", act_on=date(2025, 9, 5)
        )
    # Published Friday 09-05 → deemed served 30 days later, Sunday 10-05 (CPL Art 95); + 3 days = 10-08, the
    # last day of the National Day holiday (1–8 Oct 2025) → Thursday 10-09.
    assert (n.service_act_on, n.served_on, n.period_ends_on) == (
        date(2025, 9, 5),
        date(2025, 10, 5),
        date(2025, 10, 9),
    )
    # The node records the day of the act (the notice was sent then), not the deemed day.
    assert notice_node(case).completed_on == date(2025, 9, 5)


@pytest.mark.parametrize(
    ("method", "act", "served"),
    [
        ("personal", date(2025, 9, 30), date(2025, 9, 30)),
        ("residence", date(2025, 9, 30), date(2025, 9, 30)),
        ("electronic", date(2025, 9, 30), date(2025, 9, 30)),
        ("post", date(2025, 9, 30), date(2025, 9, 30)),
        ("entrusted", date(2025, 9, 30), date(2025, 9, 30)),
        ("publication", date(2025, 9, 30), date(2025, 10, 30)),
    ],
)
def test_deemed_service_by_method(method, act, served):
    assert deemed_served_on(method, act) == served


def test_period_edges_on_the_calendar(people):
    cal = current_calendar()
    assert rules.notice_period_ends_on(date(2026, 3, 10), 0, cal) == date(2026, 3, 10)  # 立即履行
    assert rules.notice_period_ends_on(date(2026, 3, 10), 3, cal) == date(2026, 3, 13)
    assert rules.notice_period_ends_on(date(2026, 3, 4), 3, cal) == date(2026, 3, 9)  # Sat → Mon
    assert rules.notice_period_ends_on(date(2025, 9, 28), 3, cal) == date(2025, 10, 9)  # into the holiday
    assert rules.notice_due_after_measure(date(2026, 3, 6), cal) == date(2026, 3, 9)
    assert rules.notice_due_after_measure(date(2025, 9, 29), cal) == date(2025, 10, 9)
    assert rules.capped_due(date(2026, 3, 12), date(2026, 3, 9)) == date(2026, 3, 9)
    assert rules.capped_due(date(2026, 3, 12), date(2026, 3, 13)) == date(2026, 3, 12)
    assert rules.capped_due(None, date(2026, 3, 9)) is None  # a suspended clock stays stopped
    assert rules.capped_due(date(2026, 3, 12), None) == date(2026, 3, 12)


def test_the_period_is_configuration(people, settings):
    settings.ZHIXING_CASES = {"notice_performance_days": 0}
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        n = factories.serve_notice(case, on=date(2026, 3, 6))
    assert (n.performance_days, n.served_on, n.period_ends_on) == (0, date(2026, 3, 6), date(2026, 3, 6))
    settings.ZHIXING_CASES = {"notice_performance_days": 10}
    with at(2026, 3, 10):
        other = factories.case(people["clerk"])
        n2 = factories.serve_notice(other)
    assert (n2.performance_days, n2.period_ends_on) == (10, date(2026, 3, 16))  # Sat 03-14 → Mon 03-16
    for bad in (-1, 61, "3", True):
        settings.ZHIXING_CASES = {"notice_performance_days": bad}
        with pytest.raises(ImproperlyConfigured):
            services.issue_notice(people["judge"], factories.case(people["clerk"]))


def test_refusals_write_nothing(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        before = AuditRecord.objects.count()
        with pytest.raises(Conflict) as e:
            services.record_notice_service(people["judge"], case, method="personal", act_on=date(2026, 3, 10))
        assert e.value.field == "case"
        with pytest.raises(ServiceError) as e:
            services.issue_notice(people["judge"], case, on=date(2026, 3, 3))
        assert (e.value.field, e.value.message) == ("issued_on", "制作日期不能早于立案日期")
        with pytest.raises(ServiceError) as e:
            services.issue_notice(people["judge"], case, on=date(2026, 3, 11))
        assert e.value.field == "issued_on"
        with pytest.raises(NotPermitted):
            services.issue_notice(people["bailiff"], case)
        with pytest.raises(NotPermitted):
            services.issue_notice(people["gz_director"], case)  # the higher court reads only
        assert AuditRecord.objects.count() == before and not EnforcementNotice.objects.exists()
        services.issue_notice(people["judge"], case, on=date(2026, 3, 5))
        before = AuditRecord.objects.count()
        for kw, field in (
            ({"method": "fax", "act_on": date(2026, 3, 10)}, "method"),
            ({"method": "personal", "act_on": date(2026, 3, 11)}, "act_on"),
            ({"method": "personal", "act_on": date(2026, 3, 4)}, "act_on"),
        ):
            with pytest.raises(ServiceError) as e:
                services.record_notice_service(people["judge"], case, **kw)
            assert e.value.field == field
        with pytest.raises(Conflict):
            services.issue_notice(people["judge"], case)  # one notice per case
        assert AuditRecord.objects.count() == before
        assert EnforcementNotice.objects.get(case=case).served_on is None
        assert notice_node(case).status == "pending"
        services.record_notice_service(people["judge"], case, method="post", act_on=date(2026, 3, 5))
        with pytest.raises(Conflict) as e:
            services.record_notice_service(people["judge"], case, method="post", act_on=date(2026, 3, 6))
        assert e.value.message == "执行通知书已登记送达"


def test_a_notice_node_done_by_hand_stays_as_it_was(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        services.complete_node(people["judge"], notice_node(case), document_ref="纸质通知书")
        factories.serve_notice(case)
    node = notice_node(case)
    assert (node.document_ref, node.event, node.completed_on) == ("纸质通知书", "", date(2026, 3, 10))
    assert queries_notice.served_on(case.pk) == date(2026, 3, 4)


# -- 执行程序解释 Art 22 -------------------------------------------------------------------------------


def test_a_measure_before_the_notice_brings_its_deadline_forward_and_it_goes_red(people):
    with at(2026, 3, 6):
        case = factories.case(people["clerk"])  # notice due 03-12 (10 days from receipt 03-02)
        node = services.measure_before_notice(case.pk, date(2026, 3, 6), event="inquiry.freeze.confirmed")
    # Friday 03-06 + 3 days = Monday 03-09.
    assert node is not None and (node.due_on, node.due_cap) == (date(2026, 3, 9), date(2026, 3, 9))
    case.refresh_from_db()
    assert case.next_due_on == date(2026, 3, 9)
    rec = AuditRecord.objects.get(case_id=case.pk, action="node.notice_due_by_measure")
    assert rec.before == {"deadline": "2026-03-12"}
    assert rec.after == {
        "deadline": "2026-03-09",
        "measure_on": "2026-03-06",
        "event": "inquiry.freeze.confirmed",
    }
    # The cap survives every recompute (a suspension lifted, a holiday table loaded …).
    services.recompute_case_deadlines(case)
    assert notice_node(case).due_on == date(2026, 3, 9)
    # A later measure does not move it later; its own 3 days (03-13) are past the statutory 03-12 anyway.
    with at(2026, 3, 10):
        assert services.measure_before_notice(case.pk, date(2026, 3, 10), event="x") is None
    assert notice_node(case).due_on == date(2026, 3, 9)
    # Overdue on 03-10: red on the flow page like any other node, and the scan raises a red alert.
    with at(2026, 3, 10):
        from django.test import Client

        client = Client()
        client.force_login(people["judge"])
        html = client.get(f"/cases/{case.pk}/").content.decode()
        assert f'data-node="notice" data-node-id="{node.pk}" data-color="red"' in html
        result = services.scan_due_nodes(date(2026, 3, 10))
        assert result.red >= 1
        assert Node.objects.get(pk=node.pk).alerted == Node.Alerted.RED


def test_a_measure_after_the_notice_was_served_changes_nothing(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        services.complete_node(people["judge"], notice_node(case), document_ref="x")  # node done by hand
        other = factories.case(people["clerk"])
        factories.serve_notice(other)
        assert services.measure_before_notice(other.pk, date(2026, 3, 10), event="x") is None
        assert (
            services.measure_before_notice(case.pk, date(2026, 3, 10), event="x") is None
        )  # no pending node
    assert not AuditRecord.objects.filter(action="node.notice_due_by_measure").exists()


def test_a_measure_past_a_holiday_keeps_the_later_statutory_day(people):
    with at(2025, 9, 29):
        case = factories.case(
            people["clerk"],
            applied_on=date(2025, 9, 26),
            filed_on=date(2025, 9, 29),
            effective_on=date(2025, 8, 1),
            performance_deadline=date(2025, 8, 20),
        )
        # The notice is due Thursday 10-09 (receipt 09-26 + 10 days, rolled past National Day); a freeze on
        # 09-29 gives 10-02 → rolled to 10-09 as well: nothing earlier, nothing written.
        assert notice_node(case).due_on == date(2025, 10, 9)
        assert services.measure_before_notice(case.pk, date(2025, 9, 29), event="x") is None
        assert notice_node(case).due_cap is None
        # Received 09-22 → due 10-09 (rolled); a measure on Thursday 09-25 + 3 = Sunday 09-28, a working day
        # in 2025's adjusted calendar (调休) → the notice is due 09-28.
        early = factories.case(
            people["clerk"],
            applied_on=date(2025, 9, 22),
            filed_on=date(2025, 9, 23),
            effective_on=date(2025, 8, 1),
            performance_deadline=date(2025, 8, 20),
        )
        assert notice_node(early).due_on == date(2025, 10, 9)
        moved = services.measure_before_notice(early.pk, date(2025, 9, 25), event="x")
    assert moved is not None and moved.due_on == date(2025, 9, 28)


@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql", reason="row locks: PostgreSQL only"
)
def test_moving_the_notice_deadline_locks_only_the_node_not_the_shared_node_type(people):
    """The node is found through its type's code (a join): a bare FOR UPDATE also locked the shared
    `notice` row of cases_nodetype, which every filing's node insert checks (FOR KEY SHARE) at COMMIT —
    so a freeze's answer held every filing of the province behind it, and with the audit chain head
    between them, deadlocked (the cluster soak: a filing and an inquiry round answered 500, issue 22)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with at(2026, 3, 6):
        case = factories.case(people["clerk"])
        with CaptureQueriesContext(connection) as seen:
            node = services.measure_before_notice(case.pk, date(2026, 3, 6), event="inquiry.freeze.confirmed")
    assert node is not None and node.due_on == date(2026, 3, 9)
    [lock] = [q["sql"] for q in seen.captured_queries if " FOR " in q["sql"] and '"cases_node"' in q["sql"]]
    assert lock.endswith('FOR NO KEY UPDATE OF "cases_node"')
