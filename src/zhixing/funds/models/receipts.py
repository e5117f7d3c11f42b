"""Receipts into the custody account (incl. 不明款)."""

from __future__ import annotations

from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court

from .base import MONEY


class Receipt(models.Model):
    """A transfer into the custody account, from a bank notice, a statement line or a deduction."""

    audit_protected = True

    class Status(models.TextChoices):
        BOOKED = "booked", "已入案款"
        UNIDENTIFIED = "unidentified", "不明款待认领"
        CLAIMED = "claimed", "不明款已认领"
        RETURNING = "returning", "不明款退回中"
        RETURNED = "returned", "不明款已退回"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    bank_txn_id = models.CharField("银行流水号/幂等键", max_length=128, unique=True)
    source = models.CharField("来源", max_length=16, help_text="notice/statement/deduction/manual")
    amount = models.DecimalField("金额", **MONEY)
    payer_name = models.CharField("付款人", max_length=128, blank=True)
    payer_account = models.CharField("付款账号", max_length=64, blank=True)
    to_account = models.CharField("收款子账号", max_length=32, blank=True)
    memo = models.CharField("附言", max_length=200, blank=True)
    value_date = models.DateField("到账日期")
    case = models.ForeignKey(
        EnforcementCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="案件",
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices)
    claim_due = models.DateField("认领期限", null=True, blank=True)
    return_reason = models.CharField(
        "退回原因",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="财务退回不明款时填写的原因",
    )
    return_order_key = models.CharField(
        "退回指令幂等键",
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text="原路退回付款人的支付指令幂等键；重发同一指令银行只付一次",
    )
    return_payment_id = models.CharField(
        "退回支付编号",
        max_length=64,
        blank=True,
        default="",
        db_default="",
        help_text="银行确认退回的支付编号",
    )
    return_fail_reason = models.CharField(
        "退回失败原因",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="银行退回失败的原因；失败后该款仍为不明款",
    )
    return_attempts = models.PositiveSmallIntegerField(
        "退回指令发送次数", default=0, db_default=0, help_text="未能连接银行的发送尝试次数（自动重发有上限）"
    )
    return_last_error = models.CharField(
        "退回指令发送问题",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="最近一次发送未获银行答复的原因，页面据此提示",
    )
    return_next_attempt_at = models.DateTimeField(
        "退回指令下次重发时间", null=True, blank=True, help_text="为空且已达上限时不再自动重发"
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="创建时间")

    class Meta:
        verbose_name = "来款"
        verbose_name_plural = "来款"
        indexes = [models.Index(fields=["court", "status"]), models.Index(fields=["case", "value_date"])]

    def __str__(self) -> str:
        return f"来款 {self.bank_txn_id} {self.amount}"
