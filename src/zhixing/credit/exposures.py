"""The exposure notice (曝光推送): one media partner's notice of one listing, and its delivery row."""

from __future__ import annotations

from django.db import models


class ExposureNotice(models.Model):
    """A geo-targeted exposure (曝光) notice to a media partner, and its own outbound message row.

    The row is the durable timer of its delivery (DESIGN invariant 6): QUEUED and WITHDRAWING rows are
    sent by the periodic dispatcher when `due_at` has passed, claimed with a lease (`lease_until`), each
    logical message under its own `idempotency_key` (a retry reuses it; the partner acts once).
    """

    audit_protected = True

    class Status(models.TextChoices):
        QUEUED = "queued", "待推送"
        SENT = "sent", "已推送"
        REFUSED = "refused", "被拒收"
        FAILED = "failed", "推送失败"
        WITHDRAWING = "withdrawing", "撤回中"
        WITHDRAWN = "withdrawn", "已撤回"
        WITHDRAW_FAILED = "withdraw_failed", "撤回失败"

    listing = models.ForeignKey(
        "credit.Listing", on_delete=models.PROTECT, related_name="exposures", verbose_name="失信记录"
    )
    partner = models.ForeignKey(
        "credit.Partner", on_delete=models.PROTECT, related_name="+", verbose_name="媒体"
    )
    area_code = models.CharField("户籍地代码", max_length=6, help_text="身份证号前六位（县级行政区划）")
    area_name = models.CharField("户籍地", max_length=64, blank=True)
    address = models.CharField("户籍地址", max_length=200, blank=True)
    status = models.CharField(
        "推送状态", max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    idempotency_key = models.CharField(
        "幂等键", max_length=64, unique=True, help_text="当前待发消息（推送或撤回）的幂等键；重试沿用"
    )
    attempts = models.PositiveSmallIntegerField("发送次数", default=0, help_text="当前消息已发送的次数")
    due_at = models.DateTimeField(
        "下次发送时间", null=True, blank=True, help_text="待推送、撤回中的消息何时发送"
    )
    lease_until = models.DateTimeField(
        "发送租约到期", null=True, blank=True, help_text="发送中的消息由某个工作进程持有至此时"
    )
    reason = models.CharField(
        "原因", max_length=300, blank=True, help_text="媒体拒收的理由、发送失败的原因或待重试的说明"
    )
    partner_ref = models.CharField("媒体编号", max_length=64, blank=True, help_text="媒体回执中的曝光编号")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("推送时间", null=True, blank=True, help_text="媒体确认接收之时")
    withdraw_reason = models.CharField("撤回原因", max_length=200, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    impressions = models.PositiveIntegerField("曝光次数", default=0)
    reported_at = models.DateTimeField("最近回报时间", null=True, blank=True)

    class Meta:
        verbose_name = "曝光推送"
        verbose_name_plural = "曝光推送"
        indexes = [models.Index(fields=["status", "due_at"], name="exposure_outbound_due")]

    def __str__(self) -> str:
        return f"曝光推送 {self.area_name or self.area_code}"
