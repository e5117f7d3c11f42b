"""Changes to a case's enforcement term: suspensions (中止执行), the other periods the term does not
count (不计入执行期限的期间) and extensions (延长执行期限).

Re-exported by `zhixing.cases.models`, so callers import them from there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Suspension(models.Model):
    """A suspension (中止执行) period; the term does not run from `start` until `end`."""

    audit_protected = True

    class Ground(models.TextChoices):
        """CPL-2023 Art 267 grounds, plus the suspensions other laws order.

        Retrial (审判监督): the decision to retry suspends enforcement of the original judgment
        (CPL-2021 Art 213, trial-supervision chapter). Bankruptcy: once a bankruptcy application is
        accepted, enforcement against the debtor's property is suspended (企业破产法 Art 19). Both are
        removal triggers of the dishonest list (失信规定 Art 10(1)(5)), so they are kept apart from
        "other".
        """

        APPLICANT_AGREES = "applicant_agrees", "申请人表示可以延期执行"
        THIRD_PARTY_OBJECTION = "objection", "案外人提出确有理由的异议"
        HEIR_PENDING = "heir_pending", "作为一方当事人的公民死亡，需要等待继承人继承权利或者承担义务"
        SUCCESSOR_PENDING = (
            "successor_pending",
            "作为一方当事人的法人或者其他组织终止，尚未确定权利义务承受人",
        )
        RETRIAL = "retrial", "按照审判监督程序决定再审，裁定中止原判决的执行"
        BANKRUPTCY = "bankruptcy", "人民法院受理对被执行人的破产申请，中止执行"
        OTHER = "other", "人民法院认为应当中止执行的其他情形"

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.CASCADE, related_name="suspensions", verbose_name="案件"
    )
    ground = models.CharField("中止事由", max_length=32, choices=Ground.choices)
    start = models.DateField("中止日期")
    end = models.DateField("恢复日期", null=True, blank=True, help_text="恢复执行之日，期限自该日重新计算")
    document_ref = models.CharField("中止裁定书文号", max_length=128)
    resume_document_ref = models.CharField("恢复执行通知文号", max_length=128, blank=True)
    instrument_review = models.BooleanField(
        "因审查执行依据中止",
        default=False,
        help_text="因对生效法律文书（执行依据）进行审查而中止执行（属“其他情形”）；非因被执行人申请的，"
        "中止期间不计加倍部分债务利息（迟延履行利息解释第3条第3款）",
    )
    debtor_requested = models.BooleanField(
        "因被执行人申请",
        default=False,
        help_text="中止系因被执行人申请；对执行依据审查而中止的期间，因被执行人申请的照常计算加倍部分债务利息"
        "（迟延履行利息解释第3条第3款）",
    )

    class Meta:
        verbose_name = "中止执行"
        verbose_name_plural = "中止执行"
        ordering = ["case", "start"]

    def __str__(self) -> str:
        return f"中止 {self.start}–{self.end or '至今'}"


class ExcludedPeriod(models.Model):
    """A period other than a suspension that the enforcement term does not count (审限规定 Art 9).

    审限规定 (2000) Art 9 items (6)–(12) exclude from the term: public notice and appraisal periods,
    jurisdiction disputes, audit / valuation / asset clearing by professional bodies, 暂缓执行 after a
    settlement or guarantee, a stay ordered by the higher court, and the auction or sale of seized
    property (rules.md §2.1; suspension itself is `Suspension`). A coordination of an enforcement
    dispute (执行争议协调, 执行程序解释 Art 13) is recorded here too: it is not counted in the 6 months
    for applying to the higher court, and stops the term only when configured. While a period runs
    (no `end`), the term and every pausable node have no due date, so no warning is raised; once it
    ends, the term is later by the excluded days. The case itself keeps running (unlike a suspension).
    """

    audit_protected = True

    class Kind(models.TextChoices):
        DEFERRAL = "deferral", "暂缓执行（执行和解或提供担保）"
        HIGHER_COURT_STAY = "higher_court_stay", "上级法院通知暂缓执行"
        APPRAISAL = "appraisal", "鉴定、评估期间"
        AUDIT = "audit", "专业机构审计、评估、资产清理期间"
        AUCTION = "auction", "拍卖、变卖被查封扣押财产期间"
        PUBLIC_NOTICE = "public_notice", "公告期间"
        JURISDICTION = "jurisdiction", "管辖争议处理期间"
        REVIEW_DEFERRAL = "review_deferral", "对生效法律文书审查而暂缓执行"
        # 执行程序解释 Art 13: not counted in the 6 months of CPL-2023 Art 237; 审限规定 Art 9
        # does not name it, so it stops the term only when configured (conf.coordination_stops_term).
        COORDINATION = "coordination", "执行争议协调期间"

    case = models.ForeignKey(
        "cases.EnforcementCase",
        on_delete=models.CASCADE,
        related_name="excluded_periods",
        verbose_name="案件",
    )
    kind = models.CharField("期间类型", max_length=24, choices=Kind.choices)
    start = models.DateField("开始日期", help_text="该期间开始之日，执行期限自该日起停止计算")
    end = models.DateField(
        "结束日期", null=True, blank=True, help_text="期间结束之日，执行期限自该日继续计算"
    )
    document_ref = models.CharField(
        "文书文号", max_length=128, help_text="暂缓执行决定书、委托鉴定书、拍卖公告等"
    )
    end_document_ref = models.CharField("结束文书文号", max_length=128, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    debtor_requested = models.BooleanField(
        "因被执行人申请",
        default=False,
        help_text="暂缓执行系因被执行人申请；对执行依据审查而暂缓的期间，因被执行人申请的照常计算加倍部分债务利息"
        "（迟延履行利息解释第3条第3款）",
    )

    class Meta:
        verbose_name = "不计入执行期限的期间"
        verbose_name_plural = "不计入执行期限的期间"
        ordering = ["case", "start", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}–{self.end or '至今'}"

    @property
    def days(self) -> int | None:
        """Days not counted once the period has ended: [start, end) as `rules.Pause` counts them."""
        return (self.end - self.start).days if self.end else None


class Extension(models.Model):
    """A request to extend the enforcement term by 3 months (审限规定 Art 5)."""

    audit_protected = True

    class Status(models.TextChoices):
        REQUESTED = "requested", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "不予批准"

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.CASCADE, related_name="extensions", verbose_name="案件"
    )
    months = models.PositiveSmallIntegerField("延长月数", default=3)
    reason = models.CharField("延长理由", max_length=200)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_on = models.DateField("申请日期")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_on = models.DateField("审批日期", null=True, blank=True)
    sequence = models.PositiveSmallIntegerField(
        "第几次延长",
        default=1,
        help_text="本案第几次申请延长；第二次起须层报高级人民法院备案（审限规定第5条）",
    )
    reported_to = models.ForeignKey(
        "courts.Court",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报备法院",
        help_text="再次延长时层报备案的高级人民法院",
    )
    reported_on = models.DateField("报备日期", null=True, blank=True)

    class Meta:
        verbose_name = "延长执行期限"
        verbose_name_plural = "延长执行期限"

    def __str__(self) -> str:
        return f"延长{self.months}个月（{self.get_status_display()}）"
