"""The instrument's terms that change what is owed, end to end (issue 15, rules.md §6.3): the instalment
acceleration clause moves the seizure ceiling and the doubled interest; a foreign-currency debt is
computed in its currency or converted at the start day's central parity (迟延履行利息解释 Art 5); a
non-money obligation's 迟延履行金 (民诉解释 Art 505) is owed. Page and API; permissions; bad input."""

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
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.funds.services import fees
from zhixing.inquiry.queries import case_claim

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
APR1 = date(2026, 4, 1)
INSTALMENTS = [(date(2025, 12, 15), "40000.00"), (date(2026, 6, 30), "60000.00")]


def at(d: date) -> Any:
    return time_machine.travel(datetime(d.year, d.month, d.day, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def today() -> Iterator[None]:
    with at(APR1):
        yield


def _instalment_case(people: dict[str, Any]) -> Any:
    with at(date(2026, 3, 10)):
        return factories.case(
            people["clerk"],
            effective_on=date(2025, 11, 1),
            performance_deadline=date(2026, 6, 30),
            instalments=INSTALMENTS,
        )


def terms(**kw: Any) -> services.JudgmentTerms:
    return services.JudgmentTerms(**{"document_ref": "（2025）粤0106民初1号判决书", **kw})


def test_acceleration_makes_the_whole_balance_enforceable_and_doubles_on_it(people):
    case = _instalment_case(people)
    with at(APR1):
        before = case_schedule(case, APR1).schedule
        # first instalment 40,000 missed since 2025-12-16: 107 days × 7.00; 60,000 not due
        assert (before.doubled_total, before.not_due) == (Decimal("749.00"), Decimal("60000.00"))
        assert case_claim(case, APR1).outstanding == Decimal("42149.00")  # fee 1,400 + 40,000 + 749
        assert fees.claim_outstanding(case, APR1) == Decimal("40749.00")  # the refund limit keeps 60,000 out
        services.record_judgment_terms(people["judge"], case, terms(acceleration=True))
        case.refresh_from_db()
        s = case_schedule(case, APR1).schedule
        # the whole 100,000 due from 2025-12-15: 107 days × 17.50
        assert (s.accelerated_on, s.doubled_total, s.not_due) == (
            date(2025, 12, 15),
            Decimal("1872.50"),
            Decimal("0.00"),
        )
        assert case_claim(case, APR1).outstanding == Decimal("103272.50")  # the seizure ceiling
        assert fees.claim_outstanding(case, APR1) == Decimal("101872.50")  # the refund limit: all of it
    rec = AuditRecord.objects.get(action="case.judgment_terms")
    assert rec.case_id == case.pk and rec.after["instalment_acceleration"] is True


def test_instalment_paid_on_time_keeps_the_schedule(people):
    case = _instalment_case(people)
    services.record_payment(case.pk, Decimal("41400.00"), date(2025, 12, 15), source="direct", reference="R1")
    with at(APR1):
        services.record_judgment_terms(people["judge"], case, terms(acceleration=True))
        case.refresh_from_db()
        s = case_schedule(case, APR1).schedule
        assert (s.accelerated_on, s.not_due, s.doubled_total) == (None, Decimal("60000.00"), Decimal("0.00"))


def test_foreign_currency_in_its_currency_or_converted_at_the_start_days_rate(people, today):
    case = factories.case(people["clerk"], principal="10000.00")  # deadline 2025-12-15
    fee = case.application_fee
    with pytest.raises(ServiceError) as err:  # the case's money is RMB: the start day's rate is needed
        services.record_judgment_terms(people["judge"], case, terms(currency="USD"))
    assert err.value.field == "fx_rate"
    services.record_judgment_terms(people["judge"], case, terms(currency="USD", fx_rate="7.1234"))
    case.refresh_from_db()
    cs = case_schedule(case, APR1)
    # in USD: 10,000 × 0.0175 % × 107 days = USD 187.25; the enforcement runs in RMB at 7.1234:
    # RMB 71,234.00 × 0.0175 % × 107 = 1,333.85665 → 1,333.86
    assert (cs.currency, cs.instrument_currency, cs.fx_rate) == ("CNY", "USD", Decimal("7.123400"))
    assert (cs.doubled_foreign, cs.schedule.doubled_total) == (Decimal("187.25"), Decimal("1333.86"))
    assert cs.principal_amount == Decimal("71234.00")
    # the application fee is banded on the RMB claim: 50 + (71,234 − 10,000) × 1.5 % = 968.51
    assert (fee, case.application_fee) == (Decimal("50.00"), Decimal("968.51"))
    assert case_claim(case, APR1).outstanding == Decimal("71234.00") + Decimal("1333.86") + Decimal("968.51")
    c = Client()
    c.force_login(people["judge"])
    html = c.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="doubled-foreign">187.25<' in html and "7.1234" in html
    services.record_judgment_terms(
        people["judge"], case, terms(currency="USD", fx_rate="7.1234", fx_in_rmb=True)
    )
    case.refresh_from_db()
    cs = case_schedule(case, APR1)
    assert (cs.doubled_foreign, cs.schedule.doubled_total) == (None, Decimal("1333.86"))


def test_late_performance_fee_of_a_non_money_obligation_is_owed(people, today):
    case = factories.case(
        people["clerk"], obligation="deliver", obligation_detail="交付车辆一台", principal="0"
    )
    assert case_schedule(case, APR1).late_fee == Decimal("0.00")
    services.record_judgment_terms(people["judge"], case, terms(late_fee_loss="1234.56"))
    case.refresh_from_db()
    cs = case_schedule(case, APR1)
    assert cs.late_fee == Decimal("2469.12")
    assert cs.schedule.doubled_total == Decimal("0.00")  # no doubled interest on an act (Art 505)
    assert cs.schedule.total_owed == Decimal("2469.12") + case.application_fee
    assert case_claim(case, APR1).outstanding == cs.schedule.total_owed  # the seizure ceiling includes it
    services.record_judgment_terms(people["judge"], case, terms(late_fee_decided="800"))
    case.refresh_from_db()
    assert case_schedule(case, APR1).late_fee == Decimal("800.00")


def test_late_fee_beside_a_money_debt_bears_no_doubled_interest(people, today):
    """A delivery case that also orders money: the 迟延履行金 (民诉解释 Art 505) is owed, but the
    doubled part runs on the money debt the instrument fixed only (迟延履行利息解释 Art 1)."""
    case = factories.case(
        people["clerk"], obligation="deliver", obligation_detail="交付车辆一台", principal="10000"
    )
    before = case_schedule(case, APR1)
    assert before.money and before.schedule.doubled_total > 0
    services.record_judgment_terms(people["judge"], case, terms(late_fee_decided="2000"))
    case.refresh_from_db()
    cs = case_schedule(case, APR1)
    assert cs.late_fee == Decimal("2000.00")
    assert cs.schedule.doubled_total == before.schedule.doubled_total
    assert cs.schedule.total_owed == before.schedule.total_owed + Decimal("2000.00")


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"acceleration": True}, "acceleration"),  # no instalments
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "USD"}, "fx_rate"),
        ({"currency": "CNY", "fx_rate": "7"}, "fx_rate"),
        ({"currency": "USD", "fx_in_rmb": True}, "fx_rate"),
        ({"currency": "USD", "fx_rate": "0", "fx_in_rmb": True}, "fx_rate"),
        ({"currency": "USD", "fx_rate": "abc"}, "fx_rate"),
        ({"currency": "USD", "fx_rate": "7.12345678"}, "fx_rate"),
        ({"late_fee_loss": "100"}, "late_fee_loss"),  # a money case
        ({"document_ref": ""}, "document_ref"),
    ],
)
def test_bad_terms_name_the_field_and_write_nothing(people, today, kw, field):
    case = factories.case(people["clerk"])
    with pytest.raises(ServiceError) as err:
        services.record_judgment_terms(people["judge"], case, terms(**kw))
        case.refresh_from_db()
    assert err.value.field == field
    case.refresh_from_db()
    assert (case.currency, case.fx_rate, case.instalment_acceleration) == ("CNY", None, False)
    assert not AuditRecord.objects.filter(action="case.judgment_terms").exists()


