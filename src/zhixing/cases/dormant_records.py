"""The records of a dormant (终本) case: the judge's confirmations of its preconditions, the review kept
at closing (what the compliance check scores), and the applicant's requests to resume.

Re-exported by `zhixing.cases.models`; written only by `zhixing.cases.services.dormant`, each write with
its audit record. The precondition keys are `rules_dormant.PRECONDITIONS`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.courts.models import Court


class DormantConfirmation(models.Model):
    """The judge's confirmation, with evidence, of one 终本 precondition the platform cannot see in its
    own record (终本规定 Arts 1–3): an on-site visit, a search for a missing debtor, the interview (约谈)
    with the applicant... The latest confirmation of a key counts; older ones are kept."""

    audit_protected = True

    case = models.ForeignKey(
        "cases.EnforcementCase",
        on_delete=models.CASCADE,
        related_name="dormant_confirmations",
        verbose_name="案件",
    )
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    key = models.CharField("终本条件", max_length=32, help_text="所确认的终本条件（终本规定第1条各项）")
    done_on = models.DateField("办理日期", help_text="实地调查、查找、约谈等工作的办理日期")
    note = models.TextField(
        "情况说明", help_text="所做工作与结果，如“2026年5月6日到被执行人住所地调查，未发现可供执行财产”"
    )
    evidence = models.FileField(
        "证据材料", upload_to="cases/dormant/%Y/", blank=True, help_text="笔录、照片、回证等（10MB以内）"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="确认人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "终本条件确认"
        verbose_name_plural = "终本条件确认"
        indexes = [models.Index(fields=["case", "key"], name="dormant_confirm_case_key")]

    def __str__(self) -> str:
        return f"{self.key} {self.done_on}"


class DormantReview(models.Model):
    """What the preconditions showed when the case closed as 终本 — the compliance check (终本合格率)
    scores this snapshot, so a later change of the record never rewrites the closing's quality."""

    audit_protected = True

    case = models.OneToOneField(
        "cases.EnforcementCase", on_delete=models.CASCADE, related_name="dormant_review", verbose_name="案件"
    )
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    closed_on = models.DateField("终本日期")
    states = models.JSONField(
        "各项条件", default=dict, help_text="终本时每项条件的状态：系统记录满足、法官确认、不适用或未满足"
    )
    met = models.PositiveSmallIntegerField("满足项数", default=0)
    total = models.PositiveSmallIntegerField("条件总数", default=0)
    ruling = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="终本裁定书",
        help_text="结案时由系统生成的终结本次执行程序裁定书",
    )
    compliant = models.BooleanField("合格", default=False, help_text="各项条件均满足且已生成裁定书")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "终本审查记录"
        verbose_name_plural = "终本审查记录"
        indexes = [models.Index(fields=["court", "closed_on"], name="dormant_review_court_day")]

    def __str__(self) -> str:
        return f"终本审查 {self.closed_on}"


class ResumptionRequest(models.Model):
    """The applicant's request to resume a dormant case (终本规定 Art 9(1)): at any time, not subject to the
    2-year period. Recorded by staff now (the party portal will call the same service)."""

    audit_protected = True

    class Status(models.TextChoices):
        OPEN = "open", "待审查"
        RESUMED = "resumed", "已恢复执行"

    case = models.ForeignKey(
        "cases.EnforcementCase",
        on_delete=models.CASCADE,
        related_name="resumption_requests",
        verbose_name="案件",
    )
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    requested_by = models.CharField(
        "申请人", max_length=100, help_text="提出恢复执行申请的申请执行人（或其代理人）姓名"
    )
    reason = models.TextField("申请事由", help_text="申请执行人提供的财产线索或恢复执行的理由")
    channel = models.CharField(
        "提交途径", max_length=16, default="staff", help_text="staff：窗口登记；portal：当事人门户"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = "恢复执行申请"
        verbose_name_plural = "恢复执行申请"

    def __str__(self) -> str:
        return f"恢复执行申请 {self.requested_by}"
