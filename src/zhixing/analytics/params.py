"""Strict readers of the analytics pages' and API's own parameters: an id, an amount, a day.

Purpose: the query strings and form fields the analytics views read themselves (the rows filter, the
preview's layout, a profile's or a statement's period) pass through here, so a value the database or
the date arithmetic behind them cannot take is refused up front with a `ServiceError` naming the field
(the API answers 422 with it, a page shows its message), never a server error.

Contract:

* `object_id_param`: ASCII digits only, 1..2**63-1 (`zhixing.courts.queries.object_id`: ``str.isdigit``
  also accepts "²" and "١", which ``int()`` refuses, and a number past 64 bits overflows the column).
* `amount_param`: a plain finite yuan amount (`zhixing.core.money.parse_amount`: no NaN, Infinity,
  exponent or negative amount; at most 2 places; at most `money.MAX_AMOUNT`, within the columns'
  18 digits).
* `day_param` / `check_day`: an ISO ``YYYY-MM-DD`` day from `FIRST_DAY` to `LAST_DAY`, the range the
  platform's API accepts for a date (`zhixing.cases.schemas.ISODate`): a day near year 1 or 9999 turns
  into a UTC time or a day after it out of range (OverflowError).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from zhixing.core.errors import ServiceError
from zhixing.core.money import AmountError, parse_amount
from zhixing.courts.queries import object_id

__all__ = ["FIRST_DAY", "LAST_DAY", "amount_param", "check_day", "day_param", "object_id_param"]

# The cases API's `ISODate` range; analytics reads cases only through their queries, so not imported.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2099, 12, 31)
# `date.fromisoformat` also reads "20240101" and "2024-W01-1"; `\d` would also match "２" or "٢".
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def object_id_param(text: str, field: str, label: str = "编号") -> int | None:
    """The id `text` names (None when empty); a `ServiceError` on `field` when it can name no row."""
    text = text.strip()
    if not text:
        return None
    found = object_id(text)
    if found is None:
        raise ServiceError(f"{label}无效：{text[:40]}", field=field)
    return found


def amount_param(text: str, field: str, label: str = "金额") -> Decimal | None:
    """The yuan amount `text` writes (None when empty); a `ServiceError` on `field` when it is not one."""
    if not text.strip():
        return None
    try:
        return parse_amount(text, field=label)
    except AmountError as exc:
        raise ServiceError(str(exc), field=field) from None


def check_day(day: date, field: str, label: str = "日期") -> date:
    """`day` if it lies from `FIRST_DAY` to `LAST_DAY`, else a `ServiceError` on `field`."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ServiceError(
            f"{label}须在{FIRST_DAY.isoformat()}至{LAST_DAY.isoformat()}之间：{day.isoformat()}", field=field
        )
    return day


def day_param(text: str, field: str, label: str = "日期") -> date | None:
    """The day `text` writes as YYYY-MM-DD (None when empty), within `check_day`'s range; else a
    `ServiceError` on `field`."""
    text = text.strip()
    if not text:
        return None
    try:
        if not _ISO_DAY.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise ServiceError(f"日期格式应为 YYYY-MM-DD：{text[:40]}", field=field) from None
    return check_day(day, field, label)
