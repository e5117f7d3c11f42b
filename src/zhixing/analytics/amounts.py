"""Reading an amount cell as a court user sees it.

Examples: '1,234.56', 'CNY 123.18', '131.77(已退款89.84)', '１２３．４５'.

Cleaning is the same for every layout (no per-bank code): the cell is width-normalised (NFKC, so full-width
digits, signs and brackets become ASCII), a note in brackets is dropped, thousands separators are removed,
and a currency prefix or suffix (a code such as CNY/USD, a Chinese name such as 人民币, or a symbol such as
¥, US$, HK$, €, and the suffix 元) is taken off and reported so that a layout without a currency column can
still tell a foreign-currency line. A value wholly in brackets, '(1,234.00)', is a negative amount as in
accounting; a trailing minus, '1,234.00-', is negative too.

Thousands separators must separate groups of three digits: '1,234.56' and '1 234 567' read, but a decimal
comma ('12,5', '1 234,56', '1.234,56') is a row error rather than an amount a hundred times too large.
A layout that says its amounts have a **decimal comma** (`decimal_comma`, as German and most continental
European exports write them) reads them the other way round: ',' is the decimal point and '.' or a space
separates groups of three ('-1.234,56', '12,50', '1 234,56'); then a decimal point ('12.5') is the row error.

`parse_marked` also reads a debit/credit mark written with the amount ('1,234.56 CR', 'DR 88.00',
'500.00贷'), as overseas card and bank statements do: CR/贷 is money to the account holder (income or
a repayment), DR/借 money from them, whatever the layout's sign convention.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from .statement_errors import RowError

EMPTY = {"", "/", "-", "--", "—"}
STRIP = " \t\r\n¥￥\ufeff"
CURRENCIES = {
    "人民币": "CNY",
    "cny": "CNY",
    "rmb": "CNY",
    "": "CNY",
    "美元": "USD",
    "美金": "USD",
    "usd": "USD",
    "港币": "HKD",
    "港元": "HKD",
    "hkd": "HKD",
    "欧元": "EUR",
    "eur": "EUR",
    "日元": "JPY",
    "jpy": "JPY",
    "英镑": "GBP",
    "gbp": "GBP",
}
# Symbols before or after a number; "" means "the statement's own currency" (no change).
SYMBOLS = {"¥": "", "元": "", "$": "", "US$": "USD", "HK$": "HKD", "€": "EUR", "£": "GBP"}
LIMIT = Decimal("1e13")
_NOTE = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]")  # '(已退款89.84)', '[手续费2.00]' (after NFKC)
# An amount cell holds a note only if one of these opens it (before NFKC, as `amount_note` tests).
NOTE_OPENINGS = "([【（［"
NOTE_OPENING = re.compile("[" + re.escape(NOTE_OPENINGS) + "]")
_ACCOUNTING = re.compile(r"\(\s*([^()]*\d[^()]*)\s*\)")  # (1,234.00): a negative amount, not a note
_NUMBER = re.compile(r"\d[\d,' \u00a0\u2009]*(?:\.\d+)?|\.\d+")
_MINUS = "\u2212\u2012\u2013\ufe63"  # minus sign, figure dash, en dash, small hyphen-minus
_SEPARATORS = re.compile(r"[,' \u00a0\u2009]+")
_GROUPED = re.compile(r"\d{1,3}(?:[,' \u00a0\u2009]\d{3})*")
# the same with a decimal comma: '.' or a space between groups of three, ',' before the decimals
_NUMBER_DC = re.compile(r"\d[\d. \u00a0\u2009]*(?:,\d+)?|,\d+")
_SEPARATORS_DC = re.compile(r"[. \u00a0\u2009]+")
_GROUPED_DC = re.compile(r"\d{1,3}(?:[. \u00a0\u2009]\d{3})*")
DECIMAL_COMMA_HINT = "（该版式以逗号作小数点，如 -1.234,56、12,50）"
MARKS = {"cr": "in", "dr": "out", "贷": "in", "借": "out"}
_MARK = re.compile(
    r"^\s*(?P<pre>CR|DR|贷|借)(?![A-Za-z])\s*(?P<a>.*?)\s*$"
    r"|^\s*(?P<b>.*?)(?<![A-Za-z])\s*(?P<post>CR|DR|贷|借)\s*$",
    re.I,
)


def clean(value: Any) -> str:
    """A cell as text: spaces, tabs, '¥' and BOM stripped; '-', '--', '/' and runs of dashes are empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip(STRIP)
    return "" if text in EMPTY or set(text) == {"-"} else text


def currency_code(text: str) -> str:
    """'人民币', 'usd', 'HKD' → 'CNY', 'USD', 'HKD'; '' when the word names no currency."""
    key = text.strip().lower()
    if key in CURRENCIES:
        return CURRENCIES[key]
    return text.strip().upper() if re.fullmatch(r"[A-Za-z]{3}", text.strip()) else ""


def _unit(text: str) -> str | None:
    """The currency named by the text around a number: '' for none/own currency, None if not a currency."""
    t = text.strip()
    if not t:
        return ""
    if t in SYMBOLS:
        return SYMBOLS[t]
    if currency_code(t):  # '人民币', 'USD', '美元' before '元' is taken as a symbol
        return currency_code(t)
    for symbol in SYMBOLS:  # '¥元' or 'CNY¥': a symbol next to a code or another symbol
        if symbol and t.endswith(symbol) and t != symbol:
            rest = _unit(t[: -len(symbol)])
            return rest if rest is not None else None
    code = currency_code(t)
    return code or None


