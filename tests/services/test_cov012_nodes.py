"""Node deadlines of rules.md §2.2 added by issue 15 (cov012): asking for asset leads after the
assignment, an investigation on the applicant's request, the debtor's supplementary report, and the
urgent lead verification — exact dates, frozen time, holidays rolled (CPL Art 85)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases import services
from zhixing.cases.models import Node, NodeType
from zhixing.core.errors import Conflict

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def case(people):
    with at(2026, 3, 10):
        return factories.case(people["clerk"])  # applied 2026-03-02, filed 2026-03-04


def _nodes(case, code) -> list[Node]:
    return list(case.nodes.filter(node_type__code=code))


def test_asking_for_leads_runs_three_days_from_the_assignment(people, case):
    assert _nodes(case, "ask_leads") == []  # not created at filing: the officer has no materials yet
    with at(2026, 3, 10):
        services.assign_case(people["director"], case, people["judge"])
    [n] = _nodes(case, "ask_leads")
    # Received Tuesday 10 March: the day itself is not counted, 3 days end Friday 13 March.
    assert (n.status, n.started_on, n.due_on, n.handler) == (
        "pending",
        date(2026, 3, 10),
        date(2026, 3, 13),
        people["judge"],
    )
    with at(2026, 3, 12):
        services.assign_case(people["director"], case, people["director"])  # re-assignment
    once = [(x.started_on, x.due_on) for x in _nodes(case, "ask_leads")]
    assert once == [(date(2026, 3, 10), date(2026, 3, 13))]
    with at(2026, 3, 13):
        services.complete_node(people["director"], n, document_ref="线索通知1号")
    n.refresh_from_db()
    assert (n.status, n.completed_on) == ("done", date(2026, 3, 13))


def test_asking_for_leads_past_qingming(people, case):
    with at(2026, 4, 1):
        services.assign_case(people["director"], case, people["judge"])
    [n] = _nodes(case, "ask_leads")
    # 1 April + 3 = Saturday 4 April, inside the Qingming holiday (4–6 April) → Tuesday 7 April.
    assert (n.started_on, n.due_on) == (date(2026, 4, 1), date(2026, 4, 7))


def test_ask_leads_node_type_is_data_anchored_on_the_assignment():
    nt = NodeType.objects.get(code="ask_leads")
    assert (nt.budget, nt.unit, nt.anchor, nt.auto_create, nt.completion) == (
        3,
        "days",
        "assigned",
        True,
        "manual",
    )
    assert "第5条" in nt.legal_basis


def test_investigation_on_request_within_ten_days(people, case):
    nt = NodeType.objects.get(code="investigate_on_request")
    with at(2026, 3, 25):
        n = services.add_node(people["judge"], case, nt, note="申请执行人申请调查被执行人股权")
    n.refresh_from_db()
    # 25 March + 10 = Saturday 4 April (Qingming) → Tuesday 7 April.
    assert (n.started_on, n.due_on) == (date(2026, 3, 25), date(2026, 4, 7))
    with at(2026, 3, 16):
        m = services.add_node(people["judge"], case, nt, started_on=date(2026, 3, 16))
    m.refresh_from_db()
    assert m.due_on == date(2026, 3, 26)


def test_supplementary_report_ten_days_from_the_change(people, case):
    nt = NodeType.objects.get(code="supplement_report")
    with at(2026, 3, 25):
        n = services.add_node(people["judge"], case, nt, started_on=date(2026, 3, 20), note="出售车辆")
    n.refresh_from_db()
    assert (n.started_on, n.due_on) == (date(2026, 3, 20), date(2026, 3, 30))


def test_urgent_lead_verification_three_days(people, case):
    urgent = NodeType.objects.get(code="verify_lead_urgent")
    normal = NodeType.objects.get(code="verify_lead")
    with at(2026, 3, 13):
        u = services.add_node(people["judge"], case, urgent, note="被执行人正在转移车辆")
        v = services.add_node(people["judge"], case, normal, note="房产线索")
    u.refresh_from_db()
    v.refresh_from_db()
    # Friday 13 March: urgent 3 days → Monday 16 March; ordinary 7 days → Friday 20 March.
    assert (u.due_on, v.due_on) == (date(2026, 3, 16), date(2026, 3, 20))


def test_extension_asked_five_days_before_expiry_not_four(people, case):
    # Term due Friday 4 September 2026 (filed 4 March): 30 August is 5 days before, 31 August only 4.
    case.refresh_from_db()
    assert case.term_due == date(2026, 9, 4)
    with at(2026, 8, 31), pytest.raises(Conflict) as err:
        services.request_extension(people["judge"], case, reason="财产待处置")
    assert err.value.message == "延长申请须在执行期限届满5日前提出（届满日2026-09-04）"
    with at(2026, 8, 30):
        ext = services.request_extension(people["judge"], case, reason="财产待处置")
    assert (ext.requested_on, ext.sequence) == (date(2026, 8, 30), 1)
