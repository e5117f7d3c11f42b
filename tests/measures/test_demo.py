"""`make run`'s demo shows the measures pages with data: proposals and consequences in every state."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from zhixing.measures.models import Consequence, Proposal

pytestmark = pytest.mark.django_db


def test_seed_demo_leaves_proposals_and_consequences_in_every_state(settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}
    call_command("seed_demo", cases=100, verbosity=0)
    states = set(Proposal.objects.filter(court__code="粤0106").values_list("status", flat=True))
    assert {"open", "accepted", "declined"} <= states
    done = set(Consequence.objects.filter(court__code="粤0106").values_list("status", flat=True))
    assert {"applied", "failed"} <= done
    failed = Consequence.objects.get(court__code="粤0106", status="failed", measure="freeze")
    assert "续行冻结" in failed.error
