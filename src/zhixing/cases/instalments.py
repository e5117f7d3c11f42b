"""Instalments (分期履行) of the money debt the basis fixes.

Re-exported by `zhixing.cases.models`. 迟延履行利息解释 Art 2: with instalments, the doubled interest of
each instalment runs from the day after that instalment's deadline; only instalments whose deadline has
passed may be enforced (执行工作规定 Art 16). The instalments add up to the principal bucket (principal +
litigation costs); the case's ``performance_deadline`` is the last instalment's deadline (the 2-year
application period runs from it, CPL-2023 Art 250).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}


class Instalment(models.Model):
    """One instalment: the amount due by `due_on` (the last day of its performance period)."""

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.CASCADE, related_name="instalments", verbose_name="案件"
    )
    seq = models.PositiveSmallIntegerField("期次", help_text="第几期，从1起")
    due_on = models.DateField("履行期限届满日", help_text="该期履行期间的最后一日")
    amount = models.DecimalField("金额", **MONEY, default=Decimal("0"), help_text="该期应履行的金额（元）")

    class Meta:
        verbose_name = "分期履行"
        verbose_name_plural = "分期履行"
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="instalment_unique_seq")]

    def __str__(self) -> str:
        return f"第{self.seq}期 {self.due_on.isoformat()} {self.amount}元"
