"""Identity numbers: resident identity numbers (公民身份号码) and unified social credit codes.

Purpose: validate and normalise the identity numbers of parties, and mask them for public display.

Contract:

* :func:`check_resident_id` accepts only the 18-character number of GB 11643-1999 and returns a
  :class:`ResidentId`, or raises :class:`IdentityError` whose Chinese message names the problem
  (格式 / 校验码 / 出生日期). Format, check digit and birth date are checked here; python-stdnum is
  used only for its administrative-division table (``cn/loc``, the data behind ``stdnum.cn.ric``),
  and an unknown or anachronistic address code is a *warning*, never an error:
  ``stdnum.cn.ric.validate`` rejects real numbers whose county code was created after the birth year
  (people keep numbers issued later, and counties are renamed and re-coded), so the platform must not
  refuse them.
* :func:`check_credit_code` validates a GB 32100-2015 code (统一社会信用代码) and returns it normalised.
* :func:`mask_id` hides the middle of a number for public pages (DESIGN invariant 9).

Pure module: no Django, no database.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from operator import mul

from stdnum import numdb
from stdnum.cn import uscc

__all__ = [
    "IdentityError",
    "ResidentId",
    "check_credit_code",
    "check_resident_id",
    "is_minor",
    "mask_id",
]

# GB 11643-1999 §8 / ISO 7064:1983 MOD 11-2: W_i = 2^(17-i) mod 11 for the 17 body digits.
_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RIC_CHECK_CHARS = "10X98765432"  # check character for S mod 11 = 0…10
_RIC_PATTERN = re.compile(r"[0-9]{17}[0-9X]")

# GB 32100-2015: digits and upper-case letters without I, O, Z, S, V (31 symbols, values 0…30).
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# 民法典 Art 17: a natural person aged 18 or over is an adult (成年人); under 18 is a minor.
_ADULT_AGE = 18
# Ages above this are treated as a probable typo in the birth-date digits (warning only).
_IMPLAUSIBLE_AGE = 120


class IdentityError(ValueError):
    """An identity number is invalid; the message (Chinese) says whether 格式, 校验码 or 出生日期 is wrong."""


@dataclass(frozen=True)
class ResidentId:
    """A checked 18-character resident identity number.

    ``sex`` is "M" when the 17th digit (last digit of the sequence code) is odd, "F" when even
    (GB 11643-1999 §5.3). ``warnings`` holds Chinese texts for things a clerk should verify but that do
    not make the number invalid (unknown or anachronistic address code, implausible age).
    """

    number: str
    birth_date: date
    sex: str
    area_code: str
    warnings: tuple[str, ...] = ()


def _normalise(value: str) -> str:
    """NFKC (full-width digits/letters → ASCII), drop all whitespace, upper-case."""
    text = unicodedata.normalize("NFKC", value)
    return "".join(text.split()).upper()


def _ric_check_char(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits (GB 11643-1999 §8.2)."""
    if len(body17) != 17:
        raise ValueError("a resident ID's body is 17 digits")
    total = sum(map(mul, map(int, body17), _RIC_WEIGHTS))  # C-level loops: a screening check computes one
    return _RIC_CHECK_CHARS[total % 11]


def _age_on(birth_date: date, on: date) -> int:
    """Completed years (周岁) on `on`; a 29 February birthday counts as reached on 1 March."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def _area_warnings(area_code: str, birth_year: int) -> list[str]:
    """Warnings about the address code (地址码, GB/T 2260) using python-stdnum's division table.

    # rule: R-12.1.5

    stdnum's table marks counties with their years of existence, e.g. ``[1983-1993]潮阳县``.
    """
    info = _area_info(area_code)
    if "province" not in info:
        return [f"地址码{area_code}的省级代码不在行政区划代码表中，请核对"]
    if "county" not in info:
        return [f"地址码{area_code}不在行政区划代码表中，请核对"]
    not_yet = False
    for county in info["county"].split(","):
        if not county.startswith("["):
            return []  # no validity period recorded: valid for every year
        period = county[1:].split("]", 1)[0]
        start, _, end = period.partition("-")
        if start and birth_year < int(start):
            not_yet = True
            continue
        if end and birth_year > int(end):
            continue
        return []  # the county existed in the birth year
    if not_yet:
        return [f"地址码{area_code}在出生年份尚未设立，请核对"]
    return [f"地址码{area_code}在出生年份已撤销，请核对"]


@functools.lru_cache(maxsize=16_384)
def _area_info(area_code: str) -> dict[str, str]:
    """The division table's entry of an address code, memoised: the table lookup takes ~100 µs, most
    of a partner's single screening check (there are a few thousand codes)."""
    parts = numdb.get("cn/loc").info(area_code)
    return {k: v for _, props in parts for k, v in props.items()}


