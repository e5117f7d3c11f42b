"""Payout approvals notify whoever the payout waits for, and the finance officer's worklist counts it
(issue 13: work that waits is visible)."""

from __future__ import annotations

from typing import Any

import pytest

from zhixing.core import worklist
from zhixing.core.models import Notification
from zhixing.funds import services

from .conftest import receive
from .test_payouts import propose

pytestmark = pytest.mark.django_db


def inbox(user: Any) -> list[tuple[str, str]]:
    return [(n.kind, n.text) for n in Notification.objects.filter(recipient=user).order_by("id")]


def funds_counts(user: Any) -> dict[str, int]:
    return {i.key: i.count for g in worklist.groups_for(user) if g.section == "funds" for i in g.items}


def test_each_step_notifies_the_next_approver_then_finance_and_the_proposer(
    case, people, django_capture_on_commit_callbacks
):
    receive(case, "90000.00", "NP1")
    with django_capture_on_commit_callbacks(execute=True):
        p = propose(case, people, "12345.60")
    # Chain judge → director → president; the proposing judge is skipped, the other judge is asked.
    assert inbox(people["judge2"]) == [
        ("funds.approval", f"{case.number}的发款12,345.60元等待您（执行法官）审批")
    ]
    assert inbox(people["judge"]) == [] and inbox(people["director"]) == []
    assert funds_counts(people["finance"])["to_send"] == 0
    services.decide(people["judge2"], p.pk)
    assert inbox(people["director"]) == [
        ("funds.approval", f"{case.number}的发款12,345.60元等待您（执行局局长）审批")
    ]
    services.decide(people["director"], p.pk)
    assert [k for k, _ in inbox(people["president"])] == ["funds.approval"]
    assert inbox(people["finance"]) == []
    services.decide(people["president"], p.pk)
    assert inbox(people["finance"]) == [
        ("funds.to_send", f"{case.number}的发款12,345.60元已审批通过，待发送支付指令")
    ]
    assert inbox(people["judge"]) == [("funds.approved", f"您提出的{case.number}发款12,345.60元已审批通过")]
    assert funds_counts(people["finance"])["to_send"] == 1
    assert funds_counts(people["president"])["approvals"] == 0


def test_a_rejection_tells_the_proposer(case, people):
    receive(case, "90000.00", "NP2")
    p = propose(case, people, "100.00")
    services.decide(people["judge2"], p.pk, approve=False, note="账户有误")
    assert inbox(people["judge"]) == [
        ("funds.rejected", f"您提出的{case.number}发款100.00元未获批准：账户有误")
    ]
