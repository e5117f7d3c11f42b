"""Consumption the court approved (限消规定 Arts 3(2), 8) is deducted from restriction violations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine

from tests.credit.conftest import NOW, debtor, debtor_case, listing_data
from zhixing.analytics import queries, services
from zhixing.analytics.ruleconfig import DEFAULT_CONFIG
from zhixing.analytics.rules import evaluate
from zhixing.credit import services as credit_services
from zhixing.credit.models import Restriction

from .conftest import load
from .test_indicators import GENERIC, HEADER

LINES = HEADER + (
    "2026-03-11 10:00:00,-1800.00,中国东方航空,,机票,CNY,,P1\n"  # in the approved window: deducted
    "2026-03-11 20:00:00,-900.00,广州希尔顿酒店,,住宿,CNY,,P2\n"  # the window frees flights only
    "2026-03-20 10:00:00,-1500.00,中国东方航空,,机票,CNY,,P3\n"  # after the window: a violation
)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def test_an_approved_medical_flight_is_deducted(people: dict[str, Any], presets: Any) -> None:
    # rule
    judge = people["judge"]
    case = debtor_case(people["clerk"])
    party = debtor(case)
    credit_services.list_debtor(judge, case, party, listing_data())
    restriction = Restriction.objects.get(party=party, kind=Restriction.Kind.CONSUMPTION)
    credit_services.decide_private_consumption(
        judge,
        restriction,
        applied_on=date(2026, 3, 9),
        purpose="就医乘坐飞机",
        granted=True,
        reason="提供三甲医院转诊证明",
        codes=["flight"],
        valid_from=date(2026, 3, 10),
        valid_until=date(2026, 3, 12),
    )
    ref = queries.debtor(judge, case.pk, party.pk)
    assert ref is not None
    assert queries.permitted_consumption(party) == [
        (date(2026, 3, 10), date(2026, 3, 12), ["flight"], "就医乘坐飞机")
    ]
    generic = services.save_preset(judge, dict(GENERIC))
    assert load(ref, judge, generic, LINES.encode()).imported == 3
    p = services.compute_profile(judge, ref, start=date(2026, 1, 1), end=date(2026, 3, 31))
    got = [(v["day"], v["cat"], v["item"], v["permitted_by"]) for v in p.indicators["violations"]]
    assert got == [
        ("2026-03-11", "air", 1, "就医乘坐飞机"),
        ("2026-03-11", "star_hotel", 2, None),
        ("2026-03-20", "air", 1, None),
    ]
    (finding,) = [f for f in p.findings if f["rule"] == "restriction_violation"]
    assert len(finding["evidence"]) == 2
    assert finding["detail"] == (
        "限消期间受限消费2次（首次2026-03-11；限消规定第三条第一款第（一）、（二）项）；已扣除经准许的消费1次（就医乘坐飞机）"
    )


def test_every_violation_approved_means_no_finding() -> None:
    ind = {"violations": [{"src": "tx", "row_id": 1, "day": "2026-03-11", "item": 1, "permitted_by": "就医"}]}
    result = evaluate(ind, DEFAULT_CONFIG, {})
    assert [f["rule"] for f in result["findings"]] == []