def check_resident_id(number: str, today: date) -> ResidentId:
    """Validate an 18-character resident identity number (GB 11643-1999) as of `today`.

    Normalisation: whitespace removed, full-width characters folded, a lower-case ``x`` upper-cased.
    Errors (:class:`IdentityError`): not 18 characters (a 15-digit GB 11643-1989 number gets its own
    message), non-digits, wrong check character, impossible birth date, birth date after `today`.
    Warnings (in the result): address code unknown or not existing in the birth year; age over 120.
    """
    if not isinstance(number, str):
        raise IdentityError("身份证号码格式错误：应为文本")
    value = _normalise(number)
    if not value:
        raise IdentityError("身份证号码格式错误：号码为空")
    if len(value) == 15 and value.isascii() and value.isdigit():
        # rule
        # GB 11643-1989 numbers (no century, no check digit) were replaced by 18-digit numbers; the
        # platform refuses them rather than deriving an 18-digit number the person may not hold
        # (docs/rules-additions.md).
        raise IdentityError("身份证号码格式错误：15位旧号码已停止使用，请提供18位公民身份号码")
    if len(value) != 18:
        raise IdentityError(f"身份证号码格式错误：应为18位，实际为{len(value)}位")
    if not _RIC_PATTERN.fullmatch(value):
        raise IdentityError("身份证号码格式错误：前17位应为数字，末位应为数字或X")
    if value[17] != _ric_check_char(value[:17]):
        raise IdentityError("身份证号码校验码错误：末位校验码与前17位不符，请核对号码")
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdentityError(f"身份证号码出生日期错误：{value[6:14]}不是有效日期") from None
    if birth > today:
        raise IdentityError(f"身份证号码出生日期错误：出生日期{birth.isoformat()}晚于今天")

    warnings = _area_warnings(value[:6], birth.year)
    if _age_on(birth, today) > _IMPLAUSIBLE_AGE:
        warnings.append(f"出生日期{birth.isoformat()}距今已超过{_IMPLAUSIBLE_AGE}年，请核对")
    # Sequence code (positions 15–17): odd = male, even = female (GB 11643-1999 §5.3).
    sex = "M" if int(value[16]) % 2 == 1 else "F"
    return ResidentId(number=value, birth_date=birth, sex=sex, area_code=value[:6], warnings=tuple(warnings))


def is_minor(birth_date: date, on: date) -> bool:
    """True if the person is under 18 on `on` (民法典 Art 17: 18 周岁以上为成年人).

    The 18th birthday itself is the first adult day. For a 29 February birthday in a year without
    29 February the first adult day is 1 March: the conservative choice, keeping the protection of a
    minor until 18 full years have certainly passed.
    """
    return _age_on(birth_date, on) < _ADULT_AGE


def check_credit_code(code: str) -> str:
    """Validate a unified social credit code (GB 32100-2015); return it normalised (18 upper-case chars).

    Structure: position 1 registration authority, 2 organisation category (both from the 31-symbol
    alphabet: authorities include letters A, N, Y), 3–8 administrative-division code (digits), 9–17
    entity identifier, 18 check character (GB 32100-2015 §5, weights 3^i mod 31). python-stdnum's own
    ``validate`` demands digits in positions 1–2 and so rejects real codes such as 农村集体经济组织
    (``N2…``); only its check-character calculation is used.
    """
    if not isinstance(code, str):
        raise IdentityError("统一社会信用代码格式错误：应为文本")
    value = _normalise(code).replace("-", "")
    if not value:
        raise IdentityError("统一社会信用代码格式错误：代码为空")
    if len(value) != 18:
        raise IdentityError(f"统一社会信用代码格式错误：应为18位，实际为{len(value)}位")
    bad = sorted({c for c in value if c not in _USCC_ALPHABET})
    if bad:
        raise IdentityError(
            f"统一社会信用代码格式错误：含有不允许的字符{'、'.join(bad)}（不使用I、O、Z、S、V）"
        )
    if not value[2:8].isdigit():
        raise IdentityError("统一社会信用代码格式错误：第3至8位应为行政区划代码（数字）")
    if value[17] != uscc.calc_check_digit(value):
        raise IdentityError("统一社会信用代码校验码错误：末位校验码与前17位不符，请核对代码")
    return value


def mask_id(number: str) -> str:
    """Mask an identity number for public display (DESIGN invariant 9).

    Keeps the first 4 and last 4 characters and replaces the rest with ``*`` so the length is
    unchanged: ``440106199001011234`` → ``4401**********1234``. Inputs shorter than 12 characters are
    masked entirely, so at least 4 characters are always hidden (e.g. a 9-character passport number).
    """
    value = number.strip()
    if len(value) < 12:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
