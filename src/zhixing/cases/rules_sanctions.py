"""Limits of fines and detention for obstructing enforcement (pure; CPL-2023 Arts 114, 118, 119).

rules.md §1: an individual may be fined up to RMB 100,000, a unit RMB 50,000 to 1,000,000; detention is at
most 15 days; both by a decision (决定书) approved by the court president, reviewable once by the next
higher court without suspending it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

PERSON_FINE_MAX = Decimal("100000")
UNIT_FINE_MIN = Decimal("50000")
UNIT_FINE_MAX = Decimal("1000000")
DETENTION_MAX_DAYS = 15


class SanctionError(ValueError):
    """A fine or detention outside the statutory limits (Chinese message)."""


# rule
def check_fine(amount_text: str, *, unit: bool) -> Decimal:
    """The fine as an amount within CPL-2023 Art 118(1); raises SanctionError naming the limit."""
    try:
        amount = Decimal(amount_text.replace(",", "").strip())
    except InvalidOperation as exc:
        raise SanctionError("罚款金额须为数字（元）") from exc
    if not amount.is_finite():  # Decimal reads "NaN" and "-Infinity"; no amount is written so
        raise SanctionError("罚款金额须为数字（元）")
    if amount <= 0:
        raise SanctionError("罚款金额须为大于零、最多两位小数的金额（元）")
    if unit and not UNIT_FINE_MIN <= amount <= UNIT_FINE_MAX:
        raise SanctionError("对单位的罚款金额为人民币五万元以上一百万元以下（民事诉讼法第一百一十八条）")
    if not unit and amount > PERSON_FINE_MAX:
        raise SanctionError("对个人的罚款金额为人民币十万元以下（民事诉讼法第一百一十八条）")
    # After the limits: "1e309" quantized to the fen has more digits than the context (InvalidOperation).
    if amount != amount.quantize(Decimal("0.01")):
        raise SanctionError("罚款金额须为大于零、最多两位小数的金额（元）")
    return amount


# rule
def check_detention(days_text: str, *, unit: bool) -> int:
    """Days of detention within CPL-2023 Art 118(2): 1 to 15, and only a natural person is detained."""
    if unit:
        raise SanctionError(
            "单位不能被拘留；可以对其主要负责人或者直接责任人员予以拘留（民事诉讼法第一百一十四条第二款）"
        )
    text = days_text.strip()
    if not (text.isascii() and text.isdigit()):  # str.isdigit() alone takes "²", which int() refuses
        raise SanctionError("拘留日数须为整数")
    days = int(text) if len(text) <= 6 else DETENTION_MAX_DAYS + 1  # int() refuses past 4300 digits
    if not 1 <= days <= DETENTION_MAX_DAYS:
        raise SanctionError("拘留的期限为十五日以下（民事诉讼法第一百一十八条）")
    return days
