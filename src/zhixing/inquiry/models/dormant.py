"""The automatic re-inquiry rounds of dormant (终本) cases."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court

from .requests import InquiryBatch


class DormantRound(models.Model):
    """One automatic re-inquiry of a dormant (终本) case and the lead it raises (终本规定 Art 9(2)).

    Filed by the daily task for a case whose last inquiry round is older than the period; at most one
    per case and day (the unique constraint makes a repeated or concurrent run file nothing twice).
    Once every request of its batch is answered, `outcome` says whether property was found: a found
    round is the judge's lead to resume execution (恢复执行).
    """

    audit_protected = True

    class Outcome(models.TextChoices):
        PENDING = "pending", "查询中"
        EMPTY = "empty", "未发现财产"
        FOUND = "found", "发现财产，待审查恢复执行"
        FAILED = "failed", "查询失败"

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    batch = models.OneToOneField(
        InquiryBatch, on_delete=models.PROTECT, related_name="+", verbose_name="查控批次"
    )
    run_on = models.DateField("查询日期", help_text="系统自动发起定期查询的日期")
    last_round_on = models.DateField(
        "上次查询日期", null=True, blank=True, help_text="本次查询前最近一轮网络查询的日期；为空表示从未查询"
    )
    requests = models.PositiveIntegerField("请求数", default=0)
    found = models.PositiveIntegerField("查得财产数", default=0, help_text="本轮查得的财产项数（不含信息类）")
    outcome = models.CharField("查询结果", max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    settled_at = models.DateTimeField("结果确定时间", null=True, blank=True)

    class Meta:
        verbose_name = "终本案件定期查询"
        verbose_name_plural = "终本案件定期查询"
        constraints = [
            models.UniqueConstraint(fields=["case", "run_on"], name="dormant_round_once_a_day"),
        ]
        indexes = [
            models.Index(fields=["court", "run_on"], name="dormant_round_court_day"),
            models.Index(fields=["outcome"], name="dormant_round_pending", condition=Q(outcome="pending")),
        ]

    def __str__(self) -> str:
        return f"终本定期查询 {self.run_on}"
