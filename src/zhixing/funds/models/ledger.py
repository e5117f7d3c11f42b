"""Custody accounts, case accounts (一案一账号) and the double-entry ledger."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court

from .base import MONEY, ZERO, AppendOnlyModel


class CustodyAccount(models.Model):
    """A court's custody bank account (执行款专户) under which every case account is a sub-account."""

    audit_protected = True

    court = models.OneToOneField(
        Court, on_delete=models.PROTECT, related_name="custody_account", verbose_name="法院"
    )
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

    case = models.OneToOneField(
        EnforcementCase, on_delete=models.PROTECT, related_name="funds_account", verbose_name="案件"
    )
    custody = models.ForeignKey(
        CustodyAccount, on_delete=models.PROTECT, related_name="case_accounts", verbose_name="案款专户"
    )
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
    INTEREST = "interest", "执行款孳息（未分配至案件）"
    REWARD = "reward", "应付悬赏金"


DEBIT_NORMAL = {AccountKind.BANK}
NO_OVERDRAFT = {
    AccountKind.BANK,
    AccountKind.CASE,
    AccountKind.PAYABLE,
    AccountKind.REFUND,
    AccountKind.HELD,
    AccountKind.UNIDENTIFIED,
    AccountKind.DEPOSITS,
    AccountKind.REWARD,
}


class LedgerAccount(models.Model):
    """One ledger account with its running balance (sum of its entries, debit positive)."""

    audit_protected = True

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    kind = models.CharField("科目", max_length=16, choices=AccountKind.choices)
    case = models.ForeignKey(
        EnforcementCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="案件",
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
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(
        EnforcementCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="案件",
    )
    memo = models.CharField("摘要", max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name="冲正的交易",
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

    transaction = models.ForeignKey(
        Transaction, on_delete=models.PROTECT, related_name="entries", verbose_name="交易"
    )
    account = models.ForeignKey(
        LedgerAccount, on_delete=models.PROTECT, related_name="entries", verbose_name="账户"
    )
    amount = models.DecimalField("金额（借正贷负）", **MONEY)
    balance_after = models.DecimalField("记账后余额", **MONEY)

    class Meta:
        verbose_name = "分录"
        verbose_name_plural = "分录"

    def __str__(self) -> str:
        return f"分录#{self.pk} {self.amount}"
