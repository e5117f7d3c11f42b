"""Interest the bank pays on the custody account (执行款孳息) and how it was allocated."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court

from .base import MONEY


class InterestCredit(models.Model):
    """One interest credit of the court's custody account for a period, as finance recorded it."""

    audit_protected = True

    class Status(models.TextChoices):
        PENDING = "pending", "待分配"
        ALLOCATED = "allocated", "已分配"

    class Policy(models.TextChoices):
        CASES = "cases", "按案件日均余额分配至各案"
        STATE = "state", "不分配至案件（上缴/法院统一处理）"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    period_start = models.DateField("计息起日", help_text="银行结息期间的第一天")
    period_end = models.DateField("计息止日", help_text="银行结息期间的最后一天（含）")
    amount = models.DecimalField("孳息金额", **MONEY, help_text="银行记入执行款专户的利息（元）")
    bank_reference = models.CharField(
        "银行结息流水号", max_length=64, help_text="银行结息回单或流水号；同一法院同一编号只登记一次"
    )
    policy = models.CharField(
        "分配方式",
        max_length=8,
        choices=Policy.choices,
        help_text="登记时的孳息处理方式（FUNDS_INTEREST_POLICY）",
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    note = models.CharField("说明", max_length=200, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    allocated_at = models.DateTimeField("分配时间", null=True, blank=True)
    cases_count = models.PositiveIntegerField("分得案件数", default=0)

    class Meta:
        verbose_name = "执行款孳息"
        verbose_name_plural = "执行款孳息"
        constraints = [
            models.UniqueConstraint(fields=["court", "bank_reference"], name="interest_credit_unique_ref")
        ]
        indexes = [models.Index(fields=["status", "id"], name="interest_credit_status")]

    def __str__(self) -> str:
        return f"孳息 {self.period_start}–{self.period_end} {self.amount}"


class InterestAllocation(models.Model):
    """One case's share of an interest credit (or the part not allocated to cases, `case` None)."""

    audit_protected = True

    credit = models.ForeignKey(
        InterestCredit, on_delete=models.PROTECT, related_name="allocations", verbose_name="孳息"
    )
    case = models.ForeignKey(
        EnforcementCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="案件",
        help_text="空表示未分配至案件的部分（上缴或无案款余额）",
    )
    balance_days = models.DecimalField(
        "余额积数", max_digits=20, decimal_places=2, help_text="计息期间每日日终余额之和（元·天）"
    )
    average_balance = models.DecimalField(
        "日均余额", **MONEY, help_text="余额积数 ÷ 计息天数，四舍五入到分（仅供显示）"
    )
    amount = models.DecimalField(
        "分得孳息", **MONEY, help_text="按日均余额比例分得的孳息，最大余额法精确到分"
    )

    class Meta:
        verbose_name = "孳息分配"
        verbose_name_plural = "孳息分配"
        indexes = [models.Index(fields=["case", "credit"], name="interest_alloc_case")]

    def __str__(self) -> str:
        return f"{self.case_id or '未分配'} {self.amount}"
