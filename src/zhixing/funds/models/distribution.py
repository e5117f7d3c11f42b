"""Participation in distribution (参与分配): the plan, its claims, objections and counter-objections.

A plan is made as a draft from the claims entered (form or Excel), served on every creditor and the
debtor, then objected to, counter-objected, sued on, amended (a new version, served again) or made
final, and paid through the payout service line by line (rules in `funds.distribution_rules`).
"""

from __future__ import annotations

from django.db import models

from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.models import Court

from .base import MONEY, ZERO


class DistributionPlan(models.Model):
    """财产分配方案 with its stage and periods; `lines` holds the computed shares (one per claim, then
    the surplus returned to the debtor)."""

    audit_protected = True

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿（登记债权）"
        SERVED = "served", "已送达（异议期）"
        OBJECTED = "objected", "有异议"
        COUNTERED = "countered", "有反对意见（起诉期）"
        SUING = "suing", "分配方案异议之诉审理中"
        AMENDED = "amended", "已按异议修正（由新版本取代）"
        FINAL = "final", "已生效（待发放）"
        PAID = "paid", "已发放完毕"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    version = models.PositiveSmallIntegerField("版本", default=1, help_text="按异议修正后重新制作的版本号")
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="修正前方案",
        help_text="本方案按异议修正自哪一版本",
    )
    proceeds = models.DecimalField("分配财产总额", **MONEY, help_text="不超过本案案款余额")
    costs = models.DecimalField("执行费用", **MONEY, default=ZERO, help_text="先行扣除的执行费用")
    debtor = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="被执行人",
        help_text="被分配财产所属的被执行人（本案有多名被执行人时须选择）",
    )
    debtor_kind = models.CharField(
        "被执行人类型",
        max_length=16,
        help_text="自然人、其他组织（合伙企业、个人独资企业、分支机构等）按债权比例清偿（民诉法解释第506、508条）；"
        "企业法人按查封先后清偿（第514条）；其他非企业法人按执行措施先后（执行工作规定第55条）",
    )
    first_seizing_court = models.CharField(
        "首先查封法院", max_length=64, blank=True, help_text="由首先查封的法院主持分配（执行工作规定第56条）"
    )
    seizure_basis = models.CharField(
        "首封依据", max_length=200, blank=True, help_text="首封法院的来源：查控记录或承办人登记"
    )
    cutoff_on = models.DateField(
        "参与分配截止日", null=True, blank=True, help_text="被执行财产执行终结之日，此后申请参与分配不予受理"
    )
    lines = models.JSONField("分配明细", default=list, help_text="按债权计算的分配额及剩余款")
    status = models.CharField("阶段", max_length=16, choices=Status.choices, default=Status.DRAFT)
    served_on = models.DateField("送达日", null=True, blank=True)
    objection_due = models.DateField(
        "异议期届满日", null=True, blank=True, help_text="送达后十五日，遇节假日顺延"
    )
    counter_objection_due = models.DateField(
        "反对意见期届满日", null=True, blank=True, help_text="各异议中最晚的反对意见期届满日"
    )
    held_amount = models.DecimalField("提存金额", **MONEY, default=ZERO, help_text="诉讼期间提存的争议金额")
    finalised_on = models.DateField("生效日", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="创建时间")

    class Meta:
        verbose_name = "财产分配方案"
        verbose_name_plural = "财产分配方案"

    def __str__(self) -> str:
        return f"分配方案#{self.pk}"

    @property
    def in_force(self) -> bool:
        """Served and not yet replaced or fully paid: payouts of the case must follow it."""
        return self.status not in (self.Status.DRAFT, self.Status.AMENDED, self.Status.PAID)


