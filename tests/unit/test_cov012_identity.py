"""§12 edges (issue 15, cov012): the 15-digit GB 11643-1989 number is refused with one clear message,
whatever its spelling; the county check of the address code is a warning, never a refusal."""

from __future__ import annotations

from datetime import date

import pytest

from zhixing.core.identity import IdentityError, check_resident_id

TODAY = date(2026, 3, 10)
MESSAGE = "身份证号码格式错误：15位旧号码已停止使用，请提供18位公民身份号码"


@pytest.mark.parametrize(
    "number", ["110105491231002", " 110105 491231 002 ", "１１０１０５４９１２３１００２"]
)
def test_fifteen_digit_number_refused_with_its_own_message(number: str) -> None:
    with pytest.raises(IdentityError) as err:
        check_resident_id(number, TODAY)
    assert str(err.value) == MESSAGE


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("11010549123100X", "身份证号码格式错误：应为18位，实际为15位"),
        ("1101054912310021", "身份证号码格式错误：应为18位，实际为16位"),
    ],
)
def test_other_lengths_get_the_length_message(number: str, message: str) -> None:
    with pytest.raises(IdentityError) as err:
        check_resident_id(number, TODAY)
    assert str(err.value) == message


def test_county_code_existing_in_the_birth_year_has_no_warning() -> None:
    # 天河区 440106 was created in 1985: born 1985 no warning, born 1984 a warning (never an error).
    def number(body17: str) -> str:
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights, strict=True)) % 11]

    assert check_resident_id(number("44010619850101123"), TODAY).warnings == ()
    assert check_resident_id(number("44010619840101123"), TODAY).warnings == (
        "地址码440106在出生年份尚未设立，请核对",
    )
