"""The profile reads consumption restrictions (credit) and freezes (inquiry) with no explicit input.

A debtor is restricted through the credit services and one of its accounts frozen through the
inquiry services; the profile computed afterwards flags the restricted-consumption violation and the
cash-out before the freeze, with exactly the statement rows that prove them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from tests import factories
from zhixing.analytics import queries, services
from zhixing.analytics.models import Transaction
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase
from zhixing.credit import queries as credit_queries
from zhixing.credit import services as credit_services
from zhixing.inquiry import services as inquiry_services
from zhixing.inquiry.models import Asset, InquiryRequest, Partner
from zhixing.inquiry.services import feedback

from .conftest import load
from .test_indicators import GENERIC, HEADER

TZ = ZoneInfo("Asia/Shanghai")
RESTRICTED_ON = datetime(2026, 3, 10, 10, tzinfo=TZ)
FROZEN_ON = datetime(2026, 4, 15, 10, tzinfo=TZ)
ANALYSED_ON = datetime(2026, 7, 1, 10, tzinfo=TZ)

STATEMENT = (
    HEADER
    + """2026-03-01 10:00:00,-2000.00,中国东方航空,,机票,CNY,,S01
2026-03-20 10:00:00,-2600.00,中国南方航空,,机票,CNY,,S02
2026-04-10 12:00:00,-8000.00,,,ATM取款,CNY,,S03
2026-04-12 12:00:00,-7000.00,王某,,转账,CNY,,S04
2026-04-20 12:00:00,-300.00,某超市有限公司,,消费,CNY,,S05
"""
)


@pytest.fixture(autouse=True)
def _quiet(settings: Any) -> Iterator[None]:
    """No partner dispatch on commit; a fresh credit screening index."""
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}
    credit_queries.reset_index()
    cache.clear()
    yield
    credit_queries.reset_index()


def open_case(people: dict[str, Any]) -> EnforcementCase:
    case = factories.case(people["clerk"])
    factories.serve_notice(case)  # served on filing: its period ran out on 03-09 (限消规定 Art 1(1))
    return case_services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))


def debtor_of(case: EnforcementCase) -> Any:
    return case.parties.get(role="debtor")


def restrict(people: dict[str, Any], case: EnforcementCase) -> None:
    with time_machine.travel(RESTRICTED_ON, tick=False):
        credit_services.restrict_consumption(
            people["judge"], case, debtor_of(case), items=[1, 2, 3], bound_persons=[]
        )


def freeze(people: dict[str, Any], case: EnforcementCase, ref: str, frozen: str, when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        bank = Partner.objects.get(code="BANK-ICBC")
        asset = Asset.objects.create(
            case=case,
            party=debtor_of(case),
            partner=bank,
            category=bank.category,
            kind="account",
            ref=ref,
            value=Decimal("50000.00"),
            found_at=when,
        )
        req = inquiry_services.request_control(people["judge"], asset, "freeze", amount="50000.00")
        req = inquiry_services.approve(people["director"], req)
        InquiryRequest.objects.filter(pk=req.pk).update(status=InquiryRequest.Status.SENDING)
        feedback.apply_control(
            req, {"key": req.idempotency_key, "status": "done", "result": {"frozen": frozen}}
        )


def test_restriction_periods_cover_other_cases_of_the_same_person(people: dict[str, Any], db: Any) -> None:
    first, second = open_case(people), open_case(people)
    restrict(people, first)
    with time_machine.travel(datetime(2026, 3, 12, 10, tzinfo=TZ), tick=False):
        (row,) = credit_services.restrict_consumption(
            people["judge"], second, debtor_of(second), items=[1], bound_persons=[]
        )
    with time_machine.travel(datetime(2026, 5, 6, 10, tzinfo=TZ), tick=False):
        credit_services.lift_restriction(people["judge"], row, trigger="applicant_consent")
    want = [(date(2026, 3, 10), None), (date(2026, 3, 12), date(2026, 5, 6))]
    assert queries.restriction_periods(debtor_of(first)) == want
    assert queries.restriction_periods(debtor_of(second)) == want


def test_freeze_dates_count_effective_freezes_only(people: dict[str, Any], db: Any) -> None:
    case, other = open_case(people), open_case(people)
    freeze(people, case, "6222000000000001", "50000.00", FROZEN_ON)
    freeze(people, case, "6222000000000002", "0", datetime(2026, 4, 20, 10, tzinfo=TZ))  # nothing frozen
    freeze(people, other, "6222000000000003", "1200.00", datetime(2026, 5, 8, 23, 30, tzinfo=TZ))
    assert queries.freeze_dates(debtor_of(case)) == [date(2026, 4, 15), date(2026, 5, 8)]
    assert queries.restriction_periods(debtor_of(case)) == []


def test_profile_flags_violation_and_evasion_from_credit_and_inquiry(
    people: dict[str, Any], presets: Any
) -> None:
    case = open_case(people)
    restrict(people, case)
    freeze(people, case, "6222000000000001", "50000.00", FROZEN_ON)
    with time_machine.travel(ANALYSED_ON, tick=False):
        judge = people["judge"]
        ref = queries.debtor(judge, case.pk, debtor_of(case).pk)
        assert ref is not None
        generic = services.save_preset(judge, dict(GENERIC))
        job = load(ref, judge, generic, STATEMENT.encode())
        assert (job.status, job.imported) == ("done", 5)
        prof = services.compute_profile(judge, ref, start=date(2026, 1, 1), end=date(2026, 6, 30))
    ids = dict(Transaction.objects.filter(job=job).values_list("txn_id", "pk"))
    assert prof.key_dates["restrictions"] == [["2026-03-10", None]]
    assert prof.key_dates["freezes"] == ["2026-04-15"]
    found = {f["rule"]: f for f in prof.findings}
    v = found["restriction_violation"]
    detail = "限消期间受限消费1次（首次2026-03-20；限消规定第三条第一款第（一）项）"
    assert (v["evidence"], v["detail"]) == ([ids["S02"]], detail)
    e = found["evasion"]
    assert e["evidence"] == [ids["S03"], ids["S04"]]
    assert e["detail"] == "冻结前取现/转出2笔，合计15000.00元"
    codes = [r["code"] for r in prof.recommendations]
    assert codes[:3] == ["list_violation", "fine_detention", "list_hide"]
