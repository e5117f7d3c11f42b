"""The screening register (失信及限制消费主体库): what each subject is restricted from now, and its
append-only change log that partners read as a feed."""

from __future__ import annotations

from django.db import models


class RestrictedSubject(models.Model):
    """What one person or unit is currently restricted from, over all cases (the screening register)."""

    subject_key = models.CharField("身份号码", max_length=18, unique=True)
    mask = models.BigIntegerField("限制编码", default=0, help_text="各项限制的位掩码；0 表示不再受限")
    since = models.DateField("受限起始日", null=True, blank=True)

    class Meta:
        verbose_name = "受限主体"
        verbose_name_plural = "受限主体"

    def __str__(self) -> str:
        return f"受限主体#{self.pk}"


class ChangeEvent(models.Model):
    """Append-only change log of the screening register; partners read it as a cursor-based feed."""

    audit_protected = True

    subject_key = models.CharField("身份号码", max_length=18)
    old_mask = models.BigIntegerField("原限制编码")
    new_mask = models.BigIntegerField("新限制编码")
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "限制变更记录"
        verbose_name_plural = "限制变更记录"

    def __str__(self) -> str:
        return f"变更#{self.pk}"
