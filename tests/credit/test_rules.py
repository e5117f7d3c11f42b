"""Pure legal arithmetic of credit punishment (no database)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.core.workdays import WorkCalendar
from zhixing.credit import rules

CAL = WorkCalendar()


@pytest.mark.parametrize("ground", [2, 3, 4, 5, 6])
def test_grounds_two_to_six_last_two_years(ground: int) -> None:
    assert rules.term_years(ground) == 2
    assert rules.expiry_date(date(2026, 3, 10), ground) == date(2028, 3, 9)


def test_ground_one_has_no_fixed_term() -> None:
    assert rules.term_years(1) is None
    assert rules.expiry_date(date(2026, 3, 10), 1) is None
    with pytest.raises(ValueError, match="无固定期限"):
        rules.term_years(1, 1)


@pytest.mark.parametrize(
    ("ext", "end"), [(1, date(2029, 3, 9)), (2, date(2030, 3, 9)), (3, date(2031, 3, 9))]
)
def test_serious_cases_extend_by_one_to_three_years(ext: int, end: date) -> None:
    assert rules.expiry_date(date(2026, 3, 10), 4, ext) == end


@pytest.mark.parametrize("bad", [-1, 4])
def test_extension_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        rules.term_years(2, bad)


def test_unknown_ground() -> None:
    with pytest.raises(ValueError, match="第1至6项"):
        rules.term_years(7)


def test_leap_day_listing_expires_on_27_february() -> None:
    assert rules.expiry_date(date(2028, 2, 29), 2) == date(2030, 2, 27)


@pytest.mark.parametrize(
    ("months", "publish"), [(0, date(2026, 3, 10)), (1, date(2026, 4, 10)), (3, date(2026, 6, 10))]
)
def test_grace_period(months: int, publish: date) -> None:
    assert rules.publish_date(date(2026, 3, 10), months) == publish


def test_grace_period_month_end() -> None:
    assert rules.publish_date(date(2026, 1, 31), 1) == date(2026, 2, 28)


@pytest.mark.parametrize("bad", [-1, 13])
def test_grace_period_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError, match="宽限期"):
        rules.publish_date(date(2026, 3, 10), bad)


def test_grace_period_choices_by_default_and_configured() -> None:
    # 善意文明执行意见: 1–3 months by default; the maximum is configuration (rules.md §3.3 [P20]).
    assert rules.grace_choices() == (0, 1, 2, 3)
    assert [rules.grace_refusal(m) for m in (0, 1, 3)] == ["", "", ""]
    assert rules.grace_refusal(4) == "宽限期应为1至3个月，或不设宽限期"
    assert rules.grace_refusal(-1) != ""
    assert rules.grace_choices(6) == (0, 1, 2, 3, 4, 5, 6) and rules.grace_refusal(6, 6) == ""
    assert rules.grace_choices(0) == (0,) and rules.grace_refusal(1, 0) == "本院不设宽限期"
    assert rules.grace_choices(99)[-1] == rules.GRACE_MONTHS_CEILING


def test_removal_within_three_working_days_across_national_day_2026() -> None:
    # Trigger on Wed 30 Sep 2026; 1–7 Oct is the National Day holiday; Sat 10 Oct is a make-up working day.
    assert rules.removal_due(date(2026, 9, 30), CAL) == date(2026, 10, 10)


def test_removal_over_a_weekend() -> None:
    assert rules.removal_due(date(2026, 3, 13), CAL) == date(2026, 3, 18)  # Fri → Wed


def test_expiry_removal_due() -> None:
    assert rules.expiry_removal_due(date(2028, 3, 9), CAL) == date(2028, 3, 14)


def test_application_and_correction_deadlines() -> None:
    assert rules.application_decision_due(date(2026, 3, 1), CAL) == date(2026, 3, 16)
    assert rules.correction_review_due(date(2026, 3, 1), CAL) == date(2026, 3, 16)
    assert rules.correction_review_due(date(2026, 9, 22), CAL) == date(2026, 10, 8)  # National Day
    assert rules.correction_fix_due(date(2026, 9, 30), CAL) == date(2026, 10, 10)
    assert rules.reconsideration_due(date(2026, 3, 1), CAL) == date(2026, 3, 11)
    assert rules.reconsideration_due(date(2026, 9, 21), CAL) == date(2026, 10, 8)  # National Day


def test_partner_visibility() -> None:
    railway = rules.partner_mask("railway")
    airline = rules.partner_mask("airline")
    assert not railway & rules.CODE_BITS["flight"]
    assert not railway & rules.CODE_BITS["exit"]
    assert airline & rules.CODE_BITS["exit"]
    assert rules.items_mask([9]) & railway
    assert not rules.items_mask([2, 3]) & railway
    assert rules.partner_mask("media") == 0


def test_id_key_round_trip_with_x() -> None:
    for number in ("11010519491231002X", "440524188001010014"):
        key = rules.id_key(number)
        assert key is not None and key < 2**63
        assert rules.key_id(key) == number


@pytest.mark.parametrize("bad", ["", "123", "11010519491231002x", "1101051949123100ZX", "91110000600037341L"])
def test_id_key_rejects_malformed(bad: str) -> None:
    assert rules.id_key(bad) is None


@given(st.integers(min_value=0, max_value=10**17 - 1), st.integers(min_value=0, max_value=10))
def test_id_key_bijective(body: int, check: int) -> None:
    number = f"{body:017d}" + ("X" if check == 10 else str(check))
    key = rules.id_key(number)
    assert key is not None
    assert rules.key_id(key) == number


def test_age() -> None:
    assert rules.age_on(date(2008, 3, 11), date(2026, 3, 10)) == 17
    assert rules.age_on(date(2008, 3, 10), date(2026, 3, 10)) == 18


def test_dormant_trigger_is_the_second_empty_round() -> None:
    # 失信规定 Art 10(1)(4): "≥ 2 network inquiries" after 终本 — the trigger is the day of the second.
    assert rules.dormant_trigger_on([]) is None
    assert rules.dormant_trigger_on([date(2026, 4, 1)]) is None
    assert rules.dormant_trigger_on([date(2026, 9, 30), date(2026, 4, 1), date(2026, 12, 1)]) == date(
        2026, 9, 30
    )


def test_removal_due_over_national_day_lands_on_the_make_up_saturday() -> None:
    assert rules.removal_due(date(2026, 9, 30), CAL) == date(2026, 10, 10)
    assert rules.removal_due(date(2026, 4, 30), CAL) == date(2026, 5, 8)
