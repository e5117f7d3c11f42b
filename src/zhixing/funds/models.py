"""Case funds: custody accounts, case accounts (一案一账号), the append-only double-entry ledger,
receipts (incl. 不明款), payouts with approvals, statement imports and distribution plans.

Ledger sign convention: an entry's `amount` is signed, debit positive, credit negative; every
`Transaction`'s entries sum to zero. `LedgerAccount.balance` is the running sum of its entries (updated
in the posting transaction under a row lock), so a balance read is one row. Credit-normal accounts
(case money, payables, fees, unidentified receipts) show `-balance` as their natural balance.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court

from .portal_link import PortalToken as PortalToken  # re-exported: one link model of this app

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}
ZERO = Decimal("0.00")


class AppendOnlyError(RuntimeError):
    """Ledger rows are never edited or deleted; corrections are reversing entries."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("账簿记录只能追加，不能修改（请以冲正分录更正）")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("账簿记录只能追加，不能删除（请以冲正分录更正）")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("账簿记录只能追加，不能修改（请以冲正分录更正）")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("账簿记录只能追加，不能删除（请以冲正分录更正）")


class CustodyAccount(models.Model):
    """A court's custody bank account (执行款专户) under which every case account is a sub-account."""

    audit_protected = True

    court = models.OneToOneField(Court, on_delete=models.PROTECT, related_name="custody_account")
    bank_name = models.CharField("开户银行", max_length=64, help_text="执行款专户的开户银行")
    account_name = models.CharField("户名", max_length=128, help_text="专户户名，通常为法院全称")
    account_no = models.CharField("专户账号", max_length=32, unique=True, help_text="法院执行款专户账号")
    sub_prefix = models.CharField(
        "子账号前缀", max_length=8, unique=True, help_text="案件虚拟子账号的前缀（数字），由银行分配"
    )

    class Meta:
        verbose_name = "执行款专户"
        verbose_name_plural = "执行款专户"

    def __str__(self) -> str:
        return f"{self.account_name} {self.account_no}"


class CaseAccount(models.Model):
    """一案一账号: the virtual sub-account of one case; a transfer to it identifies the case by itself."""

    audit_protected = True

    case = models.OneToOneField(EnforcementCase, on_delete=models.PROTECT, related_name="funds_account")
    custody = models.ForeignKey(CustodyAccount, on_delete=models.PROTECT, related_name="case_accounts")
    number = models.CharField(
        "案款子账号", max_length=32, unique=True, help_text="前缀+案件号+ISO 7064校验位"
    )
    closed = models.BooleanField("已销户", default=False, help_text="销户后不再接收来款")
    created_at = models.DateTimeField("开立时间", auto_now_add=True)

    class Meta:
        verbose_name = "案款账户"
        verbose_name_plural = "案款账户"

    def __str__(self) -> str:
        return self.number


class AccountKind(models.TextChoices):
    BANK = "bank", "执行款专户（银行存款）"
    CASE = "case", "案款"
    PAYABLE = "payable", "应付申请执行人款"
    REFUND = "refund", "应退被执行人款"
    HELD = "held", "提存款"
    FEES = "fees", "执行费收入"
    COSTS = "costs", "实际支出费用"
    UNIDENTIFIED = "unidentified", "不明款"
    DEPOSITS = "deposits", "拍卖保证金"


DEBIT_NORMAL = {AccountKind.BANK}
NO_OVERDRAFT = {
    AccountKind.BANK,
    AccountKind.CASE,
    AccountKind.PAYABLE,
    AccountKind.REFUND,
    AccountKind.HELD,
    AccountKind.UNIDENTIFIED,
    AccountKind.DEPOSITS,
}


