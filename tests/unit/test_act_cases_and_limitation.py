"""Pure rules of issue 11 item 9: the 2-year application period and the fee of a case without money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhixing.cases.fees import case_application_fee, computes_delay_interest
from zhixing.cases.limitation import Limitation, application_period
from zhixing.core.workdays import WorkCalendar

CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("last_day_of_performance", "last_day_to_apply"),
    [
        (date(2024, 3, 10), date(2026, 3, 10)),  # same day two years later (民法典 Art 202)
        (date(2024, 2, 29), date(2026, 2, 28)),  # no 29 Feb: month end; 28 Feb 2026 is a make-up workday
        (date(2024, 10, 1), date(2026, 10, 8)),  # National Day holiday 1–7 Oct 2026 (Art 203)
        (date(2024, 5, 1), date(2026, 5, 6)),  # May Day holiday 1–5 May 2026
        (date(2023, 12, 31), date(2025, 12, 31)),
    ],
)
def test_two_year_period_around_holidays(last_day_of_performance: date, last_day_to_apply: date) -> None:
    assert application_period(last_day_of_performance, last_day_to_apply, CAL) == Limitation(
        last_day=last_day_to_apply, applied_on=last_day_to_apply, expired=False
    )
    late = application_period(
        last_day_of_performance, date.fromordinal(last_day_to_apply.toordinal() + 1), CAL
    )
    assert late.expired and late.days_late == 1


def test_message_names_the_article_and_the_objection() -> None:
    late = application_period(date(2023, 12, 31), date(2026, 3, 9), CAL)
    assert late.expired and late.days_late == 68
    assert late.message == (
        "申请执行日期2026-03-09已超过二年申请执行期间（届满日2025-12-31，超过68日，民事诉讼法第250条）。"
        "仍可立案：期间可能因中止、中断而延长；被执行人提出时效抗辩且成立的，裁定不予执行。"
    )
    assert application_period(date(2025, 12, 15), date(2026, 3, 9), CAL).message == ""


def test_year_without_holiday_table_is_reported() -> None:
    # 2027 is not in chinese-calendar 1.11: 1 May 2027 is a Saturday, weekend-only fallback to Monday.
    result = application_period(date(2025, 5, 1), date(2026, 3, 9), CAL)
    assert result.last_day == date(2027, 5, 3)
    assert result.missing_years == (2027,)


def test_application_fee_by_obligation() -> None:
    # Money: the Art 14(1) bands, whatever flat fee is configured.
    assert case_application_fee("money", Decimal("10000"), Decimal("0")) == Decimal("50.00")
    assert case_application_fee("money", Decimal("103700.50"), Decimal("300")) == Decimal("1455.51")
    # No amount: the flat 50–500 fee.
    for obligation in ("deliver", "vacate", "act"):
        assert case_application_fee(obligation, Decimal("0"), Decimal("50")) == Decimal("50.00")
        assert case_application_fee(obligation, Decimal("0"), Decimal("500")) == Decimal("500.00")
        assert case_application_fee(obligation, Decimal("0"), Decimal("123.4")) == Decimal("123.40")
    # An act that also orders a payment has an amount: the bands.
    assert case_application_fee("vacate", Decimal("20000"), Decimal("300")) == Decimal("200.00")
    for outside in (Decimal("49.99"), Decimal("500.01"), Decimal("0")):
        with pytest.raises(ValueError, match=r"50.00至500.00元"):
            case_application_fee("act", Decimal("0"), outside)


def test_delay_interest_only_on_money() -> None:
    assert computes_delay_interest("money")
    assert not any(computes_delay_interest(o) for o in ("deliver", "vacate", "act"))
