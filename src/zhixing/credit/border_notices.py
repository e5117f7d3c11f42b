"""The exit restriction's notice to the border-control authority (出入境边防检查), and its delivery row."""

from __future__ import annotations

from django.db import models


class BorderNotice(models.Model):
    """One message to a border-control partner: control (布控) or lift (撤控) one person's exit restriction.

    The row is the durable timer of its delivery (DESIGN invariant 6): QUEUED rows are sent by the
    periodic dispatcher when `due_at` has passed, under their own `idempotency_key` (a retry reuses it, the
    partner acts once), at most `max_attempts` times.
    """

    audit_protected = True

    class Action(models.TextChoices):
        CONTROL = "control", "布控（限制出境）"
        LIFT = "lift", "撤控（解除限制出境）"

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        DONE = "done", "边检已接收"
        REFUSED = "refused", "被拒收"
        FAILED = "failed", "发送失败"

    restriction = models.ForeignKey(
        "credit.Restriction", on_delete=models.PROTECT, related_name="border_notices", verbose_name="限制出境"
    )
    partner = models.ForeignKey(
        "credit.Partner", on_delete=models.PROTECT, related_name="+", verbose_name="边检单位"
    )
    action = models.CharField("事项", max_length=8, choices=Action.choices)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    due_at = models.DateTimeField("下次发送时间", null=True, blank=True)
    reason = models.CharField("原因", max_length=300, blank=True, help_text="拒收理由或发送失败的原因")
    partner_ref = models.CharField("边检编号", max_length=64, blank=True, help_text="边检回执中的布控编号")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    done_at = models.DateTimeField("接收时间", null=True, blank=True)

    class Meta:
        verbose_name = "边控通知"
        verbose_name_plural = "边控通知"
        indexes = [models.Index(fields=["status", "due_at"], name="border_outbound_due")]

    def __str__(self) -> str:
        return f"边控通知 {self.get_action_display()}"
