"""The applicant told the result of each periodic re-inquiry of a dormant case (终本规定 Art 9(2):
"将查询结果告知申请执行人").

Re-exported by `zhixing.inquiry.models`. One notice per settled round, written in the round's settling
transaction (`services.dormant.settle_rounds`). Electronic service is another module's work: until it
exists the notice is recorded *to be served* with its full content, so nothing is lost and the e-service
channel can pick the pending notices up (`status = to_serve`).
"""

from __future__ import annotations

from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court


class ReinquiryNotice(models.Model):
    """The result of one 终本 re-inquiry round, addressed to the applicants of the case."""

    audit_protected = True

    class Status(models.TextChoices):
        TO_SERVE = "to_serve", "待送达"
        SERVED = "served", "已送达"

    round = models.OneToOneField(
        "inquiry.DormantRound", on_delete=models.PROTECT, related_name="notice", verbose_name="定期查询"
    )
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    addressees = models.CharField("收件人", max_length=300, help_text="本案申请执行人")
    content = models.TextField("告知内容", help_text="查询日期、查询结果及申请恢复执行的权利")
    status = models.CharField("送达状态", max_length=16, choices=Status.choices, default=Status.TO_SERVE)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    served_at = models.DateTimeField("送达时间", null=True, blank=True)

    class Meta:
        verbose_name = "终本定期查询结果告知"
        verbose_name_plural = "终本定期查询结果告知"
        indexes = [
            models.Index(
                fields=["status"], name="reinquiry_notice_to_serve", condition=models.Q(status="to_serve")
            )
        ]

    def __str__(self) -> str:
        return f"定期查询结果告知 {self.case_id}"


class DormantAttention(models.Model):
    """A dormant case the daily re-inquiry could not search: no debtor has a valid identity number.

    Written by the daily run each time it meets the case (`services.dormant.reinquire`), removed when a
    round is filed for it; the registry lists these as needing attention (补正身份信息), so the case is
    not skipped silently every day for five years.
    """

    case = models.OneToOneField(
        EnforcementCase, on_delete=models.CASCADE, related_name="+", verbose_name="案件"
    )
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    reason = models.CharField("原因", max_length=500, help_text="无法网络查控的原因，如被执行人身份号码无效")
    since = models.DateField("首次发现日期")
    last_seen = models.DateField("最近一次定期查询日期")

    class Meta:
        verbose_name = "终本案件需关注"
        verbose_name_plural = "终本案件需关注"
        indexes = [models.Index(fields=["court", "since"], name="dormant_attention_court")]

    def __str__(self) -> str:
        return f"需关注 {self.case_id}"
