"""cases.services.node_events: a platform event completes the earliest pending node of its code, once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases import services
from zhixing.cases.models import Node, NodeType
from zhixing.cases.services.node_events import NodeEvent, complete_node_from_event, complete_nodes_from_event
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def case(people):
    with at(2026, 3, 10):
        c = factories.case(people["clerk"])  # filed 2026-03-04
        return services.assign_case(people["director"], c, people["judge"])


def fire(case, code="network_inquiry", url="/inquiry/cases/1/?batch=1#requests", actor=None):
    return complete_node_from_event(
        case.pk,
        code,
        event="test.event",
        link_url=url,
        link_label="批次#1",
        document_ref="文号1",
        actor=actor,
    )


def test_completes_with_event_link_audit_and_next_due(people, case):
    with at(2026, 3, 10):
        case.refresh_from_db()
        assert case.next_due_on == date(2026, 3, 9)  # 发起网络查控, 3 working days from 03-04
        n = fire(case, actor=people["judge"])
    assert n is not None
    n.refresh_from_db()
    assert (n.status, n.completed_on, n.completed_by) == ("done", date(2026, 3, 10), people["judge"])
    assert (n.event, n.link_url, n.link_label, n.document_ref) == (
        "test.event",
        "/inquiry/cases/1/?batch=1#requests",
        "批次#1",
        "文号1",
    )
    [rec] = AuditRecord.objects.filter(action="node.complete_by_event")
    assert rec.case_id == case.pk
    assert rec.after == {
        "node": "network_inquiry",
        "event": "test.event",
        "on": "2026-03-10",
        "document": "文号1",
        "link": "/inquiry/cases/1/?batch=1#requests",
        "late": True,
    }
    case.refresh_from_db()
    # 发送执行通知书: 10 days from receipt of the application, 03-02 (民诉解释 Art 480; issue 15)
    assert case.next_due_on == date(2026, 3, 12)


def test_the_same_event_twice_is_a_no_op_even_with_another_pending_node(people, case):
    with at(2026, 3, 10):
        extra = services.add_node(people["judge"], case, NodeType.objects.get(code="control"))
        first = complete_node_from_event(case.pk, "control", event="e", link_url="/r/1", link_label="#1")
        again = complete_node_from_event(case.pk, "control", event="e", link_url="/r/1", link_label="#1")
        other = complete_node_from_event(case.pk, "control", event="e", link_url="/r/2", link_label="#2")
    assert first is not None and first.pk == extra.pk
    assert again is None
    assert other is None  # no pending control node left
    assert AuditRecord.objects.filter(action="node.complete_by_event").count() == 1


def test_no_pending_node_is_a_no_op(people, case):
    with at(2026, 3, 10):
        services.complete_node(
            people["judge"], case.nodes.get(node_type__code="network_inquiry"), document_ref="手工"
        )
        assert fire(case) is None
    assert not AuditRecord.objects.filter(action="node.complete_by_event").exists()


@pytest.mark.parametrize("url", ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)", ""])
def test_only_site_paths_are_stored_as_links(case, url):
    with at(2026, 3, 10):
        n = fire(case, url=url)
    assert n is not None and n.link_url == "" and n.link_label == "批次#1"


def test_many_cases_at_once(people):
    with at(2026, 3, 10):
        a, b = factories.case(people["clerk"]), factories.case(people["clerk"])
        done = complete_nodes_from_event(
            [NodeEvent(a.pk, "/x/a", "A"), NodeEvent(b.pk, "/x/b", "B", "文B")], "network_inquiry", event="e"
        )
    assert {(n.case_id, n.link_url, n.document_ref) for n in done} == {
        (a.pk, "/x/a", "A"),
        (b.pk, "/x/b", "文B"),
    }
    assert Node.objects.filter(event="e", status="done").count() == 2
    assert AuditRecord.objects.filter(action="node.complete_by_event").count() == 2
