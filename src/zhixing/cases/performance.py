"""Money performed on a case (执行到位): the dated amounts that reduce the debt.

Re-exported by `zhixing.cases.models`. Rows are written only by
`zhixing.cases.services.record_payment`, which keeps `EnforcementCase.paid_amount` equal to their sum.
The dates matter: delay interest (迟延履行利息解释 Art 3–4) stops running on the part paid from the day
the money reached the court.
"""

from __future__ import annotations

from django.db import models


class Payment(models.Model):
    """One amount performed by the debtor on a case, or the reversal of one (a negative amount)."""

    audit_protected = True

    class Source(models.TextChoices):
        RECEIPT = "receipt", "案款到账"
        DEDUCTION = "deduction", "网络查控扣划"
        CLAIM = "claim", "不明款认领"
        DIRECT = "direct", "当事人直接履行"
        REVERSAL = "reversal", "冲正"

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.CASCADE, related_name="payments", verbose_name="案件"
    )
    amount = models.DecimalField(
        "金额",
        max_digits=15,
        decimal_places=2,
        help_text="执行到位金额（元）；冲正记录为负数，原记录保留不改",
    )
    paid_on = models.DateField(
        "到位日期", help_text="款项到达法院案款账户（或扣划成功）的日期，迟延履行利息计至此日"
    )
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    reference = models.CharField(
        "来源编号",
        max_length=96,
        unique=True,
        help_text="来源系统中的唯一编号（如银行流水号、案款分录号）；同一编号只记一次",
    )
    note = models.CharField("说明", max_length=200, blank=True, default="")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "执行到位记录"
        verbose_name_plural = "执行到位记录"
        indexes = [models.Index(fields=["case", "paid_on"], name="payment_case_date")]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"
