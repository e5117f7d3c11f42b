"""The durable inbox of single bank notices (来款通知收件箱): acknowledged first, booked in batches.

A signed single notice is checked (signature, body, value date, court) and inserted here in one
statement; the bank gets its acknowledgment only after that row is committed, so an acknowledged
notice is never lost. The booker (`services.inbox.drain`) books received rows in batches through
`receipt_batches.book_incoming_batch` and marks them booked; the ledger's idempotency key
(`receipt:<txn id>`) keeps every notice booked once, whoever books it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhixing.courts.models import Court

from .base import MONEY


class BankNotice(models.Model):
    """One single bank notice as acknowledged to the bank, and how far its booking has got."""

    class Status(models.TextChoices):
        RECEIVED = "received", "已受理待入账"
        BOOKED = "booked", "已入案款"
        UNIDENTIFIED = "unidentified", "已入不明款"
        CONFLICT = "conflict", "流水号冲突未入账"

    txn_id = models.CharField(
        "银行流水号", max_length=128, unique=True, help_text="银行交易流水号，通知的幂等键"
    )
    court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # looked up by txn id only; an index would cost every INSERT
        help_text="收款专户所属法院（受理时确定）",
        verbose_name="法院",
    )
    custody_account_no = models.CharField(
        "专户账号", max_length=32, help_text="收款专户账号（通知所带或按子账号前缀确定）"
    )
    amount = models.DecimalField("金额", help_text="来款金额（元）", **MONEY)
    value_date = models.DateField("到账日期", help_text="银行记账的到账日期")
    to_account = models.CharField("收款子账号", max_length=32, blank=True, help_text="付款人填写的案件子账号")
    payer_name = models.CharField("付款人户名", max_length=128, blank=True, help_text="银行通知的付款人户名")
    payer_account = models.CharField("付款账号", max_length=64, blank=True, help_text="银行通知的付款账号")
    memo = models.CharField("附言", max_length=200, blank=True, help_text="付款附言")
    idempotency_key = models.CharField(
        "通知幂等键", max_length=128, help_text="银行签名消息的 Idempotency-Key"
    )
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.RECEIVED, help_text="受理→入账的进度"
    )
    error = models.CharField(
        "未入账原因", max_length=200, blank=True, default="", help_text="冲突等未能入账的原因"
    )
    received_at = models.DateTimeField(
        "受理时间", default=timezone.now, help_text="通知写入收件箱（向银行确认）的时间"
    )
    booked_at = models.DateTimeField("入账时间", null=True, blank=True, help_text="记入账簿的时间")

    class Meta:
        verbose_name = "来款通知"
        verbose_name_plural = "来款通知"
        indexes = [
            # The booker's queue: received rows in arrival order (a small partial index).
            # No other index: each one costs every INSERT and every status UPDATE at 1,000 notices/s.
            models.Index(fields=["id"], condition=Q(status="received"), name="funds_notice_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.txn_id} {self.amount} {self.get_status_display()}"
