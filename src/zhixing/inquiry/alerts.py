"""Control alerts (控制措施到期预警): a control entering the warning window, lapsing, or taking effect.

Kept apart from the register models in `models.py`, which re-exports it. One durable row per asset,
level and expiry date (the unique key makes a repeated or concurrent sweep raise nothing twice); a
renewal moves the expiry, so the renewed control warns again before its new last day. Shown to the
case's handler and to the bureau directors (supervision) of its court and the courts above.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court


class ControlAlert(models.Model):
    audit_protected = True

    class Level(models.TextChoices):
        WARN = "warn", "即将到期"
        LAPSED = "lapsed", "已到期失效"
        EFFECTIVE = "effective", "轮候转为正式查封"

    asset = models.ForeignKey(
        "inquiry.Asset", on_delete=models.CASCADE, related_name="+", verbose_name="财产"
    )
    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="+", verbose_name="案件")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办人",
        help_text="预警时案件的承办人（局长按法院范围查看）",
    )
    level = models.CharField("预警类型", max_length=16, choices=Level.choices)
    expires_on = models.DateField(
        "控制到期日", help_text="预警所针对的控制到期日；续行后新的到期日会再次预警"
    )
    raised_at = models.DateTimeField("预警时间")

    class Meta:
        verbose_name = "控制措施预警"
        verbose_name_plural = "控制措施预警"
        constraints = [
            models.UniqueConstraint(fields=["asset", "level", "expires_on"], name="control_alert_once"),
        ]
        indexes = [
            models.Index(fields=["court", "-raised_at"], name="control_alert_court"),
            models.Index(fields=["handler", "-raised_at"], name="control_alert_handler"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} 财产#{self.asset_id} {self.expires_on}"
