"""The debtor's asset report (财产报告, CPL-2023 Art 252; 财产调查规定 Arts 3–6; rule R-0.8): the reporting
period the 报告财产令 fixes (configuration, from the notice's service, holiday roll), the "财产报告" node, the
period a report covers (one year before the order was received), late reports. Frozen time at the edges."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from tests import factories
from zhixing.cases import queries_audit, rules, services
from zhixing.cases.models import AssetReport, EnforcementNotice, Node, NodeType, Party
from zhixing.cases.queries_asset_reports import report_state
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


def report_node(case) -> Node:
    return Node.objects.get(case=case, node_type__code="asset_report")


def debtor(case, name: str = "张三") -> Party:
    return Party.objects.get(case=case, role="debtor", name=name)


def test_pure_period_window_and_lateness():
    cal = current_calendar()
    assert rules.asset_report_due_on(date(2026, 3, 4), 5, cal) == date(2026, 3, 9)  # Wed + 5 = Mon
    assert rules.asset_report_due_on(date(2026, 3, 5), 5, cal) == date(2026, 3, 10)  # Thu + 5 = Tue
    assert rules.asset_report_due_on(date(2026, 3, 2), 5, cal) == date(2026, 3, 9)  # Sat 03-07 → Mon 03-09
    assert rules.asset_report_due_on(date(2025, 9, 30), 5, cal) == date(2025, 10, 9)  # in National Day
    assert rules.asset_report_window(date(2026, 3, 4), date(2026, 3, 9)) == (
        date(2025, 3, 4),
        date(2026, 3, 9),
    )
    assert rules.asset_report_window(date(2028, 2, 29), date(2028, 3, 1)) == (
        date(2027, 2, 28),
        date(2028, 3, 1),
    )
    assert rules.asset_report_late(date(2026, 3, 9), date(2026, 3, 9)) is False  # the last day is in time
    assert rules.asset_report_late(date(2026, 3, 10), date(2026, 3, 9)) is True


def test_service_opens_the_period_and_the_node_and_a_report_on_the_last_day_completes_it(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        assert not Node.objects.filter(case=case, node_type__code="asset_report").exists()
        factories.serve_notice(case)  # issued and served personally on Wednesday 03-04
        n = EnforcementNotice.objects.get(case=case)
        assert n.report_due_on == date(2026, 3, 9)  # 5 days: Monday 03-09
        node = report_node(case)
        assert (node.status, node.started_on, node.due_on, node.due_cap) == (
            "pending",
            date(2026, 3, 4),
            date(2026, 3, 9),
            date(2026, 3, 9),
        )
        services.recompute_case_deadlines(case)  # every recompute keeps the configured period
        assert report_node(case).due_on == date(2026, 3, 9)
        r = services.record_asset_report(
            people["judge"],
            case,
            debtor_id=debtor(case).pk,
            received_on=date(2026, 3, 9),
            summary="存款2万元",
        )
    assert (r.received_on, r.period_from, r.period_to, r.due_on, r.late, r.summary) == (
        date(2026, 3, 9),
        date(2025, 3, 4),
        date(2026, 3, 9),
        date(2026, 3, 9),
        False,
        "存款2万元",
    )
    node = report_node(case)
    assert (node.status, node.completed_on, node.event, node.link_url, node.link_label) == (
        "done",
        date(2026, 3, 9),
        "case.asset_report",
        f"/cases/{case.pk}/#asset-reports",
        "财产报告",
    )
    rec = AuditRecord.objects.get(case_id=case.pk, action="case.asset_report")
    assert rec.after == {
        "debtor": "张三",
        "received_on": "2026-03-09",
        "report_period": "2025-03-04至2026-03-09",
        "report_due_on": "2026-03-09",
        "report_late": False,
    }
    done = AuditRecord.objects.filter(case_id=case.pk, action="node.complete_by_event").last()
    assert done is not None and done.after["node"] == "asset_report" and done.after["late"] is False


def test_a_report_the_day_after_the_period_is_late(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        factories.serve_notice(case)
        r = services.record_asset_report(
            people["judge"], case, debtor_id=debtor(case).pk, received_on=date(2026, 3, 10), summary="无财产"
        )
    assert (r.due_on, r.late) == (date(2026, 3, 9), True)
    assert AuditRecord.objects.get(case_id=case.pk, action="case.asset_report").after["report_late"] is True
    node = report_node(case)
    assert (node.status, node.completed_on) == ("done", date(2026, 3, 10))
    assert report_state(case.pk).reports == [r]


def test_the_period_rolls_past_national_day_and_the_window_is_one_year(people):
    with at(2025, 10, 10):
        case = factories.case(
            people["clerk"],
            applied_on=date(2025, 9, 25),
            filed_on=date(2025, 9, 26),
            effective_on=date(2025, 7, 1),
            performance_deadline=date(2025, 7, 20),
        )
        factories.serve_notice(case, on=date(2025, 9, 30))
        assert report_node(case).due_on == date(2025, 10, 9)  # 10-05 in the holiday (1–8 Oct) → 10-09
        r = services.record_asset_report(
            people["judge"], case, debtor_id=debtor(case).pk, received_on=date(2025, 10, 9), summary="房产1套"
        )
    assert (r.period_from, r.period_to, r.late) == (date(2024, 9, 30), date(2025, 10, 9), False)


def test_the_period_is_configuration(people, settings):
    settings.ZHIXING_CASES = {"asset_report_days": 10}
    with at(2026, 3, 20):
        case = factories.case(people["clerk"])
        factories.serve_notice(case)
        # 03-04 + 10 = Saturday 03-14 → Monday 03-16
        assert EnforcementNotice.objects.get(case=case).report_due_on == date(2026, 3, 16)
        assert report_node(case).due_on == date(2026, 3, 16)
        r = services.record_asset_report(
            people["judge"], case, debtor_id=debtor(case).pk, received_on=date(2026, 3, 16), summary="x"
        )
        assert r.late is False
    for bad in (0, 61, "5", True):
        settings.ZHIXING_CASES = {"asset_report_days": bad}
        with at(2026, 3, 20), pytest.raises(ImproperlyConfigured):
            factories.serve_notice(factories.case(people["clerk"]))


def test_two_debtors_the_node_waits_for_both(people):
    with at(2026, 3, 12):
        case = factories.case(
            people["clerk"],
            parties=[
                factories.filing().parties[0],
                services.PartyData(
                    role="debtor", kind="person", name="张三", id_number=factories.VALID_IDS[2]
                ),
                services.PartyData(
                    role="debtor", kind="person", name="李四", id_number=factories.VALID_IDS[1]
                ),
            ],
        )
        factories.serve_notice(case)
        services.record_asset_report(
            people["judge"],
            case,
            debtor_id=debtor(case, "李四").pk,
            received_on=date(2026, 3, 6),
            summary="a",
        )
        assert report_node(case).status == "pending"
        assert [p.name for p in report_state(case.pk).missing] == ["张三"]
        services.record_asset_report(
            people["clerk"], case, debtor_id=debtor(case).pk, received_on=date(2026, 3, 11), summary="b"
        )
    node = report_node(case)
    assert (node.status, node.completed_on) == ("done", date(2026, 3, 11))
    assert list(AssetReport.objects.filter(case=case).values_list("late", flat=True)) == [False, True]
    assert report_state(case.pk).missing == []


def test_refusals_write_nothing(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        me = debtor(case).pk
        applicant = Party.objects.get(case=case, role="applicant").pk
        kw = {"debtor_id": me, "received_on": date(2026, 3, 9), "summary": "存款"}
        with pytest.raises(Conflict) as e:  # no order served yet
            services.record_asset_report(people["judge"], case, **kw)
        assert e.value.field == "case"
        services.issue_notice(people["judge"], case, on=date(2026, 3, 5))
        with pytest.raises(Conflict):  # issued, not served
            services.record_asset_report(people["judge"], case, **kw)
        services.record_notice_service(people["judge"], case, method="personal", act_on=date(2026, 3, 6))
        before = AuditRecord.objects.count()
        for bad, field in (
            ({**kw, "summary": "  "}, "summary"),
            ({**kw, "summary": "字" * 501}, "summary"),
            ({**kw, "received_on": date(2026, 3, 11)}, "received_on"),
            ({**kw, "received_on": date(2026, 3, 4)}, "received_on"),  # before the order was issued
            ({**kw, "debtor_id": applicant}, "debtor"),
        ):
            with pytest.raises(ServiceError) as e:
                services.record_asset_report(people["judge"], case, **bad)
            assert e.value.field == field
        for who in ("bailiff", "gz_director"):  # wrong role; the higher court reads only
            with pytest.raises(NotPermitted):
                services.record_asset_report(people[who], case, **kw)
        assert AuditRecord.objects.count() == before and not AssetReport.objects.exists()
        services.record_asset_report(people["judge"], case, **kw)
        with pytest.raises(Conflict) as e:  # one report per debtor; a later change is Art 7's supplement
            services.record_asset_report(people["judge"], case, **kw)
        assert e.value.field == "debtor"


def test_a_non_money_case_has_no_order_no_node(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"], obligation="act", obligation_detail="迁出房屋", principal="0")
        factories.serve_notice(case)
        assert EnforcementNotice.objects.get(case=case).report_due_on is None
        assert not Node.objects.filter(case=case, node_type__code="asset_report").exists()
        with pytest.raises(Conflict):
            services.record_asset_report(
                people["judge"], case, debtor_id=debtor(case).pk, received_on=date(2026, 3, 9), summary="x"
            )


def test_the_node_cannot_be_added_by_hand():
    assert "asset_report" not in set(queries_audit.addable_node_types().values_list("code", flat=True))


def test_the_demo_records_one_report_in_time_and_one_late(people):
    from zhixing.cases.demo.asset_reports import seed_asset_report_demo

    with at(2026, 3, 20):
        for _ in range(2):
            case = factories.case(people["clerk"])
            services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))
            factories.serve_notice(case)  # served 03-04, due 03-09
        assert seed_asset_report_demo() == 2
        assert seed_asset_report_demo() == 0  # once
    rows = list(AssetReport.objects.order_by("case_id").values_list("received_on", "late"))
    assert sorted(rows) == [(date(2026, 3, 9), False), (date(2026, 3, 12), True)]


def test_a_notice_served_before_the_period_was_stored_still_takes_reports(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        NodeType.objects.filter(code="asset_report").update(active=False)
        factories.serve_notice(case)
        EnforcementNotice.objects.filter(case=case).update(report_due_on=None)  # as served before
        assert not Node.objects.filter(case=case, node_type__code="asset_report").exists()
        assert report_state(case.pk).due_on == date(2026, 3, 9)
        r = services.record_asset_report(
            people["judge"], case, debtor_id=debtor(case).pk, received_on=date(2026, 3, 10), summary="x"
        )
    assert (r.due_on, r.late) == (date(2026, 3, 9), True)
