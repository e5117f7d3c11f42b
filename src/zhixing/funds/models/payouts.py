"""Payouts (发款/退款) and their approvals."""

from __future__ import annotations

from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court

from .base import MONEY


class Payout(models.Model):
    """发款/退款/悬赏金/保证金退还: a payment order from the custody account, after approvals.

    Money leaves the custody account only through a payout: the approval chain (`chain`), finance's
    sending and the bank's answer (services.sending). `source` names the record a payout settles
    (``portal.RewardOffer:<id>`` for a reward, ``auction-release:<registration id>`` for a deposit
    refund): at most one payout per source is open or paid at a time (database constraint), so a retry
    or a parallel click never orders a second payment; a rejected, cancelled or failed one frees it.
    """

    audit_protected = True

    class Status(models.TextChoices):
        PROPOSED = "proposed", "审批中"
        APPROVED = "approved", "已审批待发送"
        SENDING = "sending", "已发送银行"
        PAID = "paid", "已支付"
        FAILED = "failed", "银行退回"
        REJECTED = "rejected", "已驳回"
        CANCELLED = "cancelled", "已撤回"

    class Purpose(models.TextChoices):
        APPLICANT = "applicant", "发还申请执行人"
        REFUND = "refund", "退还被执行人"
        REWARD = "reward", "悬赏金"
        DEPOSIT = "deposit", "退还拍卖保证金"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    party_id = models.IntegerField(
        "收款当事人",
        null=True,
        blank=True,
        help_text="申请执行人或被执行人的当事人编号；悬赏金、保证金退还的收款人不是当事人，为空",
    )
    purpose = models.CharField("类型", max_length=16, choices=Purpose.choices, default=Purpose.APPLICANT)
    amount = models.DecimalField("金额", **MONEY)
    account_name = models.CharField("收款户名", max_length=128)
    account_no = models.CharField("收款账号", max_length=64)
    bank_name = models.CharField("开户行", max_length=64, blank=True)
    name_mismatch = models.BooleanField("户名与当事人不一致", default=False, help_text="需增加一级审批")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PROPOSED)
    chain = models.JSONField("审批链", default=list, help_text="依次需要的岗位")
    step = models.PositiveSmallIntegerField("已完成审批级数", default=0)
    proposed_by = models.ForeignKey(
        "courts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="申请人",
        help_text="拍卖结束自动发起的保证金退还为空",
    )
    source = models.CharField(
        "来源", max_length=64, blank=True, default="", help_text="本笔支付了结的记录，如悬赏、竞买报名"
    )
    proposed_at = models.DateTimeField(auto_now_add=True, verbose_name="申请时间")
    funds_arrived_on = models.DateField("款项到账日", null=True, blank=True)
    due_on = models.DateField("发款期限", null=True, blank=True)
    order_key = models.CharField("支付指令幂等键", max_length=64, unique=True)
    bank_payment_id = models.CharField("银行支付编号", max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name="发送时间")
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name="到账时间")
    fail_reason = models.CharField("失败原因", max_length=200, blank=True)
    send_attempts = models.PositiveSmallIntegerField(
        "发送尝试次数", default=0, help_text="未能连接银行的发送尝试次数（自动重发有上限）"
    )
    last_error = models.CharField(
        "发送问题", max_length=200, blank=True, help_text="最近一次发送未获银行答复的原因，页面据此提示"
    )
    next_attempt_at = models.DateTimeField(
        "下次自动重发时间", null=True, blank=True, help_text="为空且已达上限时不再自动重发"
    )
    cancelled_by = models.ForeignKey(
        "courts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="撤回发款的工作人员",
        verbose_name="撤回人",
    )
    cancel_reason = models.CharField(
        "撤回/驳回理由", max_length=200, blank=True, help_text="撤回或驳回时填写"
    )

    class Meta:
        verbose_name = "发款"
        verbose_name_plural = "发款"
        indexes = [models.Index(fields=["court", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=~models.Q(source="")
                & models.Q(status__in=("proposed", "approved", "sending", "paid")),
                name="funds_payout_one_live_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"发款#{self.pk} {self.amount}"

    @property
    def unsent(self) -> bool:
        """Still in approval or approved but not sent: it may be rejected or withdrawn."""
        return self.status in (self.Status.PROPOSED, self.Status.APPROVED)


class PayoutApproval(models.Model):
    audit_protected = True

    payout = models.ForeignKey(
        Payout, on_delete=models.PROTECT, related_name="approvals", verbose_name="发款"
    )
    step = models.PositiveSmallIntegerField("审批级")
    role = models.CharField("岗位", max_length=16)
    approver = models.ForeignKey(
        "courts.Staff", on_delete=models.PROTECT, related_name="+", verbose_name="审批人"
    )
    approve = models.BooleanField("同意")
    note = models.CharField("审批意见", max_length=200, blank=True, help_text="驳回时的理由")
    at = models.DateTimeField(auto_now_add=True, verbose_name="审批时间")

    class Meta:
        verbose_name = "发款审批"
        verbose_name_plural = "发款审批"
        constraints = [models.UniqueConstraint(fields=["payout", "step"], name="funds_one_decision_per_step")]

    def __str__(self) -> str:
        return f"审批#{self.payout_id}-{self.step}"
