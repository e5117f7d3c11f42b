"""A bid's amount and the refusal of a bid on no lot (outside probe C4).

Every bid path — the bid gateway's ASGI fast route, the Django API and the portal form — parses the
amount here, with the platform's money parser (core.money), so a value the money columns cannot hold
(`1e20`) never reaches the database and no page that reads the lot fails on it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhixing.core.errors import ServiceError
from zhixing.core.money import MAX_AMOUNT, AmountError, parse_amount


class LotNotFound(ServiceError):
    """A bid on a lot that does not exist (404, field `lot`)."""

    status = 404


# The money columns hold 13 integer digits (max_digits 15, 2 places); core.money's ceiling (one
# trillion yuan) is below that, so any amount it accepts can be stored and read back.
MAX_BID = MAX_AMOUNT
# One refusal for every amount the money parser refuses (an exponent, NaN, 3 places, above MAX_BID…).
BID_AMOUNT_MESSAGE = "出价须为金额（元）"


def bid_amount(value: Any) -> Decimal:
    """A bid amount by the platform's money parser (core.money: plain decimal notation, no exponent,
    NaN or Infinity, at most 2 places, at most MAX_BID), else a 422 naming `amount`. A bid of zero is
    refused by the rules (below the start price)."""
    if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
        raise ServiceError(BID_AMOUNT_MESSAGE, field="amount")
    try:
        amount = parse_amount(value, field="出价", allow_zero=False)
    except AmountError as exc:
        raise ServiceError(BID_AMOUNT_MESSAGE, field="amount") from exc
    if amount > MAX_BID:  # parse_amount's ceiling today; kept explicit for the columns' sake
        raise ServiceError(BID_AMOUNT_MESSAGE, field="amount")
    return amount
