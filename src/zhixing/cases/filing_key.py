"""The row a filing locks on its natural key (court + 执行依据文号 + 被执行人), for the duplicate check."""

from __future__ import annotations

from django.db import models

from zhixing.courts.models import Court


class FilingKey(models.Model):
    """One row per court, normalised basis number and debtor identity: the lock of the duplicate check.

    Every filing takes the rows of its keys (one per debtor) before it looks for open cases enforcing
    the same basis against the same debtor, and holds them until it commits. A second submission of the
    same application — another clerk, a retry, a double click — queues on the row (PostgreSQL row lock;
    SQLite serialises writers itself), then sees the first one's case and is asked to confirm. The row
    says nothing about cases: whether an open duplicate exists is always read from the cases.
    """

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="执行法院")
    key = models.CharField(
        "查重键",
        max_length=64,
        help_text="规范化的执行依据文号与被执行人身份号码（身份证号或统一社会信用代码）的SHA-256摘要",
    )

    class Meta:
        verbose_name = "立案查重键"
        verbose_name_plural = "立案查重键"
        constraints = [models.UniqueConstraint(fields=["court", "key"], name="filing_key_unique_court_key")]

    def __str__(self) -> str:
        return f"{self.court_id}:{self.key[:12]}"
