"""Case settings with their defaults, read at call time from ``settings.ZHIXING_CASES`` (a dict).

* ``no_money_application_fee``: the enforcement application fee of a case without a money amount
  (诉讼费用交纳办法 Art 14(1): "没有执行金额或者价额的，每件交纳50元至500元"). The measures fix only the
  band; the amount within it is the court's, so it is configuration with a default of 50 yuan, and a
  value outside the band is refused at start of use (never silently clipped).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .fees import NO_MONEY_FEE_MAX, NO_MONEY_FEE_MIN

DEFAULTS: dict[str, Any] = {"no_money_application_fee": "50.00"}


def option(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "ZHIXING_CASES", {})}[name]


def no_money_application_fee() -> Decimal:
    """The configured fee for a case without a money amount, checked against the statutory band."""
    raw = option("no_money_application_fee")
    try:
        fee = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ImproperlyConfigured(f"ZHIXING_CASES['no_money_application_fee'] 不是金额：{raw!r}") from None
    if not NO_MONEY_FEE_MIN <= fee <= NO_MONEY_FEE_MAX:
        raise ImproperlyConfigured(
            f"ZHIXING_CASES['no_money_application_fee'] 须在{NO_MONEY_FEE_MIN}至{NO_MONEY_FEE_MAX}元之间"
            f"（诉讼费用交纳办法第14条），现为{fee}"
        )
    return fee
