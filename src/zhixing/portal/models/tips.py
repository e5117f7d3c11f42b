"""Tip-offs (举报) about a debtor's whereabouts or assets, their photos, and rewards (悬赏)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class Tip(models.Model):
    """One tip-off: what a member of the public reported about a case's debtor, and what the handler did.

    The reporter's name and phone reach the handler only (never a public page). A new tip carries a
    deadline to act (`due_on`, configurable days: `portal.conf`).
    """

    audit_protected = True

    class Kind(models.TextChoices):
        WHEREABOUTS = "whereabouts", "下落线索"
        ASSETS = "assets", "财产线索"

    class Status(models.TextChoices):
        NEW = "new", "待处理"
        ACTED = "acted", "已核查"
        CLOSED = "closed", "已办结"

    class Outcome(models.TextChoices):
        NONE = "", "—"
        RECOVERED = "recovered", "据此执行到位"
        USEFUL = "useful", "有价值但未执行到位"
        USELESS = "useless", "经核查不属实或无价值"

    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.PROTECT, related_name="+", verbose_name="案件"
    )
    reference = models.CharField(
        "受理编号", max_length=20, unique=True, help_text="告知举报人的受理编号，凭此领取悬赏"
    )
    kind = models.CharField("线索类型", max_length=16, choices=Kind.choices)
    content = models.TextField("线索内容", help_text="举报人描述的下落或财产情况")
    reporter_name = models.CharField("举报人", max_length=64, help_text="仅承办人可见")
    reporter_phone = models.CharField(
        "举报人电话", max_length=32, help_text="仅承办人可见，用于核实与发放悬赏"
    )
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.NEW, db_index=True)
    received_at = models.DateTimeField("收到时间")
    due_on = models.DateField("处理期限", help_text="承办人须在此日前核查线索")
    acted_at = models.DateTimeField("核查时间", null=True, blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核查人",
    )
    action_note = models.CharField("核查情况", max_length=500, blank=True, help_text="承办人采取的措施")
    outcome = models.CharField("办结结果", max_length=12, choices=Outcome.choices, blank=True, default="")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "举报线索"
        verbose_name_plural = "举报线索"
        indexes = [models.Index(fields=["court", "status", "due_on"], name="portal_tip_due")]

    def __str__(self) -> str:
        return f"举报线索 {self.reference}"


class TipPhoto(models.Model):
    """A photo attached to a tip (JPEG or PNG, checked by its bytes, not its name)."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="photos", verbose_name="举报线索")
    content_type = models.CharField("文件类型", max_length=16, help_text="image/jpeg 或 image/png")
    content = models.BinaryField("照片")
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("文件摘要", max_length=64)

    class Meta:
        verbose_name = "线索照片"
        verbose_name_plural = "线索照片"

    def __str__(self) -> str:
        return f"照片 {self.pk}"


class RewardOffer(models.Model):
    """悬赏: the applicant's offer of a reward for a tip that leads to recovery, published on the portal.

    Paid once, from the case account, to the tipster whose tip led to recovery: paying proposes a payout
    of purpose 悬赏金 (`zhixing.funds.services.rewards.propose_reward`) that goes through the payouts'
    approval chain and finance's payment order; the offer is `paying` meanwhile and becomes `paid` only
    when the bank paid it (`zhixing.portal.rewards.apply_payout_outcome`), or `offered` again when the
    payout is rejected, withdrawn or returned by the bank.
    """

    audit_protected = True

    class Status(models.TextChoices):
        OFFERED = "offered", "悬赏中"
        PAYING = "paying", "发放审批中"
        PAID = "paid", "已发放"
        WITHDRAWN = "withdrawn", "已撤回"

    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.PROTECT, related_name="+", verbose_name="案件"
    )
    amount = models.DecimalField("悬赏金额", **MONEY, help_text="申请执行人承诺的悬赏金（元）")
    terms = models.CharField(
        "悬赏条件", max_length=300, help_text="向社会公布的悬赏内容，如提供可供执行的财产线索并执行到位"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.OFFERED, db_index=True
    )
    offered_on = models.DateField("发布日期")
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    paid_tip = models.ForeignKey(
        Tip, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="获奖线索"
    )
    paid_at = models.DateTimeField("发放时间", null=True, blank=True)
    ledger_key = models.CharField("记账幂等键", max_length=64, blank=True, help_text="发放悬赏的记账凭证键")
    payout_id = models.IntegerField(
        "悬赏金发款", null=True, blank=True, help_text="发放审批中或已发放的悬赏金发款编号（案款发款）"
    )

    class Meta:
        verbose_name = "悬赏"
        verbose_name_plural = "悬赏"

    def __str__(self) -> str:
        return f"悬赏 {self.amount}元"
