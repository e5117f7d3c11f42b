"""Which way money moved on a statement line, by the layout's sign convention (pure).

A layout says it in one of four ways (`StatementPreset`):
- one amount column with a sign: positive is income (`amount_sign` = in_positive, bank accounts) or
  positive is spending (out_positive, credit cards);
- an amount column with a direction column holding any words the file uses (收入/支出, 借/贷, D/C, …),
  compared after width, case and space normalisation; the neutral words (不计收支, '/') keep a line neither;
- keywords in a text column (the summary unless another is named): 工资|转入 → income, 消费|转出 → spending;
- separate income and spending (credit/debit) columns.

Whatever the convention, an amount written with a debit/credit mark ('1,234.56 CR', 'DR 88.00', '500.00贷')
takes its direction from the mark (unless the layout has a direction column).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .amounts import decimal_comma_of, parse_amount, parse_marked
from .columns import same_word
from .statement_errors import RowError

ZERO = Decimal("0.00")


def options(text: str) -> list[str]:
    return [t.strip() for t in text.split("|") if t.strip()] if text else []


def _matches(raw: str, words: str) -> bool:
    return any(same_word(raw, w) for w in options(words))


def _by_keywords(amount: Decimal, text: str, column: str, preset: Any) -> tuple[Decimal, str]:
    found_in = [w for w in options(preset.direction_keywords_in) if w in text]
    found_out = [w for w in options(preset.direction_keywords_out) if w in text]
    if found_in and found_out:
        raise RowError(f"“{column}”同时含收入关键词“{found_in[0]}”与支出关键词“{found_out[0]}”：{text!r}")
    if found_in:
        return abs(amount), "in"
    if found_out:
        return -abs(amount), "out"
    raise RowError(
        f"无法从“{column}”判断收支：{text!r}（收入关键词：{preset.direction_keywords_in or '无'}；"
        f"支出关键词：{preset.direction_keywords_out or '无'}）"
    )


def amount_and_direction(
    get: Callable[[str], Any], text: Callable[[str], str], preset: Any
) -> tuple[Decimal, str, str]:
    """(signed amount, in|out|neutral, currency named in the amount cell or '') of one row.

    `get(column)` is the raw cell of a named column, `text(column)` its cleaned text. Amounts are read
    with the layout's decimal mark (`decimal_comma`).
    """
    comma = decimal_comma_of(preset)
    if preset.amount_column:
        amount, unit, mark = parse_marked(
            get(preset.amount_column), preset.amount_column, decimal_comma=comma
        )
        if amount is None:
            raise RowError(f"“{preset.amount_column}”为空")
        if mark and not preset.direction_column:  # '1,234.56 CR': the mark, not the sign convention
            return (amount, "in", unit) if mark == "in" else (-amount, "out", unit)
        if preset.direction_column:
            raw = text(preset.direction_column)
            if _matches(raw, preset.direction_in):
                return abs(amount), "in", unit
            if _matches(raw, preset.direction_out):
                return -abs(amount), "out", unit
            if _matches(raw, preset.direction_neutral) or (
                not raw and "/" in options(preset.direction_neutral)
            ):
                return abs(amount), "neutral", unit
            accepted = "、".join(
                options(preset.direction_in)
                + options(preset.direction_out)
                + options(preset.direction_neutral)
            )
            raise RowError(f"“{preset.direction_column}”取值无法识别：{raw!r}（版式中的取值：{accepted}）")
        if options(preset.direction_keywords_in) or options(preset.direction_keywords_out):
            column = preset.direction_text_column or preset.summary_column
            signed, direction = _by_keywords(amount, text(column), column, preset)
            return signed, direction, unit
        if getattr(preset, "amount_sign", "in_positive") == "out_positive":
            amount = -amount  # credit card: a positive amount is spending, a negative one a repayment
        return amount, "in" if amount > 0 else ("out" if amount < 0 else "neutral"), unit
    income, unit_in = parse_amount(get(preset.in_column), preset.in_column, decimal_comma=comma)
    expense, unit_out = parse_amount(get(preset.out_column), preset.out_column, decimal_comma=comma)
    if income is not None and expense is not None and income and expense:
        raise RowError(f"“{preset.in_column}”与“{preset.out_column}”同时有金额")
    if income:
        return abs(income), "in", unit_in
    if expense:
        return -abs(expense), "out", unit_out
    if income is None and expense is None:
        raise RowError(f"“{preset.in_column}”与“{preset.out_column}”均为空")
    return ZERO, "neutral", unit_in or unit_out
