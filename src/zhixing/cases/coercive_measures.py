"""Coercive measures (强制措施) and refusal-crime referrals (拒执罪移送) of a case (models).

A measure is proposed by the handling team, approved (or refused) by the court president — its
document (决定书, 拘传票, 搜查令) is generated at approval — and then carries its clocks: the family
notice of a detention (24 hours), the questioning time of a summons by force (8 / 24 hours) and the
review (复议) periods of a fine or detention (3 days to apply, 5 days for the higher court). See
`coercion` for the rules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .coercion import MEASURE_LABELS


class CoerciveMeasure(models.Model):
    audit_protected = True

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待院长审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    case = models.ForeignKey(
        "cases.EnforcementCase",
        on_delete=models.CASCADE,
        related_name="coercive_measures",
        verbose_name="案件",
    )
    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    party = models.ForeignKey(
        "cases.Party",
        on_delete=models.PROTECT,
        related_name="coercive_measures",
        verbose_name="被采取措施的当事人",
        help_text="本案被执行人；单位被执行人的负责人另填姓名",
    )
    person_name = models.CharField(
        "责任人员姓名",
        max_length=64,
        blank=True,
        help_text="对单位的法定代表人、主要负责人或直接责任人员采取措施时填写",
    )
    kind = models.CharField(
        "措施种类", max_length=16, choices=[(k.value, v) for k, v in MEASURE_LABELS.items()]
    )
    act = models.CharField("妨害执行的事实", max_length=500, help_text="采取措施的事实与理由")
    amount = models.DecimalField(
        "罚款金额（元）", max_digits=12, decimal_places=2, null=True, blank=True, help_text="仅罚款"
    )
    days = models.PositiveSmallIntegerField("拘留日数", null=True, blank=True, help_text="仅拘留，十五日以下")
    hours = models.PositiveSmallIntegerField(
        "拘传询问时间（小时）",
        null=True,
        blank=True,
        help_text="仅拘传：一般八小时以下，复杂的二十四小时以下",
    )
    complex_case = models.BooleanField(
        "案情复杂、可能拘留", default=False, help_text="拘传询问时间可延至二十四小时（民诉法解释第482条）"
    )
    custody = models.CharField("看管的公安机关", max_length=128, blank=True, help_text="仅拘留")
    place = models.CharField("搜查地点", max_length=200, blank=True, help_text="仅搜查")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提请人"
    )
    proposed_at = models.DateTimeField("提请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批院长",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    document_id = models.PositiveIntegerField(
        "决定书", null=True, blank=True, help_text="批准时生成的罚款/拘留决定书、拘传票或搜查令（文书编号）"
    )
    served_on = models.DateField("决定书送达日", null=True, blank=True, help_text="复议期间自此日起算")
    review_apply_by = models.DateField(
        "复议申请期限", null=True, blank=True, help_text="收到决定书之日起三日内（民诉法解释第185条）"
    )
    review_applied_on = models.DateField("申请复议日", null=True, blank=True)
    review_decide_by = models.DateField(
        "复议决定期限", null=True, blank=True, help_text="上级法院收到复议申请后五日内作出决定"
    )
    started_at = models.DateTimeField(
        "执行开始时间", null=True, blank=True, help_text="拘留送交看管或拘传到案的时刻"
    )
    family_notice_due = models.DateTimeField(
        "通知家属期限", null=True, blank=True, help_text="拘留后二十四小时内通知被拘留人家属"
    )
    family_notified_at = models.DateTimeField("通知家属时间", null=True, blank=True)
    ends_at = models.DateTimeField("拘传询问截止", null=True, blank=True, help_text="拘传询问不得超过的时刻")

    class Meta:
        verbose_name = "强制措施"
        verbose_name_plural = "强制措施"
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["court", "status"], name="coercion_court_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.case_id}）"

    @property
    def subject(self) -> str:
        return f"{self.party.name}（{self.person_name}）" if self.person_name else self.party.name


class RefusalReferral(models.Model):
    """A referral of the refusal-to-execute crime (刑法第313条) to the public security organ, with the
    situations of the 2024 interpretation and the evidence bundle assembled from the case."""

    audit_protected = True

    case = models.ForeignKey(
        "cases.EnforcementCase",
        on_delete=models.CASCADE,
        related_name="refusal_referrals",
        verbose_name="案件",
    )
    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    party = models.ForeignKey(
        "cases.Party", on_delete=models.PROTECT, related_name="+", verbose_name="涉嫌拒执的被执行人"
    )
    situations = models.JSONField(
        "拒不执行情形", default=list, help_text="法释〔2024〕13号第三条、第四条的情形编号，如 3.4"
    )
    facts = models.CharField("主要事实", max_length=1000)
    receiver = models.CharField("移送机关", max_length=128, help_text="如：某市公安局某分局")
    referred_on = models.DateField("移送日期")
    evidence_sha256 = models.CharField("证据包摘要", max_length=64, help_text="移送时证据包（zip）的SHA-256")
    evidence_files = models.JSONField("证据包目录", default=list, help_text="证据包中的文件名")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="移送人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "拒执罪移送"
        verbose_name_plural = "拒执罪移送"
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"拒执移送（{self.case_id}）"


class BankruptcyTransfer(models.Model):
    """A transfer of a company debtor's cases to bankruptcy review (执转破), with the written consent."""

    audit_protected = True

    court = models.ForeignKey(
        "courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="执行法院"
    )
    debtor_key = models.CharField("统一社会信用代码", max_length=18, help_text="被执行企业的统一社会信用代码")
    debtor_name = models.CharField("被执行企业", max_length=200)
    consent_by = models.CharField(
        "书面同意的当事人",
        max_length=16,
        choices=[("debtor", "被执行人"), ("applicant", "申请执行人")],
        help_text="被执行人或任一申请执行人书面同意（执转破指导意见第二条）",
    )
    consent_ref = models.CharField(
        "书面同意材料", max_length=200, help_text="如：某公司同意移送破产审查申请书"
    )
    decision_ref = models.CharField(
        "移送决定书文号", max_length=128, help_text="院长签发的移送破产审查决定书"
    )
    receiving_court = models.CharField("受移送法院", max_length=128, help_text="被执行人住所地有管辖权的法院")
    case_ids = models.JSONField("移送的案件", default=list, help_text="中止执行的案件编号")
    unpaid = models.DecimalField("未履行金额合计（元）", max_digits=15, decimal_places=2)
    known_assets = models.DecimalField("已知财产合计（元）", max_digits=15, decimal_places=2)
    evidence = models.JSONField("筛查依据", default=list, help_text="移送时的筛查结论")
    decided_on = models.DateField("移送决定日")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="签发院长"
    )

    class Meta:
        verbose_name = "执转破移送"
        verbose_name_plural = "执转破移送"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"执转破 {self.debtor_name}"
