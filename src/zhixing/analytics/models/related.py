"""Relatives and associates the court records for a debtor."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.cases.models import Party


class RelatedPerson(models.Model):
    """A relative or associate the court has recorded for a debtor (declared relation)."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", "配偶"
        PARENT = "parent", "父母"
        CHILD = "child", "子女"
        SIBLING = "sibling", "兄弟姐妹"
        OTHER = "other", "其他关联人"

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    name = models.CharField("姓名/名称", max_length=128)
    relation = models.CharField("关系", max_length=16, choices=Relation.choices)
    account = models.CharField("账号", max_length=64, blank=True, help_text="已知的对方账号（可空）")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )

    class Meta:
        verbose_name = "关联人"
        verbose_name_plural = "关联人"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_relation_display()}）"
