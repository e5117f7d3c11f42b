"""The demo's distribution plans: every stage on the third basic court's running cases, money booked
first, never more than the case balance, nothing new on a second run."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from tests import factories
from zhixing.cases.models import EnforcementCase
from zhixing.courts.roles import Role
from zhixing.funds import queries, services
from zhixing.funds.management.commands.funds_demo_distribution import STAGES, demo_court
from zhixing.funds.models import DistributionPlan, Payout

pytestmark = pytest.mark.django_db


def demo_world(n_cases: int = 9) -> dict[str, Any]:
    """A province, staff of the third basic court, its custody account and `n_cases` running cases."""
    courts = factories.province()
    court = demo_court()
    assert court is not None and court.pk == courts["ft"].pk
    staff = {r: factories.staff(court, r, username=f"ft_{r}") for r in Role}
    staff["judge2"] = factories.staff(court, Role.JUDGE, username="ft_judge2")
    services.set_custody_account(
        None,
        court,
        bank_name="沙箱托管银行",
        account_name=court.name,
        account_no="44001000304",
        sub_prefix="880304",
    )
    cases = [factories.case(staff[Role.CLERK]) for _ in range(n_cases)]
    EnforcementCase.objects.filter(pk__in=[c.pk for c in cases]).update(status="in_progress")
    return {"court": court, "staff": staff, "cases": cases, "courts": courts}


def test_demo_has_a_plan_in_every_stage() -> None:
    w = demo_world()
    call_command("funds_demo_distribution", verbosity=0)
    plans = DistributionPlan.objects.filter(court=w["court"])
    got = set(plans.values_list("status", flat=True))
    # "amended" leaves its new version served again; "paid" needed its payout to be paid
    assert got == {"draft", "served", "objected", "countered", "suing", "amended", "final", "paid"}
    assert plans.count() == len(STAGES) + 1
    for p in plans:
        assert p.proceeds <= queries.case_money(p.case).received
    suing = plans.get(status="suing")
    assert suing.held_amount > 0 and queries.case_money(suing.case).held == suing.held_amount
    countered = plans.get(status="countered")
    assert countered.objections.get().suit_due is not None
    paid = plans.get(status="paid")
    assert Payout.objects.filter(case=paid.case, status="paid").count() == 1
    call_command("funds_demo_distribution", verbosity=0)
    assert DistributionPlan.objects.filter(court=w["court"]).count() == len(STAGES) + 1
