"""Rule sets, batch runs and the stored ability-to-pay profiles."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.cases.models import Party
from zhixing.core import progress
from zhixing.core.progress import Progress
from zhixing.courts.models import Court


class RuleSet(models.Model):
    """A versioned set of rules, weights and keyword lists; each profile records the version used."""

    audit_protected = True

    version = models.PositiveIntegerField("版本号", unique=True)
    name = models.CharField("名称", max_length=64)
    config = models.JSONField("规则配置", help_text="权重、关键词、阈值，见 docs/analytics.md")
    active = models.BooleanField("启用", default=False, help_text="新画像使用启用的最高版本")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "分析规则版本"
        verbose_name_plural = "分析规则版本"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class BatchRun(models.Model):
    """Analysis of every debtor with imported data in a court's active and dormant cases."""

    audit_protected = True

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "分析中"
        DONE = "done", "已完成"
        FAILED = "failed", "出错"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("被执行人数", default=0)
    processed = models.PositiveIntegerField("已分析", default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="发起人"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "批量分析"
        verbose_name_plural = "批量分析"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"批量分析#{self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def progress(self) -> Progress:
        """Debtors analysed of debtors to analyse; stopped once the run is done or failed."""
        ended = self.status not in (self.Status.PENDING, self.Status.RUNNING)
        return progress.of(self.processed, self.total, "已分析", finished=ended)


class Profile(models.Model):
    """An explained debtor profile (精准画像): score, findings with evidence, recommendations."""

    audit_protected = True

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, verbose_name="规则版本")
    batch = models.ForeignKey(BatchRun, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="批量")
    period_start = models.DateField("分析起始日")
    period_end = models.DateField("分析终止日")
    score = models.PositiveSmallIntegerField("履行能力评分", help_text="0–100，越高越可能有能力履行")
    indicators = models.JSONField("指标", default=dict)
    findings = models.JSONField("命中规则", default=list, help_text="[{rule, label, weight, evidence}]")
    recommendations = models.JSONField("处置建议", default=list)
    key_dates = models.JSONField("案件关键日期", default=dict)
    computed_at = models.DateTimeField("生成时间", auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="生成人"
    )

    class Meta:
        verbose_name = "被执行人画像"
        verbose_name_plural = "被执行人画像"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"画像#{self.pk}（{self.score}分）"
