"""A credit decision the judge proposes and the court president signs, and its service on the debtor.

Where the configuration needs no president's signature, the judge's own decision is recorded on the
same row, signed by the judge at once (`services.own_decisions`), so its service is tracked alike.

The 纳入失信决定书 and the 限制消费令 are signed by the court president where the configuration says the
rules require it (`rules.PRESIDENT_APPROVAL_DEFAULT`, ADR 0015). Until the president approves, nothing
is listed or restricted and nothing reaches screening; on approval the measure is issued with the
president as signer. Service (送达) is recorded on the same row: method and date, and every period that
runs from service (the 限制消费令's effect, the grace before publication) is counted from it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .rules import SERVICE_METHODS


class Proposal(models.Model):
    """One proposed credit decision (提请院长审批) and, once signed, its service on the debtor."""

    audit_protected = True

    class Kind(models.TextChoices):
        LISTING = "listing", "纳入失信被执行人名单决定书"
        CONSUMPTION = "consumption", "限制消费令"

    class Status(models.TextChoices):
        PENDING = "pending", "待院长审批"
        APPROVED = "approved", "已签发"
        REJECTED = "rejected", "不予批准"

    kind = models.CharField("决定类型", max_length=16, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.PROTECT, related_name="+", verbose_name="案件"
    )
    party = models.ForeignKey(
        "cases.Party", on_delete=models.PROTECT, related_name="+", verbose_name="被执行人"
    )
    court = models.ForeignKey(
        "courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="执行法院"
    )
    data = models.JSONField(
        "提请内容", default=dict, help_text="承办法官提请的决定内容（失信情形、具体行为、限制事项、宽限期等）"
    )
    summary = models.CharField("提请摘要", max_length=300, help_text="院长审批页显示的决定要点")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提请人"
    )
    proposed_on = models.DateField("提请日期")
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签发人",
        help_text="审批的院长；决定书上署其姓名",
    )
    approver_name = models.CharField("签发人姓名", max_length=64, blank=True)
    signer_title = models.CharField(
        "签发人职务",
        max_length=16,
        default="院长",
        help_text="决定书署名的职务：院长签发的为院长；配置为无需院长签发的，为自行作出决定的法官的职务",
    )
    decided_on = models.DateField("审批日期", null=True, blank=True, help_text="签发之日即决定作出之日")
    reject_reason = models.CharField("不予批准理由", max_length=200, blank=True)
    listing = models.OneToOneField(
        "credit.Listing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name="失信记录",
    )
    document_number = models.CharField("文书文号", max_length=64, blank=True)
    grace_months = models.PositiveSmallIntegerField("宽限期（月）", default=0)
    service_method = models.CharField(
        "送达方式", max_length=16, blank=True, choices=list(SERVICE_METHODS.items())
    )
    service_act_on = models.DateField(
        "送达日期", null=True, blank=True, help_text="签收、留置、到达系统、邮件签收或公告发布之日"
    )
    served_on = models.DateField(
        "视为送达日",
        null=True,
        blank=True,
        help_text="送达生效之日；公告送达自公告之日起经过30日视为送达；自此起算各期间",
    )

    class Meta:
        verbose_name = "信用惩戒决定审批"
        verbose_name_plural = "信用惩戒决定审批"
        indexes = [models.Index(fields=["court", "status"], name="credit_proposal_court_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"

    @property
    def signer(self) -> str:
        """The signer as the document names him (职务 姓名), '' while nobody has signed."""
        return f"{self.signer_title} {self.approver_name}" if self.approver_name else ""
