"""`make run`'s demo shows payout clocks in every state on the second demo court's cases."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhixing.core.audit import verify_chain
from zhixing.courts.models import Court
from zhixing.funds.models import PayoutClock, PayoutHold, Receipt
from zhixing.funds.queries_holds import held_amount

# slow: dealt out first in a parallel run (conftest.py), so it does not run alone at the end.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_has_clocks_in_every_state_and_holds_for_every_reason() -> None:
    call_command("seed_demo", verbosity=0)  # make run's default size
    second = Court.objects.filter(code="粤0104").get()  # 越秀: the second court by id with cases
    clocks = list(PayoutClock.objects.filter(receipt__bank_txn_id__startswith="DEMO-CLOCK-"))
    assert {c.court_id for c in clocks} == {second.pk}
    today = timezone.localdate()
    running = [c for c in clocks if c.status == "running"]
    assert any(c.due_on and c.due_on < today for c in running)  # overdue
    assert any(c.due_on and 0 <= (c.due_on - today).days <= 5 for c in running)  # due soon
    assert any(c.due_on and (c.due_on - today).days > 10 for c in running)  # running
    assert any(c.status == "met" for c in clocks)
    assert any(0 < c.open_amount < c.amount and c.overdue_since for c in running)  # partly paid, overdue
    holds = list(PayoutHold.objects.filter(court=second))
    active = {h.reason for h in holds if h.end is None}
    assert active == {"distribution", "disputed", "frozen_elsewhere", "unreachable", "suspended"}
    lifted = [h for h in holds if h.end is not None]
    assert lifted and all(h.followup_due for h in lifted)
    # the demo's own suspension (the other suspended cases of the demo hold no money)
    suspended = next(h for h in holds if h.reason == "suspended" and h.end is None and h.clocks.exists())
    assert held_amount(suspended.case) == 64000
    assert all(c.status == "held" for c in suspended.clocks.all())
    assert verify_chain().ok
    # again: nothing more
    n = Receipt.objects.count()
    call_command("funds_demo_clocks", verbosity=0)
    assert Receipt.objects.count() == n
