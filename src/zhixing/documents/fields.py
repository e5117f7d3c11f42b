"""How documents write dates, amounts and lists of names (one way for every kind)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhixing.core import localtime


def cn_date(value: date | datetime | None, missing: str = "") -> str:
    """E.g. 2026年03月05日 (the platform's one Chinese date format); datetimes as the day in Beijing."""
    if value is None:
        return missing
    d = localtime.local_date(value) if isinstance(value, datetime) else value
    return d.strftime(localtime.CHINESE_DATE_FORMAT)


def today() -> str:
    return cn_date(timezone.localdate())


def yuan(amount: Decimal | int | str) -> str:
    """E.g. 1234567.80 (two places, as the platform's other documents print amounts)."""
    return f"{Decimal(amount):.2f}"


def names(items: list[Any], missing: str = "无") -> str:
    """Names joined with 、 (the Chinese enumeration comma)."""
    return "、".join(str(i) for i in items if str(i)) or missing


def numbered(items: list[str]) -> str:
    """Lines (一)…(二)… as separate lines (docxtpl turns \\n into line breaks)."""
    digits = "一二三四五六七八九十"
    return "\n".join(f"（{digits[i] if i < 10 else i + 1}）{t}" for i, t in enumerate(items))
