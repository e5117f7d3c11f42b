"""A control order waiting for approval notifies the approver; the decision notifies the requester; the
approver's worklist counts it (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.inquiry.test_controls import account
from zhixing.core import worklist
from zhixing.core.models import Notification
from zhixing.inquiry import services

pytestmark = pytest.mark.django_db


def inbox(user: Any) -> list[tuple[str, str, str]]:
    return [
        (n.kind, n.text, n.url)
        for n in Notification.objects.filter(recipient=user, kind__startswith="inquiry.").order_by("id")
    ]


def approvals(user: Any) -> int:
    return next(i.count for g in worklist.groups_for(user) if g.section == "inquiry" for i in g.items)


def test_freeze_waits_for_the_director_then_tells_the_judge(people: dict[str, Any], case: Any) -> None:
    asset = account(case, "5000.00", "6222000000000001")
    req = services.request_control(people["judge"], asset, "freeze", amount="1000.00")
    assert inbox(people["director"]) == [
        ("inquiry.approval", f"{case.number}的冻结请求等待您（执行局局长）审批", "/inquiry/approvals/")
    ]
    assert inbox(people["judge"]) == [] and inbox(people["president"]) == []
    assert approvals(people["director"]) == 1
    services.approve(people["director"], req)
    assert approvals(people["director"]) == 0
    assert inbox(people["judge"]) == [
        ("inquiry.decided", f"{case.number}的冻结请求已审批通过，正在发送", f"/inquiry/cases/{case.pk}/")
    ]


def test_a_rejection_tells_the_judge_why(people: dict[str, Any], case: Any) -> None:
    asset = account(case, "5000.00", "6222000000000002")
    req = services.request_control(people["judge"], asset, "freeze", amount="1000.00")
    services.reject(people["director"], req, "金额不当")
    assert inbox(people["judge"])[-1][:2] == ("inquiry.decided", f"{case.number}的冻结请求未获批准：金额不当")
