"""Payout clocks (one per receipt: its 30-day payout deadline) and the lawful holds that pause them."""

from __future__ import annotations

from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court

from .base import MONEY
from .receipts import Receipt


class PayoutClock(models.Model):
    """The payout deadline of one receipt's money (rules.md §7.1: 30 days from arrival).

    One per receipt; a hold of part of the money splits the clock it ends in, so exactly the held
    amount is paused and the rest keeps running.

    `open_amount` is the part of the receipt still on the case account: money leaves oldest first, so
    a payout (or refund, fee, costs, lodgement) settles the oldest clocks first; `services.clocks.sync`
    keeps it equal to the account balance. `due_on` is recomputed from the arrival and the holds
    covering the clock; it is empty while a hold lasts.
    """

    audit_protected = True

    class Status(models.TextChoices):
        RUNNING = "running", "计时中"
        HELD = "held", "暂缓发放（停止计时）"
        MET = "met", "已发放完毕"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    receipt = models.ForeignKey(
        Receipt,
        on_delete=models.PROTECT,
        related_name="payout_clocks",
        help_text="计时所依据的来款（部分金额被暂缓时，一笔来款分为暂缓部分与其余部分两个期限）",
        verbose_name="来款",
    )
    part = models.PositiveSmallIntegerField(
        "分段", default=0, help_text="0：来款本身；1起：暂缓部分金额时从中分出的部分"
    )
    amount = models.DecimalField("金额", **MONEY)
    open_amount = models.DecimalField("尚未发放金额", help_text="仍在案款账户中的本笔来款金额", **MONEY)
    arrived_on = models.DateField("到账日", help_text="财务通知款项到账之日（认领的不明款为认领之日）")
    due_on = models.DateField("发款期限", null=True, blank=True, help_text="暂缓发放期间为空")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RUNNING)
    met_on = models.DateField("发放完毕日", null=True, blank=True)
    overdue_since = models.DateField(
        "超期日", null=True, blank=True, help_text="扫描发现超过发款期限之日；按期发放或暂缓后清空"
    )

    class Meta:
        verbose_name = "发款期限"
        verbose_name_plural = "发款期限"
        constraints = [models.UniqueConstraint(fields=["receipt", "part"], name="funds_clock_receipt_part")]
        indexes = [
            models.Index(fields=["status", "due_on"], name="funds_clock_open_due"),
            models.Index(fields=["case", "arrived_on"], name="funds_clock_case"),
            models.Index(fields=["court", "status", "due_on"], name="funds_clock_court_due"),
        ]

    def __str__(self) -> str:
        return f"发款期限#{self.pk} {self.amount}"


class PayoutHold(models.Model):
    """A lawful reason to hold a case's money past its payout deadline (暂缓发放), with its period.

    `amount` empty: all the case's money (and money arriving while the hold lasts). The hold pauses the
    clocks it covers from `start`; lifting it on `end` resumes them (`followup_due` is the follow-up
    deadline the rule gives after the cause ends). A suspension's hold is placed and lifted by the
    case's suspension and resumption (`suspension_id`).
    """

    audit_protected = True

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    reason = models.CharField(
        "暂缓发放事由", max_length=32, help_text="事由代码（见 funds.conf.hold_reasons）"
    )
    article = models.CharField("法律依据", max_length=300, help_text="设置时事由所引用的条文")
    amount = models.DecimalField("暂缓金额", null=True, blank=True, help_text="为空表示本案全部案款", **MONEY)
    start = models.DateField("开始日期")
    end = models.DateField("解除日期", null=True, blank=True)
    followup_due = models.DateField("原因消除后发放期限", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True, help_text="文书文号或情况说明")
    lift_note = models.CharField("解除说明", max_length=200, blank=True)
    suspension_id = models.IntegerField(
        "中止记录", null=True, blank=True, help_text="因案件中止执行自动设置时，对应的中止记录编号"
    )
    placed_by = models.ForeignKey(
        "courts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提存人",
    )
    lifted_by = models.ForeignKey(
        "courts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="解除人",
    )
    clocks = models.ManyToManyField(
        PayoutClock, related_name="holds", blank=True, help_text="停止计时的发款期限"
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="创建时间")

    class Meta:
        verbose_name = "暂缓发放"
        verbose_name_plural = "暂缓发放"
        indexes = [models.Index(fields=["case", "end"], name="funds_hold_case_open")]

    def __str__(self) -> str:
        return f"暂缓发放#{self.pk} {self.reason}"

    @property
    def active(self) -> bool:
        return self.end is None