class DistributionClaim(models.Model):
    """One creditor's claim in a plan: a party of the case or an outside creditor (参与分配申请人).

    A draft's claim may be withdrawn (its removal is audited with its values); once served, never."""

    class Kind(models.TextChoices):
        PRIORITY = "priority", "法定优先权"
        SECURED = "secured", "担保物权"
        ORDINARY = "ordinary", "普通债权"

    plan = models.ForeignKey(
        DistributionPlan, on_delete=models.CASCADE, related_name="claims", verbose_name="分配方案"
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="本案当事人",
        help_text="债权人是本案当事人时选择；案外债权人留空并填写名称和证件号码",
    )
    creditor_name = models.CharField("债权人", max_length=128)
    creditor_id_number = models.CharField(
        "证件号码", max_length=32, blank=True, help_text="案外债权人的身份证号码或统一社会信用代码"
    )
    kind = models.CharField("债权种类", max_length=16, choices=Kind.choices, default=Kind.ORDINARY)
    rank = models.PositiveSmallIntegerField("顺位", default=1, help_text="同种类内的清偿顺位，1为最先")
    amount = models.DecimalField("债权金额", **MONEY)
    security_date = models.DateField(
        "担保物权设立日", null=True, blank=True, help_text="担保物权按设立（登记）先后清偿，同日同顺位按比例"
    )
    seized_on = models.DateField(
        "查封日", null=True, blank=True, help_text="企业法人被执行人时普通债权按查封先后"
    )
    applied_on = models.DateField("申请参与分配日", help_text="应在被执行财产执行终结前提出")
    basis = models.CharField("执行依据", max_length=128, blank=True, help_text="债权人取得的执行依据文书号")
    evidence = models.CharField("证据说明", max_length=500, blank=True)
    evidence_file = models.FileField("证据材料", upload_to="funds/claims/%Y/", blank=True)
    position = models.PositiveIntegerField("序号", default=0)

    class Meta:
        verbose_name = "分配方案债权"
        verbose_name_plural = "分配方案债权"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.creditor_name} {self.amount}"


class DistributionObjection(models.Model):
    """书面异议 by a creditor or the debtor: asks that one claim be admitted at another amount."""

    audit_protected = True

    class State(models.TextChoices):
        OPEN = "open", "反对意见期内"
        ACCEPTED = "accepted", "无人反对，按异议修正"
        COUNTERED = "countered", "有反对意见（起诉期）"
        SUING = "suing", "已起诉，争议金额提存"
        UPHELD = "upheld", "诉讼支持异议，按异议修正"
        DISMISSED = "dismissed", "诉讼驳回异议，按原方案"
        LAPSED = "lapsed", "未在期限内起诉，按原方案"

    plan = models.ForeignKey(
        DistributionPlan, on_delete=models.CASCADE, related_name="objections", verbose_name="分配方案"
    )
    by_name = models.CharField("异议人", max_length=128)
    by_debtor = models.BooleanField("被执行人提出", default=False)
    claim = models.ForeignKey(
        DistributionClaim, on_delete=models.PROTECT, related_name="+", verbose_name="异议针对的债权"
    )
    proposed_amount = models.DecimalField("异议主张的债权金额", **MONEY, help_text="0表示不应参与分配")
    reason = models.CharField("异议理由", max_length=500)
    received_on = models.DateField("收到异议日")
    notified_on = models.DateField("通知其他债权人、被执行人日")
    counter_due = models.DateField("反对意见期届满日")
    disputed = models.DecimalField("争议金额", **MONEY, help_text="按异议修正后减少的分配额合计")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.OPEN)
    suit_due = models.DateField("起诉期届满日", null=True, blank=True)
    sued_on = models.DateField("起诉日", null=True, blank=True)
    suit_number = models.CharField("诉讼案号", max_length=64, blank=True)
    result_on = models.DateField("判决/裁定生效日", null=True, blank=True)

    class Meta:
        verbose_name = "分配方案异议"
        verbose_name_plural = "分配方案异议"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.by_name}的异议#{self.pk}"


class DistributionCounter(models.Model):
    """反对意见 to an objection, by a creditor or the debtor who did not object."""

    audit_protected = True

    objection = models.ForeignKey(
        DistributionObjection, on_delete=models.CASCADE, related_name="counters", verbose_name="异议"
    )
    by_name = models.CharField("反对人", max_length=128)
    received_on = models.DateField("收到反对意见日")
    notified_on = models.DateField("通知异议人日", help_text="异议人自收到通知之日起十五日内可以起诉")
    reason = models.CharField("反对理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "异议的反对意见"
        verbose_name_plural = "异议的反对意见"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.by_name}的反对意见#{self.pk}"