class LedgerAccount(models.Model):
    """One ledger account with its running balance (sum of its entries, debit positive)."""

    audit_protected = True

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("科目", max_length=16, choices=AccountKind.choices)
    case = models.ForeignKey(
        EnforcementCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    party_id = models.IntegerField("当事人", null=True, blank=True, help_text="应付款所属的申请执行人")
    key = models.CharField("账户键", max_length=64, unique=True, help_text="科目/法院/案件/当事人的唯一组合")
    balance = models.DecimalField("余额（借方为正）", **MONEY, default=ZERO)
    entry_count = models.PositiveIntegerField("分录数", default=0)

    class Meta:
        verbose_name = "账户"
        verbose_name_plural = "账户"
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return self.key

    @property
    def natural_balance(self) -> Decimal:
        return self.balance if self.kind in DEBIT_NORMAL else -self.balance


class Transaction(AppendOnlyModel):
    """One balanced journal posting; `idempotency_key` makes a retried posting a no-op."""

    audit_protected = True

    idempotency_key = models.CharField("幂等键", max_length=128, unique=True)
    kind = models.CharField("业务类型", max_length=24, help_text="receipt/claim/payout/fee/reversal…")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        EnforcementCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    memo = models.CharField("摘要", max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    posted_at = models.DateTimeField("记账时间", auto_now_add=True)
    actor_name = models.CharField("经办人", max_length=64, blank=True)

    class Meta:
        verbose_name = "记账凭证"
        verbose_name_plural = "记账凭证"

    def __str__(self) -> str:
        return f"凭证#{self.pk} {self.kind}"


class Entry(AppendOnlyModel):
    audit_protected = True

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField("金额（借正贷负）", **MONEY)
    balance_after = models.DecimalField("记账后余额", **MONEY)

    class Meta:
        verbose_name = "分录"
        verbose_name_plural = "分录"

    def __str__(self) -> str:
        return f"分录#{self.pk} {self.amount}"


class Receipt(models.Model):
    """A transfer into the custody account, from a bank notice, a statement line or a deduction."""

    audit_protected = True

    class Status(models.TextChoices):
        BOOKED = "booked", "已入案款"
        UNIDENTIFIED = "unidentified", "不明款待认领"
        CLAIMED = "claimed", "不明款已认领"
        RETURNING = "returning", "不明款退回中"
        RETURNED = "returned", "不明款已退回"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    bank_txn_id = models.CharField("银行流水号/幂等键", max_length=128, unique=True)
    source = models.CharField("来源", max_length=16, help_text="notice/statement/deduction/manual")
    amount = models.DecimalField("金额", **MONEY)
    payer_name = models.CharField("付款人", max_length=128, blank=True)
    payer_account = models.CharField("付款账号", max_length=64, blank=True)
    to_account = models.CharField("收款子账号", max_length=32, blank=True)
    memo = models.CharField("附言", max_length=200, blank=True)
    value_date = models.DateField("到账日期")
    case = models.ForeignKey(
        EnforcementCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "来款"
        verbose_name_plural = "来款"
        indexes = [models.Index(fields=["court", "status"]), models.Index(fields=["case", "value_date"])]

    def __str__(self) -> str:
        return f"来款 {self.bank_txn_id} {self.amount}"


class Payout(models.Model):
    """发款/退款: money leaving a case to an applicant (or back to the debtor), after approvals."""

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

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+")
    party_id = models.IntegerField("收款当事人", help_text="申请执行人或被执行人的当事人编号")
    purpose = models.CharField("类型", max_length=16, choices=Purpose.choices, default=Purpose.APPLICANT)
    amount = models.DecimalField("金额", **MONEY)
    account_name = models.CharField("收款户名", max_length=128)
    account_no = models.CharField("收款账号", max_length=64)
    bank_name = models.CharField("开户行", max_length=64, blank=True)
    name_mismatch = models.BooleanField("户名与当事人不一致", default=False, help_text="需增加一级审批")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PROPOSED)
    chain = models.JSONField("审批链", default=list, help_text="依次需要的岗位")
    step = models.PositiveSmallIntegerField("已完成审批级数", default=0)
    proposed_by = models.ForeignKey("courts.Staff", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    funds_arrived_on = models.DateField("款项到账日", null=True, blank=True)
    due_on = models.DateField("发款期限", null=True, blank=True)
    order_key = models.CharField("支付指令幂等键", max_length=64, unique=True)
    bank_payment_id = models.CharField("银行支付编号", max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
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
    )
    cancel_reason = models.CharField(
        "撤回/驳回理由", max_length=200, blank=True, help_text="撤回或驳回时填写"
    )

    class Meta:
        verbose_name = "发款"
        verbose_name_plural = "发款"
        indexes = [models.Index(fields=["court", "status"])]

    def __str__(self) -> str:
        return f"发款#{self.pk} {self.amount}"

    @property
    def unsent(self) -> bool:
        """Still in approval or approved but not sent: it may be rejected or withdrawn."""
        return self.status in (self.Status.PROPOSED, self.Status.APPROVED)


class PayoutApproval(models.Model):
    audit_protected = True

    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="approvals")
    step = models.PositiveSmallIntegerField("审批级")
    role = models.CharField("岗位", max_length=16)
    approver = models.ForeignKey("courts.Staff", on_delete=models.PROTECT, related_name="+")
    approve = models.BooleanField("同意")
    note = models.CharField("审批意见", max_length=200, blank=True, help_text="驳回时的理由")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["payout", "step"], name="funds_one_decision_per_step")]

    def __str__(self) -> str:
        return f"审批#{self.payout_id}-{self.step}"


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
