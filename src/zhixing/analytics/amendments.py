"""A user's correction of one imported statement line (更正), kept beside the line it corrects.

The imported `Transaction` is never changed: it is what the statement says (and what duplicate
detection compares). A `TransactionCorrection` holds the values the user set instead; the rows page
shows both, and the debtor's Parquet snapshot (what every indicator reads) uses the corrected values
(`services.snapshots`). Each change is audited with the values before and after.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TransactionCorrection(models.Model):
    """The corrected values of one statement line (one row per line; the audit trail keeps history)."""

    audit_protected = True

    transaction = models.OneToOneField(
        "analytics.Transaction",
        on_delete=models.CASCADE,
        related_name="correction",
        verbose_name="流水",
    )
    direction = models.CharField(
        "更正后收支", max_length=8, help_text="in 收入、out 支出、neutral 不计收支；指标按此计算"
    )
    amount = models.DecimalField(
        "更正后金额（元）", max_digits=16, decimal_places=2, help_text="收入为正、支出为负；指标按此计算"
    )
    counterparty = models.CharField("更正后交易对方", max_length=200, blank=True)
    category = models.CharField("更正后分类", max_length=64, blank=True)
    excluded = models.BooleanField(
        "不计入指标", default=False, help_text="勾选后该行保留在流水中，但不计入任何指标"
    )
    reason = models.CharField("更正理由", max_length=300, help_text="为何更正，如“银行把还款记为收入”")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="更正人"
    )
    corrected_at = models.DateTimeField("更正时间", auto_now=True)

    class Meta:
        verbose_name = "流水更正"
        verbose_name_plural = "流水更正"

    def __str__(self) -> str:
        return f"更正 #{self.transaction_id}"
