"""督办 (supervision order): a leader orders the handling judge to act on a case or one of its nodes by
a deadline, and the judge replies.

Re-exported by `zhixing.cases.models`. Rows are written only by `zhixing.cases.services.supervision`
(issue, reply), each with its audit record. An order is overdue while it is unanswered after its
deadline; that is computed on reading, never stored.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhixing.courts.models import Court


class SupervisionOrder(models.Model):
    """One 督办 from a president or bureau director (of the case's court or a court above it)."""

    audit_protected = True

    class Status(models.TextChoices):
        OPEN = "open", "待回复"
        REPLIED = "replied", "已回复"

    case = models.ForeignKey(
        "cases.EnforcementCase",
        on_delete=models.CASCADE,
        related_name="supervision_orders",
        verbose_name="案件",
        help_text="被督办的案件",
    )
    node = models.ForeignKey(
        "cases.Node",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="supervision_orders",
        verbose_name="流程节点",
        help_text="督办针对的流程节点；为空表示督办整个案件",
    )
    # A copy of the case's court so the scoped lists need no join.
    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院", help_text="案件的执行法院"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="督办人",
        help_text="发出督办的院长或执行局局长",
    )
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="被督办人",
        help_text="收到督办、应当回复的承办法官",
    )
    text = models.CharField("督办事项", max_length=500, help_text="督办的具体要求")
    due_on = models.DateField("回复期限", help_text="被督办人应当在此日（含）之前回复")
    issued_at = models.DateTimeField("督办时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.OPEN, help_text="待回复或已回复"
    )
    reply = models.CharField("回复内容", max_length=1000, blank=True, default="", help_text="被督办人的回复")
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["addressee", "status", "due_on"], name="suporder_addressee"),
            models.Index(fields=["court", "status", "due_on"], name="suporder_court"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(replied_at__isnull=False), name="suporder_replied_has_time"
            )
        ]

    def __str__(self) -> str:
        return f"督办 {self.case_id} {self.due_on}"

    def is_overdue(self, today: date) -> bool:
        """Unanswered after its deadline (the deadline day itself is still in time)."""
        return self.status == self.Status.OPEN and self.due_on < today
