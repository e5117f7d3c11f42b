"""An agreement of the parties on the order in which payments are applied (清偿顺序约定).

Re-exported by `zhixing.cases.models`. 迟延履行利息解释 Art 4: payments go to the money debt first and
to the doubled interest last "但当事人对清偿顺序另有约定的除外". The latest agreement recorded on a
case (written only by `cases.services.payment_order.record_payment_order`) replaces the legal order
for every payment of the case; an agreement with an empty order withdraws it (the legal order again).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PaymentOrderAgreement(models.Model):
    """The parties' agreed order of applying payments, as recorded by the court."""

    audit_protected = True

    case = models.ForeignKey(
        "cases.EnforcementCase",
        on_delete=models.CASCADE,
        related_name="payment_orders",
        verbose_name="案件",
    )
    order = models.CharField(
        "清偿顺序",
        max_length=64,
        blank=True,
        help_text="以逗号分隔的清偿项目顺序（costs、interest、principal、doubled 各一次）；"
        "空表示撤回约定、按法定顺序",
    )
    agreed_on = models.DateField("约定日期", help_text="当事人达成清偿顺序约定的日期")
    document_ref = models.CharField(
        "约定文书", max_length=128, help_text="执行和解协议、笔录等载明清偿顺序约定的文书编号"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "清偿顺序约定"
        verbose_name_plural = "清偿顺序约定"
        ordering = ["case", "-id"]

    def __str__(self) -> str:
        return f"{self.agreed_on} {self.order or '法定顺序'}"
