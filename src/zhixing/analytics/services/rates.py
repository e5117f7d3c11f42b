"""Maintaining the rate table that converts foreign-currency statement lines to yuan."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from ..models import ExchangeRate

RATE_REFUSED = "只有财务人员或执行局局长可以维护折算汇率"


def set_exchange_rate(
    user: Any, *, currency: str, valid_from: date, rate: Any, note: str = ""
) -> ExchangeRate:
    """Record (or correct) the rate of `currency` in force from `valid_from`; audited.

    Finance staff and directors maintain rates (`Cap.ANALYTICS_RATE`; administrators may also use the
    admin). Imports already run keep the rate they used (stored on each transaction); re-import to
    apply a corrected rate.
    """
    staff = getattr(user, "court", None) is not None and user.can(Cap.ANALYTICS_RATE)
    if not staff and not getattr(user, "is_superuser", False):
        raise NotPermitted(RATE_REFUSED)
    code = (currency or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ServiceError("币种应为三位字母代码，如 USD", field="currency")
    if code == "CNY":
        raise ServiceError("人民币无需设置汇率", field="currency")
    if not isinstance(valid_from, date):
        raise ServiceError("请填写汇率起始日期", field="valid_from")
    try:
        value = Decimal(str(rate)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"汇率不是有效数字：{rate!r}", field="rate") from None
    if not value.is_finite() or value <= 0 or value >= Decimal("1000000"):
        raise ServiceError("汇率应为大于0的数字", field="rate")
    with transaction.atomic():
        old = ExchangeRate.objects.select_for_update().filter(currency=code, valid_from=valid_from).first()
        before = {"rate": old.rate, "note": old.note} if old else None
        obj, _ = ExchangeRate.objects.update_or_create(
            currency=code, valid_from=valid_from, defaults={"rate": value, "note": note[:100]}
        )
        audit.record(
            user,
            "analytics.rate.set",
            object_type="ExchangeRate",
            object_id=obj.pk,
            before=before,
            after={"currency": code, "valid_from": valid_from, "rate": value, "note": obj.note},
        )
    return obj
