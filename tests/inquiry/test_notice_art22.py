"""执行程序解释 Art 22 through the inquiry domain: a freeze confirmed before the enforcement notice was served
brings the case's `notice` node deadline forward to 3 days after the measure; after service it does not."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from tests.inquiry.conftest import open_case
from tests.inquiry.test_controls import account, answer
from zhixing.cases.models import Node
from zhixing.core.models import AuditRecord
from zhixing.inquiry import services

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


def notice_due(case: Any) -> date | None:
    return Node.objects.get(case=case, node_type__code="notice").due_on


def freeze(people: dict[str, Any], case: Any, ref: str) -> None:
    acct = account(case, "5000", ref)
    req = services.approve(
        people["director"], services.request_control(people["judge"], acct, "freeze", amount="100")
    )
    answer(req, frozen="100")


def test_a_freeze_before_the_notice_moves_its_deadline(people: dict[str, Any], quiet: None) -> None:
    with at(2026, 3, 6):
        # Received 03-02, not yet assigned: the notice is due 03-12 (an assignment on 03-05 could already
        # bring it to 03-09 where 2006 期限规定 Art 4 is configured, R-2.2.13).
        case = factories.case(people["clerk"])
        assert notice_due(case) == date(2026, 3, 12)
        freeze(people, case, "62220001")
    assert notice_due(case) == date(2026, 3, 9)  # Friday 03-06 + 3 days = Monday 03-09
    rec = AuditRecord.objects.get(case_id=case.pk, action="node.notice_due_by_measure")
    assert rec.after["event"] == "inquiry.freeze.confirmed" and rec.after["measure_on"] == "2026-03-06"


def test_a_freeze_after_the_notice_was_served_moves_nothing(people: dict[str, Any], quiet: None) -> None:
    with at(2026, 3, 6):
        case = open_case(people)
        factories.serve_notice(case, on=date(2026, 3, 5))
        freeze(people, case, "62220002")
    assert Node.objects.get(case=case, node_type__code="notice").status == Node.Status.DONE
    assert not AuditRecord.objects.filter(action="node.notice_due_by_measure").exists()
