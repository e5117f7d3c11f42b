"""Resident identity numbers, unified social credit codes and masking (rules.md §12)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from zhixing.core.identity import (
    IdentityError,
    ResidentId,
    check_credit_code,
    check_resident_id,
    is_minor,
    mask_id,
)

TODAY = date(2026, 5, 1)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check(body17: str) -> str:
    """Append the GB 11643 check character (independent implementation of rules.md §12.1)."""
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]


def with_uscc_check(body17: str) -> str:
    """Append the GB 32100 check character (independent implementation of rules.md §12.2)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(c) * pow(3, i, 31) for i, c in enumerate(body17))
    return body17 + alphabet[(31 - total % 31) % 31]


# -- valid numbers -----------------------------------------------------------------------------------


def test_rules_md_examples_exactly() -> None:
    assert check_resident_id("11010519491231002X", TODAY) == ResidentId(
        number="11010519491231002X", birth_date=date(1949, 12, 31), sex="F", area_code="110105", warnings=()
    )
    assert check_resident_id("360426199101010071", TODAY) == ResidentId(
        number="360426199101010071", birth_date=date(1991, 1, 1), sex="M", area_code="360426", warnings=()
    )
    # 440524 (潮阳县) existed 1983–1993 in stdnum's table and the birth year is 1880: stdnum rejects the
    # number, we accept it with warnings (and the 146-year age is flagged too).
    assert check_resident_id("440524188001010014", TODAY) == ResidentId(
        number="440524188001010014",
        birth_date=date(1880, 1, 1),
        sex="M",
        area_code="440524",
        warnings=("地址码440524在出生年份尚未设立，请核对", "出生日期1880-01-01距今已超过120年，请核对"),
    )


def test_stdnum_rejects_what_we_accept_with_a_warning() -> None:
    # The known edge (DESIGN "Known edges"): stdnum.cn.ric fails on the area code, not the checksum.
    assert not ric.is_valid("440524188001010014")
    assert ric.calc_check_digit("440524188001010014") == "4"
    number = with_check("44010619800101123")  # 天河区 (440106) was created in 1985
    assert not ric.is_valid(number)
    result = check_resident_id(number, TODAY)
    assert result.warnings == ("地址码440106在出生年份尚未设立，请核对",)
    assert result.birth_date == date(1980, 1, 1)


def test_area_code_abolished_unknown_and_unknown_province() -> None:
    abolished = check_resident_id(with_check("11010320150101123"), TODAY)  # 崇文区 merged in 2010
    assert abolished.warnings == ("地址码110103在出生年份已撤销，请核对",)
    assert check_resident_id(with_check("11010320000101123"), TODAY).warnings == ()  # still existed
    unknown = check_resident_id(with_check("44999919900101123"), TODAY)
    assert unknown.warnings == ("地址码449999不在行政区划代码表中，请核对",)
    no_province = check_resident_id(with_check("99000019900101123"), TODAY)
    assert no_province.warnings == ("地址码990000的省级代码不在行政区划代码表中，请核对",)


def test_normalisation_lowercase_x_spaces_full_width() -> None:
    assert check_resident_id("11010519491231002x", TODAY).number == "11010519491231002X"
    assert check_resident_id(" 110105 19491231 002X ", TODAY).number == "11010519491231002X"
    assert check_resident_id("１１０１０５１９４９１２３１００２ｘ", TODAY).number == "11010519491231002X"


def test_sex_from_seventeenth_digit() -> None:
    assert check_resident_id(with_check("36042619910101001"), TODAY).sex == "M"
    assert check_resident_id(with_check("36042619910101002"), TODAY).sex == "F"
    assert check_resident_id(with_check("36042619910101990"), TODAY).sex == "F"


def test_birth_date_today_is_accepted() -> None:
    number = with_check("360426" + TODAY.strftime("%Y%m%d") + "123")
    assert check_resident_id(number, TODAY).birth_date == TODAY


# -- errors ------------------------------------------------------------------------------------------


def test_wrong_checksum() -> None:
    with pytest.raises(IdentityError, match="校验码"):
        check_resident_id("110105194912310021", TODAY)
    with pytest.raises(IdentityError, match="校验码"):
        check_resident_id("360426199101010072", TODAY)


def test_impossible_birth_date() -> None:
    with pytest.raises(IdentityError, match="出生日期错误：19900230不是有效日期"):
        check_resident_id(with_check("36042619900230001"), TODAY)
    with pytest.raises(IdentityError, match="出生日期"):
        check_resident_id(with_check("36042619901301001"), TODAY)
    with pytest.raises(IdentityError, match="出生日期"):
        check_resident_id(with_check("36042620230229001"), TODAY)  # 2023 is not a leap year


def test_future_birth_date() -> None:
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(IdentityError, match="出生日期错误：出生日期2026-05-02晚于今天"):
        check_resident_id(with_check("360426" + tomorrow.strftime("%Y%m%d") + "001"), TODAY)


