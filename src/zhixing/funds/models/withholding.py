"""Income withholding orders (扣留、提取收入, CPL-2023 Art 254): an order to the debtor's employer or other
income payer to send part of each month's income to the case account."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.models import Court

from .base import MONEY


class IncomeWithholding(models.Model):
    """One withholding order: the ruling, the assistance notice to the payer, the monthly amount.

    The payer transfers the withheld money to the case's own sub-account (一案一账号), so it is booked as
    any receipt of the case; the receipts from this payer (by its name or account) since the order's
    start are what the order has brought in (`queries_withholding`). The order ends when it has brought
    in its limit or is lifted.
    """

    audit_protected = True

    class IncomeKind(models.TextChoices):
        WAGES = "wages", "工资、奖金"
        PENSION = "pension", "退休金、养老金"
        SERVICE = "service", "劳务报酬"
        RENT = "rent", "租金收入"
        OTHER = "other", "其他收入"

    class Status(models.TextChoices):
        ACTIVE = "active", "扣留中"
        LIFTED = "lifted", "已解除"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    debtor = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    payer_name = models.CharField(
        "协助执行单位",
        max_length=128,
        help_text="被执行人的工作单位或其他支付收入的单位（接收协助执行通知书）",
    )
    payer_account = models.CharField(
        "协助单位付款账号",
        max_length=64,
        blank=True,
        help_text="单位转入扣留款所用的银行账号（选填）；案款到账时按付款人名称或此账号归入本扣留",
    )
    income_kind = models.CharField("收入种类", max_length=16, choices=IncomeKind.choices)
    monthly_income = models.DecimalField("每月收入", **MONEY, help_text="被执行人每月应得的该项收入（元）")
    living_standard = models.DecimalField(
        "当地最低生活保障标准",
        **MONEY,
        help_text="每人每月（元）；被执行人及所扶养家属按此标准保留生活必需费用（查封扣押冻结规定第3条）",
    )
    dependants = models.PositiveSmallIntegerField("所扶养家属人数", default=0)
    monthly_amount = models.DecimalField(
        "每月扣留金额", **MONEY, help_text="每月收入减去生活必需费用，不超过尚欠金额（民事诉讼法第254条）"
    )
    limit = models.DecimalField(
        "扣留总额上限", **MONEY, help_text="裁定时被执行人尚欠的金额；扣足即止（民事诉讼法第253条）"
    )
    ruling_number = models.CharField("裁定书文号", max_length=96, help_text="扣留、提取收入的执行裁定书文号")
    notice_number = models.CharField("协助执行通知书文号", max_length=96, unique=True)
    start_on = models.DateField("起扣日期", help_text="自该日后支付的收入开始扣留")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    lifted_on = models.DateField("解除日期", null=True, blank=True)
    lift_reason = models.CharField("解除理由", max_length=200, blank=True)
    ordered_by = models.ForeignKey(
        "courts.Staff", on_delete=models.PROTECT, related_name="+", verbose_name="裁定人"
    )
    lifted_by = models.ForeignKey(
        "courts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="解除人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "扣留收入"
        verbose_name_plural = "扣留收入"
        indexes = [
            models.Index(fields=["case", "status"], name="withholding_case"),
            models.Index(fields=["court"], name="withholding_active", condition=Q(status="active")),
        ]

    def __str__(self) -> str:
        return f"扣留收入 {self.notice_number}"
