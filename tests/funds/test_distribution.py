"""Distribution plan service: shares, objection period, 提存 of the disputed amount and release."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.funds import queries, services

from .conftest import receive

pytestmark = pytest.mark.django_db


def make_plan(case, people):
    return services.create_plan(
        people["judge"],
        case,
        proceeds="1000.00",
        costs="100.01",
        claims=[
            {"creditor": "甲", "amount": "300.00"},
            {"creditor": "乙", "amount": "300.00"},
            {"creditor": "丙", "amount": "300.00"},
            {"creditor": "抵押权人", "amount": "1.00", "priority": True, "priority_date": "2020-01-01"},
        ],
    )


def test_plan_shares_add_up_to_proceeds(case, people):
    plan = make_plan(case, people)
    paid = [Decimal(x["paid"]) for x in plan.lines]
    assert sum(paid) + plan.costs == Decimal("1000.00")
    assert paid[:3] == [Decimal("299.67"), Decimal("299.66"), Decimal("299.66")]  # the extra fen to the first
    assert paid[3] == Decimal("1.00")


def test_objection_holds_and_resolution_releases(case, people):
    receive(case, "1000.00", "D1")
    plan = make_plan(case, people)
    plan = services.serve_plan(people["judge"], plan, date(2026, 4, 1))
    assert plan.objection_due == date(2026, 4, 16)
    with pytest.raises(Conflict):
        services.record_objection(people["judge"], plan, received_on=date(2026, 4, 17), disputed="100.00")
    plan = services.record_objection(people["judge"], plan, received_on=date(2026, 4, 10), disputed="299.66")
    assert plan.counter_objection_due == date(2026, 4, 25)
    m = queries.case_money(case)
    assert m.held == Decimal("299.66") and m.balance == Decimal("700.34")
    services.resolve_plan(people["judge"], plan)
    m = queries.case_money(case)
    assert m.held == 0 and m.balance == Decimal("1000.00")


def test_plan_permissions_and_validation(case, people):
    with pytest.raises(NotPermitted):
        services.create_plan(
            people["finance"], case, proceeds="1", costs="0", claims=[{"creditor": "a", "amount": "1"}]
        )
    with pytest.raises(ServiceError) as exc:
        services.create_plan(
            people["judge"], case, proceeds="1", costs="0", claims=[{"creditor": "a", "amount": "x"}]
        )
    assert exc.value.field == "claims[0].amount"
