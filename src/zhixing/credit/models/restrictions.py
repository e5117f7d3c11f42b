"""Consumption and exit restrictions (限制消费令, 限制出境); a restricted person's private consumption."""

from __future__ import annotations

from django.db import models

from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.models import Court

from ..rules import CODE_LABELS, SERVICE_METHODS
from .listings import Listing


class Restriction(models.Model):
    """A consumption restriction (限制消费令) or exit restriction (限制出境) binding one person or unit."""

    audit_protected = True

    class Kind(models.TextChoices):
        CONSUMPTION = "consumption", "限制消费"
        EXIT = "exit", "限制出境"

    class Bound(models.TextChoices):
        DEBTOR = "debtor", "被执行人本人"
        LEGAL_REP = "legal_rep", "法定代表人"
        PRINCIPAL = "principal", "主要负责人"
        RESPONSIBLE = "responsible", "影响债务履行的直接责任人员"
        CONTROLLER = "controller", "实际控制人"
        # 执行程序解释 Art 24: for a debtor without full capacity (a minor) the exit restriction binds the
        # legal representative / guardian, never the debtor.
        GUARDIAN = "guardian", "法定代理人（监护人）"

    class Status(models.TextChoices):
        ACTIVE = "active", "生效中"
        LIFTED = "lifted", "已解除"

    kind = models.CharField(
        "措施", max_length=16, choices=Kind.choices, help_text="限制消费（限制消费令）或限制出境"
    )
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="执行法院")
    # 恢复执行 (执恢, 2014 立结案意见 Art 6): the measure was taken in `carried_from` and continues,
    # unchanged, in the 执恢 case that resumed it (`services.carry_over`, docs/rules-additions.md);
    # `case` is the case it now belongs to.
    carried_from = models.ForeignKey(
        EnforcementCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="原案件",
        help_text="恢复执行时由原案件（终本等）承继而来的，记录原案件；决定书文号保持不变",
    )
    listing = models.ForeignKey(
        Listing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restrictions",
        verbose_name="失信记录",
    )
    bound = models.CharField("被限制人身份", max_length=16, choices=Bound.choices, default=Bound.DEBTOR)
    subject_key = models.CharField(
        "身份号码", max_length=18, db_index=True, help_text="被限制人的身份证号或统一社会信用代码"
    )
    name = models.CharField("被限制人", max_length=128)
    items = models.JSONField("限制事项", default=list, help_text="限制消费规定第3条第1款所列事项序号1–9")
    document_number = models.CharField(
        "文书文号", max_length=64, help_text="限制消费令、限制出境决定书的文号（案号）"
    )
    ordered_on = models.DateField("决定日期")
    effective_on = models.DateField("生效日期", help_text="设宽限期的，宽限期满后生效")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    lift_trigger = models.CharField(
        "解除事由", max_length=32, blank=True, help_text="如 已履行完毕（应当解除）、提供担保、申请人同意"
    )
    trigger_on = models.DateField("解除事由发生日", null=True, blank=True)
    lift_due = models.DateField("应解除日期", null=True, blank=True, db_index=True)
    lifted_on = models.DateField("解除日期", null=True, blank=True)
    lift_note = models.CharField("解除说明", max_length=200, blank=True)
    registered = models.BooleanField("已进入筛查名单", default=False)
    # Exit restriction only: 复议 to the next-higher court (执行异议复议规定 Art 9).
    served_on = models.DateField(
        "决定书送达日",
        null=True,
        blank=True,
        help_text="限制出境决定书送达被限制人之日（公告送达的，为公告之日起经过30日视为送达之日）",
    )
    service_method = models.CharField(
        "送达方式", max_length=16, blank=True, choices=list(SERVICE_METHODS.items())
    )
    reconsideration_due = models.DateField(
        "复议申请截止日", null=True, blank=True, help_text="送达之日起10日内可向上一级法院申请复议"
    )
    reconsideration_filed_on = models.DateField("收到复议申请日", null=True, blank=True)
    review_due = models.DateField(
        "复议应审结日",
        null=True,
        blank=True,
        db_index=True,
        help_text="上一级法院收到复议申请之日起15日内审结",
    )
    review_result = models.CharField(
        "复议结果",
        max_length=16,
        blank=True,
        choices=[("upheld", "驳回复议，维持限制"), ("revoked", "撤销限制出境决定")],
    )
    reviewed_on = models.DateField("复议决定日", null=True, blank=True)
    # A 限制消费令 signed by the president binds from its service (credit.proposals, ADR 0015).
    proposal = models.ForeignKey(
        "credit.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restrictions",
        verbose_name="审批记录",
    )
    awaiting_service = models.BooleanField(
        "待送达生效", default=False, help_text="院长签发的限制消费令自送达被执行人之日（及宽限期满）起生效"
    )

    class Meta:
        verbose_name = "限制措施"
        verbose_name_plural = "限制措施"
        indexes = [models.Index(fields=["subject_key", "status"], name="restriction_subject_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class PrivateConsumption(models.Model):
    """A restricted person's application to use personal property for private or necessary consumption."""

    audit_protected = True

    restriction = models.ForeignKey(
        Restriction, on_delete=models.CASCADE, related_name="private_applications", verbose_name="限制措施"
    )
    applied_on = models.DateField("申请日期")
    purpose = models.CharField("消费事项", max_length=200, help_text="如 就医乘坐飞机")
    granted = models.BooleanField("是否准许", help_text="经核实确属使用个人财产或生活工作必需的，准许")
    reason = models.CharField("决定理由", max_length=200)
    decided_on = models.DateField("决定日期")
    # 限制消费规定 Arts 3(2), 8: a granted application frees the named screening codes for its window;
    # the register drops them for this restriction while the window runs (services.register).
    codes = models.JSONField(
        "准许事项编码",
        default=list,
        blank=True,
        help_text="准许期间合作单位不予拦截的限制事项编码，如 flight（飞机）、hsr（高铁）",
    )
    valid_from = models.DateField("准许起始日", null=True, blank=True, help_text="准许消费期间的第一日")
    valid_until = models.DateField("准许截止日", null=True, blank=True, help_text="准许消费期间的最后一日")
    window_state = models.CharField(
        "期间状态",
        max_length=8,
        blank=True,
        choices=[("pending", "尚未开始"), ("applied", "准许期间中"), ("ended", "已届满")],
        help_text="定期扫描据此在期间开始、届满时更新筛查名单",
    )

    class Meta:
        verbose_name = "私人消费申请"
        verbose_name_plural = "私人消费申请"

    def __str__(self) -> str:
        return f"消费申请：{self.purpose}"

    @property
    def code_labels(self) -> list[str]:
        return [CODE_LABELS.get(c, c) for c in self.codes or []]
