"""Privacy-mode keyed-hash tables (隐私模式比对表) of screening partners.

Re-exported by `zhixing.credit.models`. A partner in privacy mode sends HMAC-SHA256(key, ID) and never
receives IDs in clear; these tables map its hashes back to the register (`services/privacy.py`).
"""

from __future__ import annotations

from django.db import models


class PrivacyTable(models.Model):
    """A privacy-mode partner's keyed-hash table (隐私模式比对表): its state and how far it follows the log.

    Built in the background (Huey) when privacy mode is switched on or the shared key rotates; kept up
    to date from the register's change log. Screening answers 503 "准备中" while it is not ready.
    """

    audit_secret_fields = ("key_digest",)

    class Status(models.TextChoices):
        BUILDING = "building", "准备中"
        READY = "ready", "可用"

    partner = models.OneToOneField(
        "credit.Partner", on_delete=models.CASCADE, related_name="privacy_table", verbose_name="单位"
    )
    key_digest = models.CharField(
        "密钥摘要", max_length=64, help_text="生成本表所用共享密钥的SHA-256摘要；密钥轮换后需重建"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.BUILDING)
    cursor = models.BigIntegerField(
        "已同步至变更记录", default=0, help_text="已并入本表的最后一条限制变更记录编号"
    )
    rows = models.PositiveIntegerField("条目数", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "隐私模式比对表"
        verbose_name_plural = "隐私模式比对表"

    def __str__(self) -> str:
        return f"隐私模式比对表#{self.pk}"


class KeyedHash(models.Model):
    """One row of a partner's keyed-hash table: the first 8 bytes of HMAC-SHA256(key, ID) → the ID."""

    audit_secret_fields = ("digest",)

    partner = models.ForeignKey(
        "credit.Partner", on_delete=models.CASCADE, related_name="+", verbose_name="单位"
    )
    digest = models.BigIntegerField(
        "哈希前缀", help_text="HMAC-SHA256 前8字节（有符号64位整数），命中后再核对全值"
    )
    subject_key = models.CharField("身份号码", max_length=18)

    class Meta:
        verbose_name = "隐私模式哈希"
        verbose_name_plural = "隐私模式哈希"
        indexes = [models.Index(fields=["partner", "digest"], name="credit_keyed_partner_digest")]

    def __str__(self) -> str:
        return f"隐私模式哈希#{self.pk}"
