"""Imported bank statements and distribution plans."""

from __future__ import annotations

from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court

from .base import MONEY, ZERO


class StatementImport(models.Model):
    """One imported daily bank statement (the balance is what reconciliation compares against)."""

    audit_protected = True

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    statement_date = models.DateField("对账单日期")
    closing_balance = models.DecimalField("银行日终余额", **MONEY, null=True, blank=True)
    lines = models.JSONField("明细", default=list)
    booked = models.PositiveIntegerField("新入账笔数", default=0)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"对账单 {self.statement_date}"


class DistributionPlan(models.Model):
    """财产分配方案 with its objection periods; `lines` holds the computed shares."""

    audit_protected = True

    class Status(models.TextChoices):
        DRAFT = "draft", "已制作"
        SERVED = "served", "已送达（异议期）"
        OBJECTED = "objected", "有异议（反对异议期）"
        FINAL = "final", "已生效"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+")
    proceeds = models.DecimalField("分配财产总额", **MONEY)
    costs = models.DecimalField("执行费用", **MONEY, default=ZERO)
    debtor_kind = models.CharField("被执行人类型", max_length=16)
    lines = models.JSONField("分配明细", default=list)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    served_on = models.DateField(null=True, blank=True)
    objection_due = models.DateField("异议期届满日", null=True, blank=True)
    counter_objection_due = models.DateField("反对异议期届满日", null=True, blank=True)
    held_amount = models.DecimalField("提存金额", **MONEY, default=ZERO)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"分配方案#{self.pk}"
