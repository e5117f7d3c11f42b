"""Running totals of the situation screens: figures kept by adding each event's delta, not recounted.

A derived figure, like the screens' cache: no business fact lives here (the payments are in
`cases.Payment`, audited where they are written), so a row may be rebuilt from the domain tables at any
time — `command.totals.reconcile` does, under the row's lock.
"""

from __future__ import annotations

from django.db import models

from zhixing.courts.models import Court


class SituationTotal(models.Model):
    """One running total of one court for one period (e.g. money performed this month)."""

    court = models.ForeignKey(
        Court,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="法院",
        help_text="数字所属法院（本院）",
    )
    period_start = models.DateField("统计期起日", help_text="统计期（本月）的第一天")
    key = models.CharField("指标", max_length=32, help_text="态势屏指标代码，如 received（本月执行到位）")
    value = models.DecimalField(
        "数值", max_digits=18, decimal_places=2, help_text="由各事件的增量累加，定期按业务数据重新核算"
    )
    reconciled_at = models.DateTimeField("最近核算时间", help_text="最近一次按业务数据重新核算的时间")

    class Meta:
        verbose_name = "态势累计数"
        verbose_name_plural = "态势累计数"
        constraints = [
            models.UniqueConstraint(
                fields=["court", "period_start", "key"], name="cmd_situation_total_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.court_id} {self.period_start} {self.key}={self.value}"
