"""A case's schedule end to end: only Art 3(3) periods stop the doubled interest, payments applied in the
legal or agreed order, a 执恢 case carries its original's payments and charges no second fee; the case
page and the API show it; inquiry's claim agrees."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests import factories
from zhixing.cases import services
from zhixing.cases.queries_schedule import case_schedule
from zhixing.cases.schedule import Bucket
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.inquiry.queries import case_claim

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
APR1 = date(2026, 4, 1)


def at(d: date) -> Any:
    return time_machine.travel(datetime(d.year, d.month, d.day, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def today() -> Iterator[None]:
    with at(APR1):
        yield


def _case(people: dict[str, Any]) -> Any:
    # principal 100,000; performance deadline 2025-12-15; application fee 1,400
    return factories.case(people["clerk"])


def _suspend(people: dict[str, Any], case: Any, ground: str, **kw: Any) -> None:
    services.suspend_case(
        people["judge"], case, ground=ground, start=date(2026, 3, 5), document_ref="中止裁定", **kw
    )
    services.resume_execution(people["judge"], case, on=date(2026, 3, 10), document_ref="恢复通知")


# 2025-12-16 .. 2026-04-01 = 107 days × 17.50
FULL = Decimal("1872.50")
# Mar 5–9 excluded: 102 days
LESS_5 = Decimal("1785.00")


@pytest.mark.parametrize(
    ("ground", "kw", "expected"),
    [
        ("objection", {}, FULL),
        ("applicant_agrees", {}, FULL),
        ("heir_pending", {}, FULL),
        ("other", {}, FULL),
        ("retrial", {}, LESS_5),
        ("retrial", {"debtor_requested": True}, LESS_5),
        ("other", {"instrument_review": True}, LESS_5),
        ("other", {"instrument_review": True, "debtor_requested": True}, FULL),
    ],
)
def test_only_the_suspensions_art_3_3_names_stop_the_interest(people, today, ground, kw, expected):
    case = _case(people)
    _suspend(people, case, ground, **kw)
    cs = case_schedule(case, APR1)
    assert cs.schedule.doubled_total == expected
    (period,) = cs.periods
    assert period.excluded is (expected == LESS_5)
    assert period.article == "迟延履行利息解释第3条第3款"


@pytest.mark.parametrize(
    ("kind", "kw", "expected"),
    [
        ("deferral", {}, FULL),
        ("appraisal", {}, FULL),
        ("auction", {}, FULL),
        ("higher_court_stay", {}, FULL),
        ("review_deferral", {}, LESS_5),
        ("review_deferral", {"debtor_requested": True}, FULL),
    ],
)
def test_only_a_review_deferral_among_the_term_periods_stops_it(people, today, kind, kw, expected):
    case = _case(people)
    p = services.start_excluded_period(
        people["judge"], case, kind=kind, start=date(2026, 3, 5), document_ref="决定书", **kw
    )
    services.end_excluded_period(people["judge"], p, end=date(2026, 3, 10))
    assert case_schedule(case, APR1).schedule.doubled_total == expected


def test_unconfirmed_rows_follow_configuration(people, today, settings):
    case = _case(people)
    _suspend(people, case, "bankruptcy")
    assert case_schedule(case, APR1).schedule.doubled_total == FULL
    settings.ZHIXING_CASES = {
        "interest_excluded": {"suspension:bankruptcy": True, "suspension:objection": True}
    }
    assert case_schedule(case, APR1).schedule.doubled_total == LESS_5


def test_partial_payment_goes_to_costs_first_then_principal(people, today):
    case = _case(people)
    services.record_payment(case.pk, Decimal("50000.00"), date(2026, 1, 15), source="direct", reference="R1")
    s = case_schedule(case, APR1).schedule
    (row,) = s.rows
    # 31 days on 100,000 = 542.50; the payment pays the 1,400 fee, then 48,600 of the principal
    assert (row.days, row.accrued, row.paid[Bucket.COSTS], row.paid[Bucket.PRINCIPAL]) == (
        31,
        Decimal("542.50"),
        Decimal("1400.00"),
        Decimal("48600.00"),
    )
    # then 76 days on 51,400 = 683.62 (exact 683.62)
    assert (s.doubled_total, s.owed[Bucket.PRINCIPAL], s.total_owed) == (
        Decimal("1226.12"),
        Decimal("51400.00"),
        Decimal("52626.12"),
    )
    assert case_claim(case, APR1).outstanding == s.total_owed


def test_agreed_order_is_recorded_audited_and_applied(people, today):
    case = _case(people)
    services.record_payment(case.pk, Decimal("50000.00"), date(2026, 1, 15), source="direct", reference="R2")
    row = services.record_payment_order(
        people["judge"],
        case,
        order="doubled,costs,interest,principal",
        agreed_on=date(2026, 1, 10),
        document_ref="执行和解协议1",
    )
    assert AuditRecord.objects.filter(action="case.payment_order", object_id=str(row.pk)).count() == 1
    cs = case_schedule(case, APR1)
    assert cs.agreement is not None and cs.order_label.startswith("加倍部分债务利息")
    (r,) = cs.schedule.rows
    assert (r.paid[Bucket.DOUBLED], r.paid[Bucket.PRINCIPAL]) == (Decimal("542.50"), Decimal("48057.50"))
    # withdrawing it restores the legal order
    services.record_payment_order(
        people["judge"], case, order="", agreed_on=date(2026, 2, 1), document_ref="笔录"
    )
    assert case_schedule(case, APR1).agreement is None


@pytest.mark.parametrize(
    ("order", "field"),
    [("costs,principal", "order"), ("doubled,doubled,costs,interest", "order"), ("x,y,z,w", "order")],
)
def test_bad_agreement_refused_naming_the_field(people, today, order, field):
    case = _case(people)
    with pytest.raises(ServiceError) as err:
        services.record_payment_order(
            people["judge"], case, order=order, agreed_on=date(2026, 1, 10), document_ref="协议"
        )
    assert err.value.field == field
    assert not case.payment_orders.exists()


def test_agreement_needs_the_judge_of_the_court(people, today):
    case = _case(people)
    for who in ("clerk", "finance", "gz_director"):
        with pytest.raises(NotPermitted):
            services.record_payment_order(
                people[who], case, order="", agreed_on=date(2026, 1, 10), document_ref="协议"
            )


def test_resumed_case_carries_the_original_and_pays_no_second_fee(people):
    with at(date(2026, 3, 4)):
        original = _case(people)
    services.record_payment(
        original.pk, Decimal("50000.00"), date(2026, 1, 15), source="direct", reference="O1"
    )
    with at(date(2026, 3, 12)):
        services.close_case(
            people["judge"],
            original,
            mode="terminated",
            closed_on=date(2026, 3, 10),
            details={"document_ref": "终结裁定", "ground": "applicant_withdraws", "served_on": "2026-03-10"},
        )
        resumed = services.resume_case(
            people["judge"], original, applied_on=date(2026, 3, 11), reason="发现财产"
        )
    assert resumed.origin_id == original.pk
    assert (resumed.principal, resumed.application_fee) == (Decimal("100000.00"), Decimal("0.00"))
    services.record_payment(
        resumed.pk, Decimal("10000.00"), date(2026, 3, 20), source="direct", reference="N1"
    )
    with at(APR1):
        cs = case_schedule(resumed, APR1)
    s = cs.schedule
    assert [c.pk for c in cs.chain] == [original.pk, resumed.pk]
    assert cs.row_cases == [original.number, resumed.number]
    # 542.50 to 01-15; 64 days on 51,400 = 575.68; 12 days on 41,400 = 86.94 — nothing restarts
    assert (s.rows[1].days, s.rows[1].paid[Bucket.COSTS], s.rows[1].paid[Bucket.PRINCIPAL]) == (
        64,
        Decimal("0.00"),
        Decimal("10000.00"),
    )
    assert (s.doubled_total, s.owed[Bucket.PRINCIPAL], s.total_owed) == (
        Decimal("1205.12"),
        Decimal("41400.00"),
        Decimal("42605.12"),
    )
    with at(APR1):
        assert case_claim(resumed, APR1).outstanding == Decimal("42605.12")


def test_case_page_and_api_show_the_schedule(people, today):
    case = _case(people)
    services.record_payment(case.pk, Decimal("50000.00"), date(2026, 1, 15), source="direct", reference="R3")
    _suspend(people, case, "retrial")
    client = Client()
    client.force_login(people["judge"])
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="schedule-rows"' in page and "48,600.00" in page
    assert 'data-excluded="1"' in page and "不计息" in page
    assert "执行费用→一般债务利息→本金→加倍部分债务利息" in page
    partial = client.get(reverse("case_interest", args=[case.pk]) + "?until=2026-04-01").content.decode()
    assert 'id="owed-total"' in partial
    client.force_login(people["judge"])
    body = client.get(f"/api/v1/cases/{case.pk}/schedule?on=2026-04-01").json()
    # 31 days on 100,000, then 71 days (Mar 5–9 excluded) on 51,400
    assert body["doubled_total"] == "1181.15"
    assert body["rows"][0]["to_costs"] == "1400.00"
    assert [p["excludes_interest"] for p in body["periods"]] == [True]
    assert body["order"] == ["costs", "interest", "principal", "doubled"]
    r = client.post(
        f"/api/v1/cases/{case.pk}/payment-order",
        {"order": "bogus", "agreed_on": "2026-03-01", "document_ref": "协议"},
        content_type="application/json",
    )
    assert r.status_code == 422 or r.status_code == 400
    assert r.json()["field"] == "order"


def test_payment_order_form_on_the_page(people, today):
    case = _case(people)
    client = Client()
    client.force_login(people["judge"])
    r = client.post(
        reverse("case_payment_order", args=[case.pk]),
        {"order": "doubled,costs,interest,principal", "agreed_on": "2026-03-20", "document_ref": "和解协议"},
    )
    assert r.status_code == 302
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="payment-order-agreed"' in page
    r = client.post(
        reverse("case_payment_order", args=[case.pk]), {"order": "", "agreed_on": "", "document_ref": ""}
    )
    assert r.status_code == 302 and case.payment_orders.count() == 1
