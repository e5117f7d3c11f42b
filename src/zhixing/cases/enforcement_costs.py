"""Enforcement costs recorded on a case and borne by the debtor (执行中实际支出的费用), e.g. the cost of
publishing the debtor's non-performance in the media (执行程序解释 Art 26; 限制消费规定 Art 7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .cost_rules import ADVANCERS, COST_KINDS


class EnforcementCost(models.Model):
    """One cost the debtor bears, owed with the enforcement costs (first in the payment order)."""

    audit_protected = True

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.CASCADE, related_name="costs", verbose_name="案件"
    )
    kind = models.CharField("费用种类", max_length=24, choices=[(k, v[0]) for k, v in COST_KINDS.items()])
    article = models.CharField("依据", max_length=100, help_text="被执行人负担该费用的条文")
    amount = models.DecimalField("金额", max_digits=15, decimal_places=2, help_text="实际支出的金额（元）")
    incurred_on = models.DateField("支出日期")
    applicant_requested = models.BooleanField(
        "依申请执行人申请", default=False, help_text="媒体公布系依申请执行人的申请（须由其垫付费用）"
    )
    advanced_by = models.CharField(
        "支付方", max_length=16, choices=list(ADVANCERS.items()), help_text="谁先行支付；被执行人最终负担"
    )
    document_ref = models.CharField("凭证", max_length=128, help_text="发票号、公告刊登凭证或付款凭证")
    note = models.CharField("说明", max_length=200, blank=True, help_text="如刊登的媒体名称与版面")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "执行费用（被执行人负担）"
        verbose_name_plural = "执行费用（被执行人负担）"
        ordering = ["incurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}元"
