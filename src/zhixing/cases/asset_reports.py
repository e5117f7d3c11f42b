"""The debtor's asset report (财产报告) in answer to the 报告财产令 (CPL-2023 Art 252; 财产调查规定 Arts 3–6).

Re-exported by `zhixing.cases.models`; written only by `cases.services.asset_reports`. The order is issued
with the enforcement notice in a money case (`EnforcementNotice.asset_report_order`); when the notice is
served, the reporting period it fixes starts (configuration ``ZHIXING_CASES["asset_report_days"]``,
counted from the deemed day of service) and the case gets the node "财产报告" due on its last day. Each
debtor's report is one record: the day the court received it, the period it covers (its current situation
and the changes from one year before the day the debtor received the order — 财产调查规定 Art 6 — to the
report) and a short summary of the content; a report received after the period's last day is flagged late.
The consequences of a late, refused or false report (fines, detention) belong to coercive measures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AssetReport(models.Model):
    """One debtor's written asset report received by the court."""

    audit_protected = True

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.CASCADE, related_name="asset_reports", verbose_name="案件"
    )
    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    debtor = models.ForeignKey(
        "cases.Party",
        on_delete=models.PROTECT,
        related_name="asset_reports",
        verbose_name="被执行人",
        help_text="提交财产报告的被执行人（本案当事人）",
    )
    received_on = models.DateField("收到日期", help_text="法院收到书面财产报告之日")
    period_from = models.DateField(
        "报告期间起", help_text="收到报告财产令之日前一年的当日（财产调查规定第6条：变动情况自此日起报告）"
    )
    period_to = models.DateField("报告期间止", help_text="提交财产报告之日（报告当前的财产情况）")
    due_on = models.DateField("报告期限届满日", help_text="报告财产令指定的报告期间最后一日")
    late = models.BooleanField("逾期报告", default=False, help_text="收到日期晚于报告期限届满日")
    summary = models.CharField(
        "内容摘要", max_length=500, help_text="报告内容的简要摘要（财产种类、数额、变动）"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "财产报告"
        verbose_name_plural = "财产报告"
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.debtor_id}@{self.received_on}"
