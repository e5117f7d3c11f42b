"""Pure money arithmetic of a case: the enforcement application fee (诉讼费用交纳办法 Art 14) and the
doubled-part delay interest (迟延履行利息解释)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from zhixing.core.money import AmountError, round_fen

from .rules_deadlines import Pause, _Pauses

# -- application fee ---------------------------------------------------------------------------------

# 诉讼费用交纳办法 Art 14(1): enforcement application fee for a money claim, cumulative bands
# (upper bound of the band, rate on the part of the amount inside the band); ≤ 10,000 yuan → 50 yuan.
_FEE_FLOOR_LIMIT = Decimal("10000")
_FEE_FLOOR = Decimal("50")
_FEE_BANDS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal("500000"), Decimal("0.015")),
    (Decimal("5000000"), Decimal("0.01")),
    (Decimal("10000000"), Decimal("0.005")),
    (None, Decimal("0.001")),
)


def application_fee(amount: Decimal) -> Decimal:
    """Enforcement application fee (执行申请费) for a money claim of `amount` yuan.

    诉讼费用交纳办法 Art 14(1): ≤ 10,000 → 50; the part over 10,000 up to 500,000 at 1.5 %; up to
    5,000,000 at 1 %; up to 10,000,000 at 0.5 %; above at 0.1 %. Amount 0 → 0 (cases without a money
    amount, 50–500 yuan, are priced elsewhere). Rounded half-up to the fen. The fee is not prepaid but
    paid after execution (Art 20(2)) and borne by the debtor (Art 38).
    """
    if not amount.is_finite() or amount < 0:
        raise AmountError("申请执行金额不能为负数或非数值")
    if amount == 0:
        return Decimal("0.00")
    fee = _FEE_FLOOR
    lower = _FEE_FLOOR_LIMIT
    for upper, rate in _FEE_BANDS:
        if amount <= lower:
            break
        part = amount - lower if upper is None else min(amount, upper) - lower
        fee += part * rate
        if upper is None:
            break
        lower = upper
    return round_fen(fee)


# -- delay interest ----------------------------------------------------------------------------------

# 日万分之一点七五: 最高人民法院关于执行程序中计算迟延履行期间的债务利息适用法律若干问题的解释 (2014) Art 1.
DELAY_RATE = Decimal("0.000175")


def delay_days(performance_deadline: date, until: date, pauses: Sequence[Pause] = ()) -> int:
    """Days of delay: days in (performance_deadline, until], minus paused days; 0 if until <= deadline.

    迟延履行利息解释 Art 2: delay starts after the performance period expires; Art 3: it ends on the day
    of performance (deduction, etc.), counted inclusively here; Art 3(3): suspension periods excluded.
    """
    if until <= performance_deadline:
        return 0
    total = (until - performance_deadline).days
    return total - _Pauses(pauses).days(performance_deadline, until)


def delay_interest(
    principal: Decimal,
    performance_deadline: date,
    until: date,
    payments: Sequence[tuple[date, Decimal]] = (),
    pauses: Sequence[Pause] = (),
    rate: Decimal = DELAY_RATE,
) -> Decimal:
    """Doubled-part interest for delayed performance (加倍部分债务利息).

    迟延履行利息解释 Art 1: unpaid money debt fixed by the instrument (excluding general interest) ×
    0.0175 % per day × days of delay. Days run from the day after the performance deadline up to and
    including `until` (Art 2, Art 3), paused days excluded (Art 3(3)). A payment reduces the unpaid
    principal from the day after its date (Art 4: payments go to the money debt first); the unpaid
    principal never falls below zero. The interest is summed over the piecewise periods and rounded
    half-up to the fen only at the end.
    """
    if not principal.is_finite() or principal < 0:
        raise AmountError("迟延履行利息的本金不能为负数或非数值")
    if not rate.is_finite() or rate < 0:
        raise AmountError("迟延履行利率不能为负数或非数值")
    for day, paid in payments:
        if not paid.is_finite() or paid < 0:
            raise AmountError(f"{day.isoformat()}的还款金额不能为负数或非数值")
    if until <= performance_deadline:
        return Decimal("0.00")

    merged = _Pauses(pauses)
    unpaid = principal
    total = Decimal(0)
    segment_start = performance_deadline  # segments are (segment_start, segment_end]
    for day, paid in sorted(payments, key=lambda p: p[0]):
        segment_end = min(day, until)
        if segment_end > segment_start:
            days = (segment_end - segment_start).days - merged.days(segment_start, segment_end)
            total += unpaid * days
            segment_start = segment_end
        unpaid = max(Decimal(0), unpaid - paid)
    if until > segment_start:
        days = (until - segment_start).days - merged.days(segment_start, until)
        total += unpaid * days
    return round_fen(total * rate)
