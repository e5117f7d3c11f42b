"""Running a case: assignment, nodes, suspension, extension, closing, resumption — with exact deadlines."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases import services
from zhixing.cases.models import CaseStatus, EnforcementCase, Node, NodeType
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def case(people):
    with at(2026, 3, 10):
        return factories.case(people["clerk"])  # filed 2026-03-04, term due 2026-09-04


def node(case, code) -> Node:
    return case.nodes.get(node_type__code=code)


def test_assignment_completes_the_assign_node_and_starts_progress(people, case):
    with at(2026, 3, 10):
        services.assign_case(people["director"], case, people["judge"])
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.handler == people["judge"]
    n = node(case, "assign_handler")
    assert (n.status, n.completed_on, n.completed_by) == ("done", date(2026, 3, 10), people["director"])
    assert set(case.nodes.values_list("handler_id", flat=True)) == {people["judge"].pk}


def test_only_directors_assign_and_only_to_own_court_judges(people, case):
    with at(2026, 3, 10):
        with pytest.raises(NotPermitted):
            services.assign_case(people["clerk"], case, people["judge"])
        with pytest.raises(ServiceError) as err:
            services.assign_case(people["director"], case, people["yx_judge"])
        assert err.value.field == "handler"
        with pytest.raises(ServiceError):
            services.assign_case(people["director"], case, people["clerk"])


def test_complete_node_records_who_when_and_document(people, case):
    with at(2026, 3, 12):
        services.complete_node(people["judge"], node(case, "notice"), document_ref="执行通知书（2026）第1号")
    n = node(case, "notice")
    assert (n.status, n.completed_on, n.completed_by, n.document_ref) == (
        "done",
        date(2026, 3, 12),
        people["judge"],
        "执行通知书（2026）第1号",
    )
    with at(2026, 3, 12), pytest.raises(Conflict):
        services.complete_node(people["judge"], n, document_ref="again")


def test_complete_node_needs_a_document_and_a_sane_date(people, case):
    with at(2026, 3, 12):
        with pytest.raises(ServiceError) as err:
            services.complete_node(people["judge"], node(case, "notice"), document_ref=" ")
        assert err.value.field == "document_ref"
        with pytest.raises(ServiceError) as err:
            services.complete_node(
                people["judge"], node(case, "notice"), document_ref="x", completed_on=date(2026, 3, 13)
            )
        assert err.value.field == "completed_on"
        with pytest.raises(Conflict):
            services.complete_node(people["judge"], node(case, "term"), document_ref="x")


def test_higher_and_sibling_courts_cannot_write(people, case):
    with at(2026, 3, 12):
        for who in ("gz_director", "gd_president", "yx_director"):
            with pytest.raises(NotPermitted):
                services.complete_node(people[who], node(case, "notice"), document_ref="x")


def test_suspension_spanning_a_holiday_stops_the_term_and_resumption_restarts_it(people, case):
    # Suspended 2026-09-01 .. resumed 2026-10-09: 38 days not counted (including National Day).
    with at(2026, 9, 1):
        services.suspend_case(
            people["judge"],
            case,
            ground="applicant_agrees",
            start=date(2026, 9, 1),
            document_ref="（2026）粤0106执1号之一",
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    assert case.term_due is None
    with at(2026, 9, 2), pytest.raises(Conflict):
        services.complete_node(people["judge"], node(case, "notice"), document_ref="x")
    with at(2026, 10, 9):
        services.resume_execution(
            people["judge"], case, on=date(2026, 10, 9), document_ref="恢复执行通知书1号"
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    # 2026-09-04 + 38 days = 2026-10-12 (a Monday, a working day).
    assert case.term_due == date(2026, 10, 12)


def test_extension_requires_president_approval_and_adds_three_months(people, case):
    with at(2026, 8, 20):
        ext = services.request_extension(people["judge"], case, reason="财产处置中")
        with pytest.raises(Conflict):
            services.request_extension(people["judge"], case, reason="再次")
        with pytest.raises(NotPermitted):
            services.approve_extension(people["director"], ext)
        services.approve_extension(people["president"], ext)
    case.refresh_from_db()
    # 2026-03-04 + 9 months = 2026-12-04 (Friday).
    assert case.term_due == date(2026, 12, 4)
    assert case.extension_months == 3
    assert node(case, "term").due_on == date(2026, 12, 4)


def test_extension_must_be_asked_five_days_before_expiry(people, case):
    with at(2026, 9, 1), pytest.raises(Conflict) as err:
        services.request_extension(people["judge"], case, reason="晚了")
    assert "5日前" in err.value.message


@pytest.mark.parametrize(
    ("mode", "details", "field"),
    [
        ("performed", {"document_ref": "结1号", "how": "voluntary"}, "performed_amount"),
        ("terminated", {"document_ref": "裁1号", "ground": "bogus"}, "ground"),
        ("withdrawn", {"ground": "other"}, "document_ref"),
        ("nonsense", {}, "closing_mode"),
    ],
)
def test_closing_requires_each_modes_fields(people, case, mode, details, field):
    before = AuditRecord.objects.count()
    with at(2026, 4, 1), pytest.raises(ServiceError) as err:
        services.close_case(people["judge"], case, mode=mode, closed_on=date(2026, 4, 1), details=details)
    assert err.value.field == field
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert AuditRecord.objects.count() == before


def test_dormant_closing_needs_three_months_and_the_notice(people, case):
    details = {
        "document_ref": "终本裁定1号",
        "interview_on": "2026-05-20",
        "approval": "applicant_confirmed",
        "investigation_summary": "网络查控无财产",
    }
    with at(2026, 6, 10), pytest.raises(ServiceError) as err:
        services.close_case(
            people["judge"], case, mode="dormant", closed_on=date(2026, 6, 10), details=details
        )
    assert err.value.field == "closing_mode"  # notice not yet sent
    with at(2026, 3, 20):
        services.complete_node(people["judge"], node(case, "notice"), document_ref="通知1号")
    with at(2026, 6, 4), pytest.raises(ServiceError) as err:
        services.close_case(
            people["judge"], case, mode="dormant", closed_on=date(2026, 6, 4), details=details
        )
    assert err.value.field == "closed_on"  # exactly 3 months is not "more than 3 months"
    with at(2026, 6, 5):
        factories.dormant_ready(people["judge"], case)
        services.close_case(
            people["judge"], case, mode="dormant", closed_on=date(2026, 6, 5), details=details
        )
    case.refresh_from_db()
    assert (case.status, case.closing_mode, case.next_due_on) == ("dormant", "dormant", None)
    assert node(case, "term").status == "done"
    assert node(case, "investigation").status == "cancelled"


def test_closed_case_refuses_actions_and_resumes_as_linked_case(people, case):
    with at(2026, 4, 1):
        services.close_case(
            people["judge"],
            case,
            mode="performed",
            closed_on=date(2026, 4, 1),
            details={"document_ref": "结1号", "performed_amount": "100000", "how": "voluntary"},
        )
        with pytest.raises(Conflict):
            services.suspend_case(
                people["judge"], case, ground="other", start=date(2026, 4, 1), document_ref="x"
            )
    with at(2026, 11, 2):
        resumed = services.resume_case(
            people["judge"], case, applied_on=date(2026, 11, 1), reason="发现新财产"
        )
    assert resumed.number == "（2026）粤0106执恢1号"
    assert resumed.origin == case
    assert resumed.parties.count() == 2
    assert resumed.status == CaseStatus.REGISTERED
    assert list(case.resumed_cases.all()) == [resumed]


def test_verify_lead_node_added_on_demand(people, case):
    nt = NodeType.objects.get(code="verify_lead")
    with at(2026, 3, 13):
        n = services.add_node(people["judge"], case, nt, note="申请人提供房产线索")
    n.refresh_from_db()
    assert n.due_on == date(2026, 3, 20)


def test_identity_view_is_audited_and_needs_the_capability(people, case):
    debtor = case.parties.get(role="debtor")
    with at(2026, 3, 13):
        services.view_party_identity(people["judge"], debtor)
        services.view_party_identity(people["gz_director"], debtor)  # higher courts' directors may read
        with pytest.raises(NotPermitted):
            services.view_party_identity(people["clerk"], debtor)
        with pytest.raises(NotPermitted):
            services.view_party_identity(people["yx_director"], debtor)
    views = AuditRecord.objects.filter(action="party.view_identity")
    assert [v.actor_id for v in views] == [people["judge"].pk, people["gz_director"].pk]


def test_every_write_leaves_an_audit_record(people, case):
    with at(2026, 3, 12):
        services.assign_case(people["director"], case, people["judge"])
        services.complete_node(people["judge"], node(case, "notice"), document_ref="通知1号")
    actions = list(AuditRecord.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert actions == ["case.file", "case.assign", "node.complete"]
    assert EnforcementCase.objects.count() == 1


def _extend(people, case, day):
    with at(*day):
        ext = services.request_extension(people["judge"], case, reason="财产处置中")
        return services.approve_extension(people["president"], ext)


def test_a_further_extension_is_reported_up_and_the_count_is_limited(people, courts, case):
    from zhixing.core.models import Notification
    from zhixing.courts.roles import Role

    gd_director = factories.staff(courts["gd"], Role.DIRECTOR, username="gd_director")
    first = _extend(people, case, (2026, 8, 20))
    assert (first.sequence, first.reported_to) == (1, None)
    assert not AuditRecord.objects.filter(action="extension.report").exists()

    second = _extend(people, case, (2026, 11, 20))
    case.refresh_from_db()
    assert (case.term_due, case.extension_months) == (date(2027, 3, 4), 6)
    assert (second.sequence, second.reported_to, second.reported_on) == (2, courts["gd"], date(2026, 11, 20))
    rec = AuditRecord.objects.get(action="extension.report")
    assert rec.after == {"reported_to": "广东省高级人民法院", "sequence": 2, "term_due": "2027-03-04"}
    # level by level: the intermediate court's director and the high court's director are both told
    told = Notification.objects.filter(kind="case.extension_report").order_by("recipient_id")
    assert sorted(n.recipient_id for n in told) == sorted([people["gz_director"].pk, gd_director.pk])
    assert told[0].text == (
        f"广州市天河区人民法院案件{case.number}第2次延长执行期限3个月（至2027-03-04），依审限规定第5条层报备案"
    )

    with at(2027, 2, 20), pytest.raises(Conflict) as err:
        services.request_extension(people["judge"], case, reason="还要延长")
    assert err.value.message == "执行期限已延长2次，达到上限2次，不能再延长（审限规定第5条）"


def test_the_extension_limit_is_configuration(people, case, settings):
    settings.ZHIXING_CASES = {"extension_limit": 1}
    _extend(people, case, (2026, 8, 20))
    with at(2026, 11, 20), pytest.raises(Conflict):
        services.request_extension(people["judge"], case, reason="再次")
    settings.ZHIXING_CASES = {"extension_limit": 3}
    assert _extend(people, case, (2026, 11, 20)).sequence == 2
