"""The dated exchange-rate table (流水折算汇率) used to convert foreign-currency statement lines to yuan.

Re-exported by `zhixing.analytics.models`; the conversion itself is pure (`analytics/exchange.py`).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models


class ExchangeRate(models.Model):
    """A rate to convert one foreign currency to yuan, in force from `valid_from` until the next one."""

    currency = models.CharField(
        "币种",
        max_length=3,
        validators=[RegexValidator(r"^[A-Z]{3}$", "币种应为三位大写字母代码，如 USD")],
        help_text="ISO 4217 三位代码，如 USD（美元）、HKD（港币）、EUR（欧元）",
    )
    valid_from = models.DateField("起始日期", help_text="自该日起适用，直至同一币种下一条汇率的起始日")
    rate = models.DecimalField(
        "汇率",
        max_digits=12,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text="1单位外币折合人民币元数，如 7.123400；可采用中国人民银行公布的人民币汇率中间价",
    )
    note = models.CharField("来源说明", max_length=100, blank=True, help_text="如“人民银行中间价”")

    class Meta:
        verbose_name = "流水折算汇率"
        verbose_name_plural = "流水折算汇率"
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="an_rate_currency_day")
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.valid_from} {self.rate}"

    def clean(self) -> None:
        if self.currency == "CNY":
            raise ValidationError({"currency": "人民币无需设置汇率"})
