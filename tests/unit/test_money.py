"""Exact money: parsing, rounding, display."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.core.money import MAX_AMOUNT, AmountError, parse_amount, round_fen, yuan


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,000.5", "1000.50"),
        ("1234", "1234.00"),
        ("12,345,678.9", "12345678.90"),
        (" 1 000 ", "1000.00"),
        ("１２３.４", "123.40"),  # full-width digits
        ("0", "0.00"),
        ("0.01", "0.01"),
        ("+5", "5.00"),
        (".5", "0.50"),
        ("5.", "5.00"),
        ("1.500", "1.50"),  # trailing zeros are not extra precision
        ("-0", "0.00"),
        (5, "5.00"),
        (0, "0.00"),
        (Decimal("12.3400"), "12.34"),
        (Decimal("1E+3"), "1000.00"),
        ("1000000000000", "1000000000000.00"),
        (MAX_AMOUNT, "1000000000000.00"),
    ],
)
def test_parse_amount_accepts(value: object, expected: str) -> None:
    result = parse_amount(value)
    assert isinstance(result, Decimal)
    assert str(result) == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "金额不能为负数"),
        ("-0.01", "金额不能为负数"),
        (-1, "金额不能为负数"),
        (Decimal("-5"), "金额不能为负数"),
        ("1.005", "金额最多保留两位小数"),
        ("0.001", "金额最多保留两位小数"),
        (Decimal("1.234"), "金额最多保留两位小数"),
        ("1000000000000.01", "金额超过上限1,000,000,000,000.00元"),
        (10**13, "金额超过上限"),
        (Decimal("1E+30"), "金额超过上限"),
        ("abc", "金额不是有效的数字"),
        ("1e3", "金额不是有效的数字"),
        ("1_000", "金额不是有效的数字"),
        ("1.2.3", "金额不是有效的数字"),
        ("¥100", "金额不是有效的数字"),
        ("1,00", "千分位分隔符位置不正确"),
        ("1,5", "千分位分隔符位置不正确"),
        ("1000,000", "千分位分隔符位置不正确"),
        ("", "金额不能为空"),
        ("   ", "金额不能为空"),
        ("NaN", "金额必须是有限的数值"),
        ("Infinity", "金额必须是有限的数值"),
        ("-inf", "金额必须是有限的数值"),
        (Decimal("NaN"), "金额必须是有限的数值"),
        (Decimal("sNaN"), "金额必须是有限的数值"),
        (Decimal("Infinity"), "金额必须是有限的数值"),
        (1.5, "不接受float"),
        (float("nan"), "不接受float"),
        (True, "不接受bool"),
        (None, "金额不是有效的数字"),
        ([1], "金额不是有效的数字"),
    ],
)
def test_parse_amount_rejects(value: object, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        parse_amount(value)


def test_parse_amount_names_the_field() -> None:
    with pytest.raises(AmountError, match=r"^申请执行标的额不能为负数$"):
        parse_amount("-3", field="申请执行标的额")
    with pytest.raises(AmountError, match=r"^付款金额必须大于零$"):
        parse_amount("0.00", field="付款金额", allow_zero=False)
    assert parse_amount("0.01", field="付款金额", allow_zero=False) == Decimal("0.01")


def test_amount_error_is_value_error() -> None:
    assert issubclass(AmountError, ValueError)


def test_round_fen_half_up() -> None:
    assert round_fen(Decimal("0.005")) == Decimal("0.01")
    assert round_fen(Decimal("0.0049")) == Decimal("0.00")
    assert round_fen(Decimal("2.675")) == Decimal("2.68")
    assert round_fen(Decimal("2.665")) == Decimal("2.67")  # half-even would give 2.66
    assert round_fen(Decimal("-0.005")) == Decimal("-0.01")
    assert str(round_fen(Decimal("7"))) == "7.00"


def test_yuan() -> None:
    assert yuan(Decimal("1234567.8")) == "1,234,567.80"
    assert yuan(Decimal("0")) == "0.00"
    assert yuan(Decimal("999.995")) == "1,000.00"
    assert yuan(Decimal("-1234.5")) == "-1,234.50"
    assert yuan(MAX_AMOUNT) == "1,000,000,000,000.00"


@given(cents=st.integers(min_value=0, max_value=int(MAX_AMOUNT * 100)))
def test_round_trip_through_display(cents: int) -> None:
    amount = Decimal(cents) / 100
    assert parse_amount(yuan(amount)) == amount
    assert parse_amount(str(amount)) == amount


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("１,０００", "1000.00"),  # full-width digits and comma, as documented
        ("１，０００．５", "1000.50"),  # full-width comma and point
        ("\u3000１２３\u3000", "123.00"),  # ideographic spaces around
        ("1 000", "1000.00"),  # a space grouping by three
        ("12 345 678.90", "12345678.90"),
        ("－0", "0.00"),
    ],
)
def test_parse_amount_accepts_full_width_and_grouped(value: str, expected: str) -> None:
    assert str(parse_amount(value)) == expected


@pytest.mark.parametrize(
    "value",
    [
        "¹⁰⁰",  # superscripts: NFKC would read 100
        "①⓪",  # circled digits: NFKC would read 10
        "1 0",  # an inner space that groups nothing
        "10 0",
        "1 000 00",
        "1\t000",
        "٣",  # Arabic-Indic three
        "१००",  # Devanagari
        "𝟏𝟎",  # mathematical bold digits
        "1⁰",
        "1,000 000",
    ],
)
def test_parse_amount_refuses_other_digit_forms_and_inner_spaces(value: str) -> None:
    with pytest.raises(AmountError, match=r"^付款金额(不是有效的数字|的千分位分隔符位置不正确)"):
        parse_amount(value, field="付款金额")
