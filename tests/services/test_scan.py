"""The periodic due-node scan: yellow and red warnings once each, in batches, with frozen time."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases.models import Alert, Node
from zhixing.cases.services import scan_due_nodes

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def case(people):
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=TZ), tick=False):
        return factories.case(people["clerk"])


def test_scan_raises_red_for_overdue_and_yellow_for_due_soon(case):
    # On 2026-03-10: network_inquiry (due 03-09) is overdue; assign_handler (due 03-11, 1 working day,
    # window 2) is yellow; notice (due 03-12, 10 days from receipt on 03-02 (民诉解释 Art 480): 2 working
    # days, window 3) is yellow too. Before issue 15 the notice counted from filing (03-16) and was not.
    result = scan_due_nodes(date(2026, 3, 10))
    assert (result.red, result.yellow) == (1, 2)
    levels = {a.node.node_type.code: a.level for a in Alert.objects.select_related("node__node_type")}
    assert levels == {"network_inquiry": 2, "assign_handler": 1, "notice": 1}
    again = scan_due_nodes(date(2026, 3, 10))
    assert (again.red, again.yellow) == (0, 0)
    assert Alert.objects.count() == 3


def test_yellow_then_red_as_days_pass(case):
    scan_due_nodes(date(2026, 3, 10))
    result = scan_due_nodes(
        date(2026, 3, 12)
    )  # assign_handler now overdue; notice (due 03-12) warned already
    assert (result.red, result.yellow) == (1, 0)
    assert Node.objects.get(case=case, node_type__code="assign_handler").alerted == 2


def test_scan_in_small_batches_finishes_everything(people):
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=TZ), tick=False):
        for _ in range(5):
            factories.case(people["clerk"])
    result = scan_due_nodes(date(2026, 3, 10), batch=2)
    assert (result.red, result.yellow) == (5, 10)  # assign_handler and notice (from receipt) of each


def test_completed_nodes_are_not_warned(case, people):
    node = Node.objects.get(case=case, node_type__code="network_inquiry")
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=TZ), tick=False):
        from zhixing.cases.services import complete_node

        complete_node(people["judge"], node, document_ref="查控批次1")
    assert scan_due_nodes(date(2026, 3, 10)).red == 0
