"""Credit repair (信用修复) applications and a unit debtor's change of legal representative.

Both refer to `Listing` / `Restriction` by name; re-exported by `credit.models`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CreditRepair(models.Model):
    """A debtor's application for credit repair of one listing, its conditions, decision and certificate."""

    audit_protected = True

    class Status(models.TextChoices):
        PENDING = "pending", "审查中"
        GRANTED = "granted", "准予修复"
        REJECTED = "rejected", "不予修复"

    listing = models.ForeignKey(
        "credit.Listing", on_delete=models.PROTECT, related_name="repairs", verbose_name="失信记录"
    )
    applied_on = models.DateField("申请日期", help_text="收到被执行人书面申请之日")
    decision_due = models.DateField("应决定日期", help_text="收到申请之日起15日内（可配置）")
    statement = models.CharField("申请理由", max_length=300)
    settled = models.BooleanField(
        "和解已履行或申请人同意", default=False, help_text="执行和解协议已履行完毕，或申请执行人书面同意修复"
    )
    corrected = models.BooleanField(
        "已纠正失信行为", default=False, help_text="法官核实被执行人已主动纠正失信行为"
    )
    conditions = models.JSONField("条件核查", default=dict, help_text="决定时各项修复条件是否满足")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    reason = models.CharField("决定理由", max_length=300, blank=True)
    certificate_number = models.CharField(
        "信用修复证明编号", max_length=64, blank=True, help_text="准予修复的，自动生成：案号之N修"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="决定人"
    )

    class Meta:
        verbose_name = "信用修复申请"
        verbose_name_plural = "信用修复申请"

    def __str__(self) -> str:
        return f"信用修复申请（{self.applied_on}）"


class LegalRepChange(models.Model):
    """A recorded change of a unit debtor's legal representative and what it did to the restrictions."""

    audit_protected = True

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.PROTECT, related_name="+", verbose_name="案件"
    )
    party = models.ForeignKey(
        "cases.Party", on_delete=models.PROTECT, related_name="+", verbose_name="被执行单位"
    )
    former_name = models.CharField("原法定代表人", max_length=64)
    new_name = models.CharField("新法定代表人", max_length=64)
    new_key = models.CharField("新法定代表人身份证号", max_length=18, help_text="已校验的身份号码")
    changed_on = models.DateField("变更登记日期")
    former_released = models.BooleanField(
        "原法定代表人获准解除",
        default=False,
        help_text="原法定代表人申请并举证证明其并非实际控制人、影响债务履行的直接责任人员，经审查属实（善意文明执行意见第17条）",
    )
    lifted = models.ForeignKey(
        "credit.Restriction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="解除的限制",
    )
    imposed = models.ForeignKey(
        "credit.Restriction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="新采取的限制",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "法定代表人变更"
        verbose_name_plural = "法定代表人变更"

    def __str__(self) -> str:
        return f"{self.former_name}→{self.new_name}"
