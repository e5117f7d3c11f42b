"""Imported bank statements (distribution plans are in `distribution`)."""

from __future__ import annotations

from django.db import models

from zhixing.courts.models import Court

from .base import MONEY


class StatementImport(models.Model):
    """One imported daily bank statement (the balance is what reconciliation compares against)."""

    audit_protected = True

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    statement_date = models.DateField("对账单日期")
    closing_balance = models.DecimalField("银行日终余额", **MONEY, null=True, blank=True)
    lines = models.JSONField("明细", default=list)
    booked = models.PositiveIntegerField("新入账笔数", default=0)
    imported_at = models.DateTimeField(auto_now_add=True, verbose_name="导入时间")
    imported_by = models.CharField(max_length=64, blank=True, verbose_name="导入人")

    class Meta:
        verbose_name = "银行对账单导入"
        verbose_name_plural = "银行对账单导入"

    def __str__(self) -> str:
        return f"对账单 {self.statement_date}"
