"""Each closing mode end to end through the API, then the railway's and the airline's screening answer."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.credit.conftest import ADULT_ID, _fresh_state, airline, debtor, debtor_case, listing_data, railway  # noqa: F401  (fixtures)
from zhixing.cases import services as case_services
from zhixing.cases.closing import CLOSING_FIELDS
from zhixing.credit import services as credit_services
from zhixing.measures.models import Consequence

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def screen(partner: Any) -> Any:
    return (
        Client()
        .post(
            "/api/v1/screening/check",
            data=json.dumps({"id": ADULT_ID}),
            content_type="application/json",
            HTTP_X_PARTNER_KEY=partner[1],
        )
        .json()
    )


def details(mode: str) -> dict[str, str]:
    out = {}
    for spec in CLOSING_FIELDS[mode]:
        out[spec.name] = {"amount": "100000.00", "date": "2026-06-09", "choice": ""}.get(
            spec.kind, "（2026）粤0106执1号之一"
        )
        if spec.kind == "choice":
            out[spec.name] = spec.choices[0][0]
    return out


@pytest.mark.parametrize(
    ("mode", "restricted_after"),
    [
        ("performed", False),
        ("terminated", False),
        ("refused", False),
        ("dismissed", False),
        ("withdrawn", False),
        ("dormant", True),  # 终本: the listing and restrictions stay in force
    ],
)
def test_closing_through_the_api_then_screening(
    people: dict[str, Any],
    railway: Any,  # noqa: F811
    airline: Any,  # noqa: F811
    mode: str,
    restricted_after: bool,
) -> None:
    with time_machine.travel(START, tick=False):
        case = debtor_case(people["clerk"])
        case = case_services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 10))
        # Ground 1 (no term): the Art 10(1) closing triggers delete it (失信规定 Art 10(2)).
        from tests.credit.conftest import open_listing_data

        credit_services.list_debtor(people["judge"], case, debtor(case), open_listing_data())
        credit_services.restrict_exit(
            people["judge"], case, debtor(case), initiation="ex_officio", bound_persons=[]
        )
        assert screen(railway)["restricted"] is True
        assert screen(airline)["restricted"] is True
    # Close three months later (终本 needs more than 3 months since filing and a served notice: debtor_case
    # served it on filing, which completed the `notice` node).
    with time_machine.travel(datetime(2026, 6, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert case.nodes.get(node_type__code="notice").status == "done"
        if mode == "dormant":  # 终本: every precondition confirmed first (终本规定 Arts 1-3)
            factories.dormant_ready(people["judge"], case)
        c = Client()
        c.force_login(people["judge"])
        r = c.post(
            f"/api/v1/cases/{case.pk}/close",
            data=json.dumps(
                {"mode": mode, "closed_on": timezone.localdate().isoformat(), "details": details(mode)}
            ),
            content_type="application/json",
        )
        assert r.status_code == 200, r.content
        assert screen(railway)["restricted"] is restricted_after
        assert screen(airline)["restricted"] is restricted_after
        measures = c.get(f"/api/v1/measures/cases/{case.pk}").json()
    applied = {(x["measure"], x["status"]) for x in measures["consequences"]}
    if restricted_after:
        assert applied == set()
    else:
        # list_debtor also imposed the consumption restriction (限制消费规定 Art 1(2)).
        assert applied == {("consumption", "applied"), ("exit", "applied"), ("listing", "applied")}
        assert not Consequence.objects.filter(case=case, status="failed").exists()