def amount_note(value: Any) -> str:
    """The notes an amount cell carries in brackets, which `parse_amount` reads past: '131.77(已退款89.84)'
    → '已退款89.84'; '' for a plain amount (or an accounting negative, '(1,234.00)')."""
    if not isinstance(value, str) or not NOTE_OPENING.search(value):
        return ""
    text = unicodedata.normalize("NFKC", value).strip()
    if _ACCOUNTING.fullmatch(text):
        return ""
    return "；".join(m.group(0)[1:-1].strip() for m in _NOTE.finditer(text) if m.group(0)[1:-1].strip())


def parse_amount(value: Any, column: str, *, decimal_comma: bool = False) -> tuple[Decimal | None, str]:
    """(amount or None for an empty cell, currency code named in the cell or '').

    `decimal_comma`: the layout writes ',' as the decimal point and '.' or a space between thousands.
    Raises RowError naming the column when the cell holds anything but one amount.
    """
    if isinstance(value, bool):
        raise RowError(f"“{column}”不是有效金额：{value!r}")
    if isinstance(value, int | float | Decimal):
        return _bounded(Decimal(str(value)), value, column), ""
    hint = DECIMAL_COMMA_HINT if decimal_comma else ""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    for ch in _MINUS:
        text = text.replace(ch, "-")
    text = text.replace("，", ",").strip(" \t\r\n\ufeff")
    if clean(text) == "":
        return None, ""
    negative = False
    bracketed = _ACCOUNTING.fullmatch(text)
    if bracketed:  # accounting: (1,234.00) is a negative amount
        negative, text = True, bracketed.group(1)
    text = _NOTE.sub("", text).strip()
    numbers = list((_NUMBER_DC if decimal_comma else _NUMBER).finditer(text))
    if len(numbers) != 1:
        raise RowError(f"“{column}”不是有效金额：{value!r}{hint}")
    match = numbers[0]
    before, after = text[: match.start()].strip(), text[match.end() :].strip()
    if before.endswith(("-", "+")):
        negative ^= before.endswith("-")
        before = before[:-1].strip()
    if before.startswith(("-", "+")):  # '-¥12.00' as well as '¥-12.00'
        negative ^= before.startswith("-")
        before = before[1:].strip()
    if after.endswith("-") and not before:  # '1,234.00-' (some bank exports)
        negative, after = not negative, after[:-1].strip()
    unit_before, unit_after = _unit(before), _unit(after)
    if (
        unit_before is None
        or unit_after is None
        or (unit_before and unit_after and unit_before != unit_after)
    ):
        raise RowError(f"“{column}”不是有效金额：{value!r}{hint}")
    digits = _digits(match.group(0), value, column, decimal_comma)
    try:
        amount = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits and one point
        raise RowError(f"“{column}”不是有效金额：{value!r}{hint}") from None
    return _bounded(-amount if negative else amount, value, column), unit_before or unit_after


def _digits(number: str, value: Any, column: str, decimal_comma: bool) -> str:
    """The number as Decimal reads it ('1234.56'); RowError when its separators do not split the
    integer into groups of three (a decimal mark of the other convention)."""
    if decimal_comma:
        whole = number.split(",")[0].rstrip(". \u00a0\u2009")
        if _SEPARATORS_DC.search(whole) and not _GROUPED_DC.fullmatch(whole):
            raise RowError(
                f"“{column}”的千位分隔不是每三位一组：{value!r}"
                "（该版式以逗号作小数点、点或空格作千位分隔；如为小数点格式请取消勾选“金额以逗号作小数点”）"
            )
        return re.sub(r"[. \u00a0\u2009]", "", number).replace(",", ".")
    whole = number.split(".")[0].rstrip(",' \u00a0\u2009")
    if _SEPARATORS.search(whole) and not _GROUPED.fullmatch(whole):
        raise RowError(
            f"“{column}”的千位分隔不是每三位一组：{value!r}"
            "（小数点须为“.”；如为小数逗号格式，请在版式中勾选“金额以逗号作小数点”）"
        )
    return re.sub(r"[,' \u00a0\u2009]", "", number)


def parse_marked(value: Any, column: str, *, decimal_comma: bool = False) -> tuple[Decimal | None, str, str]:
    """(amount, currency named in the cell or '', in|out from a CR/DR/贷/借 mark or '').

    With a mark the amount is its magnitude: the mark, not the sign, says which way the money moved.
    """
    if isinstance(value, str):
        found = _MARK.match(unicodedata.normalize("NFKC", value))
        if found and re.search(r"\d", value):
            mark = (found.group("pre") or found.group("post")).lower()
            rest = found.group("a") if found.group("pre") else found.group("b")
            amount, unit = parse_amount(rest, column, decimal_comma=decimal_comma)
            if amount is not None:
                return abs(amount), unit, MARKS[mark]
    amount, unit = parse_amount(value, column, decimal_comma=decimal_comma)
    return amount, unit, ""


def _bounded(d: Decimal, raw: Any, column: str) -> Decimal:
    if not d.is_finite() or abs(d) >= LIMIT:
        raise RowError(f"“{column}”金额超出范围：{raw!r}")
    return d.quantize(Decimal("0.01"))


def parse_decimal(value: Any, column: str, *, decimal_comma: bool = False) -> Decimal | None:
    """'1,234.56', '+10000.00', '¥28.16', '-' → Decimal or None; anything else is a row error.
    ('1.234,56' with `decimal_comma`.)"""
    return parse_amount(value, column, decimal_comma=decimal_comma)[0]


def decimal_comma_of(preset: Any) -> bool:
    """Whether a layout writes its amounts with a decimal comma (`StatementPreset.decimal_comma`)."""
    return bool(getattr(preset, "decimal_comma", False))
