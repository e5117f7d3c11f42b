"""Seed functions for `tests.live_server.LiveServer.call` (run in a child process, Django set up)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests import factories
from zhixing.cases import services as case_services
from zhixing.courts.roles import Role
from zhixing.credit import services

PEOPLE = (
    ("张三", factories.make_id(date(1980, 5, 6), seq=111)),
    ("李四", factories.make_id(date(1975, 1, 2), seq=222)),
)


def listings() -> dict[str, Any]:
    """Courts, a clerk and a judge of 天河, and two debtors on the published list (today, no grace)."""
    th = factories.province()["th"]
    clerk, judge = factories.staff(th, Role.CLERK), factories.staff(th, Role.JUDGE)
    for name, number in PEOPLE:
        case = factories.case(
            clerk,
            parties=[
                case_services.PartyData(
                    role="applicant",
                    kind="organisation",
                    name="广州某银行",
                    credit_code=factories.VALID_CREDIT,
                ),
                case_services.PartyData(role="debtor", kind="person", name=name, id_number=number),
            ],
        )
        factories.serve_notice(case)  # 失信规定 Art 5(1): the notice first
        services.list_debtor(
            judge,
            case,
            case.parties.get(role="debtor"),
            services.ListingData(ground=4, dishonest_act="拒不报告财产"),
        )
    return {"people": [list(p) for p in PEOPLE]}
