"""Petitions (信访): complaints about how a case is enforced, registered, routed and answered in time."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Petition(models.Model):
    """One petition about one case's enforcement; due within the configured working days (`portal.conf`)."""

    audit_protected = True

    class Source(models.TextChoices):
        PUBLIC = "public", "网上信访"
        COUNTER = "counter", "来访登记"

    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        ANSWERED = "answered", "已答复"

    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.PROTECT, related_name="+", verbose_name="案件"
    )
    reference = models.CharField("信访编号", max_length=20, unique=True, help_text="告知信访人的编号")
    source = models.CharField("来源", max_length=8, choices=Source.choices)
    petitioner_name = models.CharField("信访人", max_length=64)
    petitioner_phone = models.CharField("联系电话", max_length=32, help_text="仅办理人可见")
    content = models.TextField("信访事项", help_text="对本案执行工作的意见、投诉或请求")
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理人",
        help_text="承办法官；案件未分案时为执行局局长",
    )
    received_on = models.DateField("收到日期")
    due_on = models.DateField("答复期限", help_text="按工作日自动计算")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    answer = models.TextField("答复内容", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
        help_text="来访登记的工作人员；网上信访为空",
    )

    class Meta:
        verbose_name = "信访"
        verbose_name_plural = "信访"
        indexes = [models.Index(fields=["court", "due_on"], name="portal_petition_due")]

    def __str__(self) -> str:
        return f"信访 {self.reference}"
