"""Fines and detention for obstructing enforcement: CPL-2023 Art 118 limits (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhixing.cases.rules_sanctions import SanctionError, check_detention, check_fine


@pytest.mark.parametrize(
    ("text", "unit", "ok"),
    [
        ("100000", False, Decimal("100000")),
        ("0.01", False, Decimal("0.01")),
        ("50000", True, Decimal("50000")),
        ("1,000,000", True, Decimal("1000000")),
    ],
)
def test_fines_inside_the_limits(text: str, unit: bool, ok: Decimal) -> None:
    assert check_fine(text, unit=unit) == ok


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("100000.01", False, "对个人的罚款金额为人民币十万元以下（民事诉讼法第一百一十八条）"),
        ("49999.99", True, "对单位的罚款金额为人民币五万元以上一百万元以下（民事诉讼法第一百一十八条）"),
        ("1000000.01", True, "对单位的罚款金额为人民币五万元以上一百万元以下（民事诉讼法第一百一十八条）"),
        ("0", False, "罚款金额须为大于零、最多两位小数的金额（元）"),
        ("1.005", False, "罚款金额须为大于零、最多两位小数的金额（元）"),
        ("一万", False, "罚款金额须为数字（元）"),
        # Decimal reads these; comparing or quantizing them raised InvalidOperation (a 500 once).
        ("NaN", False, "罚款金额须为数字（元）"),
        ("sNaN", True, "罚款金额须为数字（元）"),
        ("-Infinity", False, "罚款金额须为数字（元）"),
        ("1e309", False, "对个人的罚款金额为人民币十万元以下（民事诉讼法第一百一十八条）"),
    ],
)
def test_fines_outside_the_limits(text: str, unit: bool, message: str) -> None:
    with pytest.raises(SanctionError) as exc:
        check_fine(text, unit=unit)
    assert str(exc.value) == message


def test_detention_days() -> None:
    assert check_detention("15", unit=False) == 15
    assert check_detention(" 1 ", unit=False) == 1
    for text, message in (
        ("16", "拘留的期限为十五日以下（民事诉讼法第一百一十八条）"),
        ("0", "拘留的期限为十五日以下（民事诉讼法第一百一十八条）"),
        ("三", "拘留日数须为整数"),
        ("²", "拘留日数须为整数"),  # str.isdigit() is true, int() refuses it (a 500 once)
        ("9" * 5000, "拘留的期限为十五日以下（民事诉讼法第一百一十八条）"),  # past int()'s 4300 digits
    ):
        with pytest.raises(SanctionError) as exc:
            check_detention(text, unit=False)
        assert str(exc.value) == message
    with pytest.raises(SanctionError) as unit:
        check_detention("5", unit=True)
    assert "单位不能被拘留" in str(unit.value)
