"""Coercive measures and the refusal crime (pure): limits, clocks, situations (rules.md §8)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.cases import coercion
from zhixing.cases.coercion import MeasureError, MeasureKind
from zhixing.core.workdays import WorkCalendar

CAL = WorkCalendar()
TZ = ZoneInfo("Asia/Shanghai")


def _err(**kw: object) -> tuple[str, str]:
    with pytest.raises(MeasureError) as exc:
        coercion.check_measure(**kw)  # type: ignore[arg-type]
    return exc.value.field, exc.value.message


def test_fine_limits_for_person_and_unit():
    assert coercion.check_measure("fine", unit=False, amount="100000").amount == Decimal("100000")
    assert coercion.check_measure("fine", unit=True, amount="50000").amount == Decimal("50000")
    assert coercion.check_measure("fine", unit=True, amount="1000000").amount == Decimal("1000000")
    assert _err(kind="fine", unit=False, amount="100000.01") == (
        "amount",
        "对个人的罚款金额为人民币十万元以下（民事诉讼法第一百一十八条）",
    )
    assert _err(kind="fine", unit=True, amount="49999.99")[0] == "amount"
    assert _err(kind="fine", unit=True, amount="1000000.01")[0] == "amount"


def test_detention_limits():
    assert coercion.check_measure("detention", unit=False, days="15").days == 15
    assert _err(kind="detention", unit=False, days="16") == (
        "days",
        "拘留的期限为十五日以下（民事诉讼法第一百一十八条）",
    )
    assert _err(kind="detention", unit=True, days="5")[0] == "days"


def test_summons_hours_8_or_24_when_complex():
    assert coercion.check_measure("summons", unit=False, hours="8").hours == 8
    assert coercion.check_measure("summons", unit=False, hours="24", complex_case=True).hours == 24
    field, message = _err(kind="summons", unit=False, hours="9")
    assert field == "hours" and message.startswith("拘传询问时间不得超过八小时")
    assert _err(kind="summons", unit=False, hours="25", complex_case=True) == (
        "hours",
        "拘传询问时间不得超过二十四小时（民诉法解释第四百八十二条）",
    )
    assert _err(kind="summons", unit=True, hours="4")[0] == "party"
    assert _err(kind="summons", unit=False, hours="abc")[0] == "hours"
    # str.isdigit() is true for these, int() refuses them (a 500 once).
    for hours in ("²", "9" * 5000):
        assert _err(kind="summons", unit=False, hours=hours)[0] == "hours"


def test_search_and_unknown_kind():
    assert coercion.check_measure("search", unit=True) == coercion.CheckedMeasure(MeasureKind.SEARCH)
    assert _err(kind="arrest", unit=False)[0] == "kind"


@settings(max_examples=150, deadline=None)
@given(hours=st.integers(min_value=0, max_value=40), complex_case=st.booleans())
def test_summons_hours_property(hours: int, complex_case: bool) -> None:
    limit = 24 if complex_case else 8
    if 1 <= hours <= limit:
        assert (
            coercion.check_measure("summons", unit=False, hours=str(hours), complex_case=complex_case).hours
            == hours
        )
    else:
        with pytest.raises(MeasureError):
            coercion.check_measure("summons", unit=False, hours=str(hours), complex_case=complex_case)


def test_family_notice_and_summons_clocks_are_hours():
    start = datetime(2026, 9, 30, 22, 15, tzinfo=TZ)
    assert coercion.family_notice_due(start) == datetime(
        2026, 10, 1, 22, 15, tzinfo=TZ
    )  # holidays do not stop it
    assert coercion.summons_ends_at(start, 8) == datetime(2026, 10, 1, 6, 15, tzinfo=TZ)


def test_review_clocks_roll_past_holidays():
    # Served Tuesday 2026-03-10: 3 days → Friday 03-13; the higher court's 5 days from 03-13 → 03-18 (Wed).
    assert coercion.review_apply_by(date(2026, 3, 10), CAL) == date(2026, 3, 13)
    assert coercion.review_decide_by(date(2026, 3, 13), CAL) == date(2026, 3, 18)
    # Served Tuesday 2026-09-29: 3 days end 10-02, inside the National Day holiday → first working day 10-08.
    assert coercion.review_apply_by(date(2026, 9, 29), CAL) == date(2026, 10, 8)
    # Served Friday 2026-03-06: 3 days end Monday 03-09 (a working day, no roll).
    assert coercion.review_apply_by(date(2026, 3, 6), CAL) == date(2026, 3, 9)
    # Served Wednesday 2026-03-11: 3 days end Saturday 03-14 → Monday 03-16.
    assert coercion.review_apply_by(date(2026, 3, 11), CAL) == date(2026, 3, 16)


def test_refusal_situations_are_the_2024_interpretations():
    assert len(coercion.SITUATIONS) == 15
    assert [s.code for s in coercion.SITUATIONS if s.severity == "especially"] == [
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "4.5",
    ]
    assert coercion.SITUATION_BY_CODE["3.4"].article == "法释〔2024〕13号第三条第（四）项"
    assert [s.code for s in coercion.check_situations(["3.1", "4.2"], sanctioned=False)] == ["3.1", "4.2"]
    with pytest.raises(MeasureError, match="须以已经采取罚款、拘留等强制措施为前提"):
        coercion.check_situations(["3.4"], sanctioned=False)
    assert [s.code for s in coercion.check_situations(["3.4"], sanctioned=True)] == ["3.4"]
    with pytest.raises(MeasureError, match="请至少选择一种"):
        coercion.check_situations([], sanctioned=True)
    with pytest.raises(MeasureError, match=r"未知的拒不执行情形：9\.9"):
        coercion.check_situations(["9.9"], sanctioned=True)