def test_late_fee_loss_and_decided_amount_exclude_each_other(people, today):
    case = factories.case(people["clerk"], obligation="act", obligation_detail="赔礼道歉", principal="0")
    with pytest.raises(ServiceError) as err:
        services.record_judgment_terms(people["judge"], case, terms(late_fee_loss="10", late_fee_decided="5"))
        case.refresh_from_db()
    assert err.value.field == "late_fee_decided"


def test_terms_need_the_judge_of_the_court(people, today):
    case = factories.case(people["clerk"])
    for who in ("clerk", "finance", "gz_director", "yx_judge"):
        if who not in people:
            continue
        with pytest.raises(NotPermitted):
            services.record_judgment_terms(people[who], case, terms(currency="USD"))


def test_page_form_records_and_shows_the_acceleration(people):
    case = _instalment_case(people)
    c = Client()
    c.force_login(people["judge"])
    with at(APR1):
        page = c.get(reverse("case_detail", args=[case.pk]))
        assert 'data-testid="form-judgment-terms"' in page.content.decode()
        r = c.post(
            reverse("case_judgment_terms", args=[case.pk]),
            {"acceleration": "on", "currency": "CNY", "document_ref": "判决书"},
        )
        assert r.status_code == 302
        html = c.get(reverse("case_detail", args=[case.pk])).content.decode()
        assert 'data-testid="schedule-accelerated"' in html and "2025-12-15 届满的一期" in html
        bad = c.post(
            reverse("case_judgment_terms", args=[case.pk]),
            {"currency": "USD", "fx_in_rmb": "on"},
            follow=True,
        )
        assert "文书编号" in bad.content.decode()
    anon = Client().post(reverse("case_judgment_terms", args=[case.pk]), {"currency": "CNY"})
    assert anon.status_code == 302 and "login" in anon["Location"]
    clerk = Client()
    clerk.force_login(people["clerk"])
    assert (
        clerk.post(
            reverse("case_judgment_terms", args=[case.pk]), {"currency": "CNY", "document_ref": "x"}
        ).status_code
        == 403
    )


def test_api_records_terms_and_returns_the_schedule(people):
    from zhixing.courts.services import issue_token

    case = _instalment_case(people)
    token = issue_token(None, people["judge"], "t")
    c = Client()
    with at(APR1):
        r = c.post(
            f"/api/v1/cases/{case.pk}/judgment-terms",
            {"acceleration": True, "document_ref": "判决书"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 201, r.content
        body = r.json()
        assert (body["acceleration"], body["accelerated_on"], body["not_due"], body["doubled_total"]) == (
            True,
            "2025-12-15",
            "0.00",
            "1872.50",
        )
        assert (body["currency"], body["fx_rate"], body["late_performance_fee"], body["doubled_foreign"]) == (
            "CNY",
            None,
            "0.00",
            None,
        )
        bad = c.post(
            f"/api/v1/cases/{case.pk}/judgment-terms",
            {"currency": "USD", "fx_in_rmb": True, "document_ref": "判决书"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert bad.status_code == 422 and "fx_rate" in bad.content.decode()