def test_fifteen_digit_old_number() -> None:
    with pytest.raises(IdentityError, match="15位旧号码"):
        check_resident_id("110105491231002", TODAY)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "号码为空"),
        ("   ", "号码为空"),
        ("11010519491231002", "应为18位，实际为17位"),
        ("11010519491231002X1", "应为18位，实际为19位"),
        ("1101051949123100AX", "前17位应为数字"),
        ("11010519491231002Y", "末位应为数字或X"),
        ("11010519491231002-", "末位应为数字或X"),
    ],
)
def test_format_errors(number: str, message: str) -> None:
    with pytest.raises(IdentityError, match=message) as excinfo:
        check_resident_id(number, TODAY)
    assert "格式错误" in str(excinfo.value)


def test_non_string_rejected() -> None:
    with pytest.raises(IdentityError, match="格式错误"):
        check_resident_id(11010519491231002, TODAY)  # type: ignore[arg-type]


def test_identity_error_is_value_error() -> None:
    assert issubclass(IdentityError, ValueError)


# -- minors ------------------------------------------------------------------------------------------


def test_minor_day_before_and_on_18th_birthday() -> None:
    person = check_resident_id(with_check("36042620080501001"), TODAY)
    assert person.birth_date == date(2008, 5, 1)
    assert is_minor(person.birth_date, date(2026, 4, 30)) is True
    assert is_minor(person.birth_date, date(2026, 5, 1)) is False  # 民法典 Art 17: adult on the birthday
    assert is_minor(person.birth_date, date(2026, 5, 2)) is False
    assert is_minor(person.birth_date, date(2008, 5, 1)) is True


def test_minor_born_on_29_february() -> None:
    born = date(2008, 2, 29)
    assert is_minor(born, date(2026, 2, 28)) is True
    assert is_minor(born, date(2026, 3, 1)) is False
    assert is_minor(born, date(2025, 12, 31)) is True


def test_minor_year_end_birthday() -> None:
    born = date(2007, 12, 31)
    assert is_minor(born, date(2025, 12, 30)) is True
    assert is_minor(born, date(2025, 12, 31)) is False


# -- credit codes ------------------------------------------------------------------------------------


def test_credit_code_valid_and_normalised() -> None:
    assert check_credit_code("91110000600037341L") == "91110000600037341L"
    assert check_credit_code(" 91110000600037341l ") == "91110000600037341L"
    assert check_credit_code("9111 0000 6000 3734 1L") == "91110000600037341L"
    assert check_credit_code("91110000-60003734-1L") == "91110000600037341L"


def test_credit_code_with_letter_authority_that_stdnum_rejects() -> None:
    # 农村集体经济组织 codes start with N (rules.md §12.2); stdnum's validate wants digits there.
    code = with_uscc_check("N2440106MA0000000")
    assert not uscc.is_valid(code)
    assert check_credit_code(code) == code
    assert check_credit_code(with_uscc_check("Y1440106MA0000000")).startswith("Y1")


def test_credit_code_check_character_matches_stdnum() -> None:
    assert with_uscc_check("91110000600037341") == "91110000600037341L"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "代码为空"),
        ("91110000600037341", "应为18位，实际为17位"),
        ("91110000600037341LL", "应为18位，实际为19位"),
        ("91110000600037341I", "不允许的字符I"),
        ("9111000060003734OL", "不允许的字符O"),
        ("911100006000373#1L", "不允许的字符#"),
        ("9111A000600037341L", "第3至8位"),
    ],
)
def test_credit_code_format_errors(code: str, message: str) -> None:
    with pytest.raises(IdentityError, match=message) as excinfo:
        check_credit_code(code)
    assert "格式错误" in str(excinfo.value)


def test_credit_code_wrong_check_character() -> None:
    with pytest.raises(IdentityError, match="校验码错误"):
        check_credit_code("91110000600037341M")


# -- masking -----------------------------------------------------------------------------------------


def test_mask_id() -> None:
    assert mask_id("440106199001011234") == "4401**********1234"
    assert len(mask_id("11010519491231002X")) == 18
    assert mask_id("11010519491231002X") == "1101**********002X"
    assert mask_id("91110000600037341L") == "9111**********341L"
    assert mask_id("123456789012") == "1234****9012"
    assert mask_id("12345678901") == "***********"
    assert mask_id("E12345678") == "*********"
    assert mask_id("1234") == "****"
    assert mask_id("") == ""


# -- properties --------------------------------------------------------------------------------------


@given(body=st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_character_agrees_with_stdnum(body: str) -> None:
    number = with_check(body)
    assert ric.calc_check_digit(number) == number[-1]


@given(
    birth=st.dates(min_value=date(1910, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_every_well_formed_number_is_accepted(birth: date, sequence: int) -> None:
    number = with_check("110105" + birth.strftime("%Y%m%d") + f"{sequence:03d}")
    result = check_resident_id(number, TODAY)
    assert result.birth_date == birth
    assert result.sex == ("M" if sequence % 2 else "F")
    assert mask_id(result.number) == number[:4] + "*" * 10 + number[-4:]
