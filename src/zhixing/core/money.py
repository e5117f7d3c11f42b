"""Exact money: parsing, rounding and display of amounts in yuan (元) with 2 decimal places (分).

Purpose: the one place where user or file input becomes a money amount (DESIGN invariant 5 "Money is
exact"). Amounts are :class:`~decimal.Decimal` quantized to 0.01; floats are refused because binary
floating point cannot represent most fen values exactly.

Contract:

* :func:`parse_amount` returns a non-negative Decimal with exactly 2 places, or raises
  :class:`AmountError` with a Chinese message naming the field.
* :func:`round_fen` rounds half-up to the fen (四舍五入到分), the rounding used for fees and interest.
* :func:`yuan` formats with thousands separators: ``Decimal("1234567.8")`` → ``"1,234,567.80"``.

Pure module: no Django, no database.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["FEN", "MAX_AMOUNT", "AmountError", "parse_amount", "round_fen", "yuan"]

FEN = Decimal("0.01")
# 1 trillion yuan: no enforcement case comes near it; anything above is a typo or garbage input.
MAX_AMOUNT = Decimal("1000000000000")

# Plain decimal notation only: no exponents, no underscores, no "NaN"/"Infinity" words.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# Thousands separators, if present, must group the integer part by three: "1,234,567.80".
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_NON_FINITE_WORDS = {"NAN", "SNAN", "INF", "+INF", "-INF", "INFINITY", "+INFINITY", "-INFINITY"}


class AmountError(ValueError):
    """An amount is not acceptable; the message (Chinese) names the field and the problem."""


# Full-width forms of the characters an amount may hold (what a Chinese input method types), and the
# ideographic / no-break spaces. Nothing else is folded: NFKC would also turn superscripts ("¹⁰⁰"),
# circled digits ("①⓪") and other compatibility forms into digits nobody reads as that number.
_FULL_WIDTH = str.maketrans(
    {
        **{0xFF10 + i: str(i) for i in range(10)},
        0xFF0C: ",",
        0xFF0E: ".",
        0xFF0B: "+",
        0xFF0D: "-",
        0x3000: " ",
        0x00A0: " ",
    }
)
# A space inside an amount only as a thousands separator, grouping the integer part by three: "1 000".
_SPACED = re.compile(r"[+-]?[0-9]{1,3}(?: [0-9]{3})+(?:\.[0-9]*)?")


def _from_text(text: str, field: str) -> Decimal:
    """Parse a user-typed amount: ASCII or full-width digits, thousands separators (comma or space) checked.

    Any other character (superscripts, circled or other-script digits, letters, exponents) is refused.
    """
    value = text.translate(_FULL_WIDTH).strip()
    if not value:
        raise AmountError(f"{field}不能为空")
    if value.upper() in _NON_FINITE_WORDS:
        raise AmountError(f"{field}必须是有限的数值")
    if " " in value:
        if not _SPACED.fullmatch(value):
            raise AmountError(f"{field}不是有效的数字：“{text.strip()}”")
        value = value.replace(" ", "")
    if "," in value:
        if not _GROUPED.fullmatch(value):
            raise AmountError(f"{field}的千分位分隔符位置不正确：“{text.strip()}”")
        value = value.replace(",", "")
    if not _NUMBER.fullmatch(value):
        raise AmountError(f"{field}不是有效的数字：“{text.strip()}”")
    return Decimal(value)


def parse_amount(value: object, *, field: str = "金额", allow_zero: bool = True) -> Decimal:
    """Parse `value` (str, int or Decimal) into a yuan amount quantized to 0.01.

    Strings may carry surrounding whitespace and correctly placed thousands separators ("1,000.5" →
    1000.50, "1 000" → 1000.00); ASCII and full-width digits are accepted, no other digit forms
    ("¹⁰⁰", "①⓪") and no inner spaces that do not group by three ("1 0"). Refused with
    :class:`AmountError`: float and bool (a programming
    error, never exact), anything that is not a plain number, NaN/Infinity, negative amounts, more
    than 2 significant decimal places ("1.005"; "1.500" is fine), amounts above :data:`MAX_AMOUNT`,
    and zero when ``allow_zero`` is False.
    """
    if isinstance(value, bool | float):
        raise AmountError(f"{field}必须以文本、整数或Decimal提供，不接受{type(value).__name__}")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        amount = _from_text(value, field)
    else:
        raise AmountError(f"{field}不是有效的数字")
    if not amount.is_finite():
        raise AmountError(f"{field}必须是有限的数值")
    if amount < 0:
        raise AmountError(f"{field}不能为负数")
    if amount > MAX_AMOUNT:
        raise AmountError(f"{field}超过上限{yuan(MAX_AMOUNT)}元，请核对")
    if amount != amount.quantize(FEN):
        raise AmountError(f"{field}最多保留两位小数（精确到分）")
    if amount == 0 and not allow_zero:
        raise AmountError(f"{field}必须大于零")
    # copy_abs() turns "-0" into 0 so "-0.00" never appears.
    return amount.quantize(FEN).copy_abs()


def round_fen(d: Decimal) -> Decimal:
    """Round half-up to the fen (0.01), e.g. 0.005 → 0.01, 0.0049 → 0.00, -0.005 → -0.01."""
    try:
        return d.quantize(FEN, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise AmountError(f"金额{d}无法精确到分") from exc


def yuan(d: Decimal) -> str:
    """Display an amount with thousands separators and 2 places: 1234567.8 → "1,234,567.80"."""
    return f"{round_fen(d):,.2f}"
