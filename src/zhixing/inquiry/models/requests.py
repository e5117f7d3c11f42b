"""Requests to partners: the batch a click files, each request (a durable timer), the deduction
receivables they raise and the partners' callbacks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.models import Court

from .assets import Asset
from .partners import Partner
from .vocabulary import MONEY, Action


class InquiryBatch(models.Model):
    """One click: an inquiry for one case (一键查控) or many cases (集中查控)."""

    audit_protected = True

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="发起法院")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
        help_text="为空表示系统自动发起（如终本案件定期查询）",
    )
    centralised = models.BooleanField("集中查控", default=False)
    categories = models.JSONField("查询类别", default=list)
    case_count = models.PositiveIntegerField("案件数", default=0)
    request_count = models.PositiveIntegerField("请求数", default=0)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    class Meta:
        verbose_name = "查控批次"
        verbose_name_plural = "查控批次"

    def __str__(self) -> str:
        return f"查控批次#{self.pk}"


class InquiryRequest(models.Model):
    """One message to one partner for one debtor: query or a control action. A durable timer."""

    audit_protected = True

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "待审批"
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        WAITING = "waiting", "等待反馈"
        DONE = "done", "已反馈"
        FAILED = "failed", "失败"
        REJECTED = "rejected", "审批未通过"
        CANCELLED = "cancelled", "已撤回"

    batch = models.ForeignKey(
        InquiryBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="查控批次",
    )
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name="联动单位")
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="财产"
    )
    amount = models.DecimalField(
        "金额", **MONEY, null=True, blank=True, help_text="冻结/扣划/解除的金额（元）"
    )
    reason = models.CharField("理由", max_length=200, blank=True)
    target_ref = models.CharField(
        "定向查询标识",
        max_length=64,
        blank=True,
        default="",
        db_default="",
        help_text="按线索定向查询时的财产标识（如车牌号）；为空表示按被执行人身份号码查询",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="原请求"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(
        "幂等键", max_length=64, unique=True, help_text="重试沿用同一键，对方只执行一次"
    )
    notice_number = models.CharField("协助执行通知书文号", max_length=96)
    approvals = models.JSONField("审批记录", default=list, help_text="[{role, by, name, at}]")
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    due_at = models.DateTimeField("下次处理时间", null=True, blank=True, help_text="到期后由定时任务批量领取")
    lease_until = models.DateTimeField("领取租约", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    outcome = models.JSONField("反馈结果", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提起人",
        help_text="为空表示系统自动发起（如结案后解除控制）",
    )
    created_at = models.DateTimeField("提起时间", auto_now_add=True)
    completed_at = models.DateTimeField("反馈时间", null=True, blank=True)

    class Meta:
        verbose_name = "查控请求"
        verbose_name_plural = "查控请求"
        indexes = [
            models.Index(
                fields=["due_at"], name="inqreq_due", condition=Q(status__in=["pending", "waiting"])
            ),
            models.Index(fields=["lease_until"], name="inqreq_lease", condition=Q(status="sending")),
            models.Index(fields=["case", "-id"], name="inqreq_case"),
            models.Index(fields=["court", "status"], name="inqreq_court_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}#{self.pk}"


class DeductionReceivable(models.Model):
    """Money a confirmed deduction sends to the case account: expected, booked by the funds module."""

    audit_protected = True

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    request = models.OneToOneField(
        InquiryRequest, on_delete=models.PROTECT, related_name="+", verbose_name="查控请求"
    )
    amount = models.DecimalField("应到账金额", **MONEY)
    payer_bank = models.CharField("扣划机构", max_length=64)
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True, help_text="案款入账时据此去重")
    booked = models.BooleanField("已入账", default=False, help_text="由案款模块入账后置为是")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "扣划应收款"
        verbose_name_plural = "扣划应收款"

    def __str__(self) -> str:
        return f"扣划应收 {self.amount}元"


class CallbackLog(models.Model):
    """Every callback received from a partner, accepted or rejected (for the 查控日志 and forensics)."""

    audit_protected = True

    received_at = models.DateTimeField("接收时间", auto_now_add=True)
    partner_code = models.CharField("声称的机构", max_length=32, blank=True)
    idempotency_key = models.CharField("幂等键", max_length=64, blank=True)
    accepted = models.BooleanField("已接受")
    status = models.PositiveSmallIntegerField("应答码")
    reason = models.CharField("原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "回调记录"
        verbose_name_plural = "回调记录"

    def __str__(self) -> str:
        return f"{self.partner_code} {self.status}"
