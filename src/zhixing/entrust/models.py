"""Entrustments between courts (委托执行 / 执行事项委托)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .rules import MATTER_LABELS


class Entrustment(models.Model):
    """One letter of entrustment from a delegating court to a delegate court: a whole case, or one matter."""

    audit_protected = True

    class Kind(models.TextChoices):
        CASE = "case", "整案委托执行"
        MATTER = "matter", "执行事项委托"

    class Status(models.TextChoices):
        SENT = "sent", "已发出，待受托法院办理"
        STARTED = "started", "受托法院已开始办理"
        FILED = "filed", "受托法院已立案"
        DONE = "done", "已办结"
        CLOSED = "closed", "委托法院已销案"

    kind = models.CharField("委托类型", max_length=8, choices=Kind.choices)
    matter = models.CharField(
        "委托事项",
        max_length=16,
        blank=True,
        choices=[(k.value, v) for k, v in MATTER_LABELS.items()],
        help_text="事项委托：查询、冻结、查封扣押、调查、送达；整案委托为空",
    )
    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.PROTECT, related_name="+", verbose_name="委托法院案件"
    )
    case_number = models.CharField("委托法院案号", max_length=64, help_text="发出时的案号，受托法院据此识别")
    from_court = models.ForeignKey(
        "courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="委托法院"
    )
    to_court = models.ForeignKey(
        "courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="受托法院"
    )
    debtor = models.CharField("被执行人", max_length=200, help_text="被执行人名称（发出时）")
    request = models.CharField(
        "委托内容", max_length=1000, help_text="需要受托法院办理的具体事项，如账号、财产坐落"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SENT)
    sent_on = models.DateField("委托日期", help_text="经指挥中心平台发出之日，即受托法院收到委托函之日")
    start_by = models.DateField(
        "开始办理期限", help_text="收到委托函之日起十五日内开始办理（民事诉讼法第240条）"
    )
    report_by = models.DateField("函复期限", help_text="三十日内办完函复；未办完的函告办理情况")
    started_on = models.DateField("开始办理日", null=True, blank=True)
    progress_on = models.DateField(
        "函告进展日", null=True, blank=True, help_text="三十日内未办完时函告办理情况之日"
    )
    progress = models.CharField("办理情况", max_length=1000, blank=True)
    done_on = models.DateField("办结日", null=True, blank=True)
    result = models.CharField("办理结果", max_length=1000, blank=True)
    delegate_number = models.CharField(
        "受托法院案号", max_length=64, blank=True, help_text="整案委托：受托法院立案的案号"
    )
    filed_on = models.DateField("受托法院立案日", null=True, blank=True)
    renewed_assets = models.JSONField(
        "委托前续行的控制", default=list, blank=True, help_text="剩余期限不足一个月、委托前先行续行的财产编号"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发出人"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="受托办理人",
    )

    class Meta:
        verbose_name = "委托"
        verbose_name_plural = "委托"
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["to_court", "status"], name="entrust_inbox"),
            models.Index(fields=["from_court", "status"], name="entrust_outbox"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number} → {self.to_court_id}"

    @property
    def what(self) -> str:
        return self.get_matter_display() if self.kind == self.Kind.MATTER else "整案委托执行"
