"""The dishonest judgment-debtor list (失信被执行人名单): entries, applications to list, corrections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.models import Court

from ..rules import GROUND_CHOICES, REMOVAL_TRIGGERS, SERVICE_METHODS


class Listing(models.Model):
    """One entry of the dishonest judgment-debtor list (失信被执行人名单) for one debtor of one case."""

    audit_protected = True

    class Status(models.TextChoices):
        ACTIVE = "active", "在册"
        REMOVED = "removed", "已删除"
        REVOKED = "revoked", "已撤销"

    class Initiation(models.TextChoices):
        APPLICATION = "application", "依申请"
        EX_OFFICIO = "ex_officio", "依职权"

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
    subject_key = models.CharField(
        "身份号码", max_length=18, db_index=True, help_text="自然人身份证号或单位统一社会信用代码"
    )
    name = models.CharField("姓名/名称", max_length=128, db_index=True)
    name_key = models.CharField(
        "检索名", max_length=128, db_index=True, help_text="简体化后的姓名，用于公开查询"
    )
    name_pinyin = models.CharField("姓名拼音", max_length=256, db_index=True, help_text="不带声调的全拼")
    kind = models.CharField("主体类型", max_length=16, choices=Party.Kind.choices)
    sex = models.CharField("性别", max_length=1, blank=True)
    age = models.PositiveSmallIntegerField("年龄", null=True, blank=True, help_text="纳入时的周岁年龄")
    legal_representative = models.CharField("法定代表人/负责人", max_length=64, blank=True)
    ground = models.PositiveSmallIntegerField(
        "失信情形", choices=GROUND_CHOICES, help_text="失信规定第1条第1至6项之一；第1项无固定期限，其余2年"
    )
    dishonest_act = models.CharField("具体失信行为", max_length=300, help_text="向社会公布的具体情形")
    obligation = models.CharField(
        "生效法律文书确定的义务", max_length=300, help_text="向社会公布的义务内容，自动取自执行依据"
    )
    performance = models.CharField(
        "履行情况",
        max_length=100,
        default="全部未履行",
        help_text="被执行人的履行情况，如 全部未履行、部分履行",
    )
    initiation = models.CharField(
        "启动方式", max_length=16, choices=Initiation.choices, help_text="依申请执行人申请或人民法院依职权"
    )
    application = models.OneToOneField(
        "ListingApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listing",
        verbose_name="纳入申请",
    )
    guarantee_confirmed = models.BooleanField(
        "已核实未提供充分有效担保",
        default=False,
        help_text="第1项情形：法官确认被执行人未提供充分有效担保（失信规定第3条第1项）",
    )
    order_confirmed = models.BooleanField(
        "已核实履行顺序不在后",
        default=False,
        help_text="第1项情形：法官确认被执行人的履行顺序不在后、依法可对其强制执行（失信规定第3条第3项）",
    )
    ability_confirmed = models.BooleanField(
        "已核实不属其他不应纳入情形",
        default=False,
        help_text="第1项情形：法官确认不存在其他不属于有履行能力而拒不履行的情形（失信规定第3条第4项）",
    )
    controlled_amount = models.DecimalField(
        "决定时已控制财产",
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="第1项情形：决定时财产登记中已查封、扣押、冻结、扣划的金额（元），系统读取（第3条第2项）",
    )
    owed_amount = models.DecimalField(
        "决定时尚欠金额",
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="第1项情形：决定时本案尚欠的本金、利息、迟延履行利息及费用（元），系统计算",
    )
    serious = models.BooleanField("情节严重", default=False, help_text="暴力、威胁妨碍执行情节严重或多次失信")
    extension_years = models.PositiveSmallIntegerField(
        "延长年数", default=0, help_text="情节严重的延长1至3年"
    )
    decided_on = models.DateField("决定日期", help_text="决定书作出之日，即生效之日")
    document_number = models.CharField(
        "决定书文号", max_length=64, unique=True, help_text="自动生成：案号之N，如（2026）粤0106执1号之1"
    )
    grace_months = models.PositiveSmallIntegerField("宽限期（月）", default=0, help_text="0为不设宽限期")
    publish_on = models.DateField("公布日期", db_index=True, help_text="宽限期届满后向社会公布")
    expires_on = models.DateField("期限届满日", null=True, blank=True, help_text="第1项情形无固定期限")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    removal_trigger = models.CharField(
        "删除事由", max_length=32, blank=True, choices=list(REMOVAL_TRIGGERS.items())
    )
    trigger_on = models.DateField(
        "删除事由发生日", null=True, blank=True, help_text="删除期限（3个工作日）自次日起算"
    )
    removal_due = models.DateField(
        "应删除日期", null=True, blank=True, db_index=True, help_text="事由发生后3个工作日内删除"
    )
    trigger_confirmed = models.BooleanField(
        "删除事由已确认",
        default=False,
        help_text="法官登记的删除事由由系统在3个工作日内自动删除；系统发现的终本两次查询无财产须法官确认无人提供有效线索",
    )
    removed_on = models.DateField("删除日期", null=True, blank=True)
    removal_note = models.CharField("删除说明", max_length=200, blank=True)
    registered = models.BooleanField(
        "已进入筛查名单", default=False, help_text="公布日起进入联合惩戒筛查名单"
    )
    exposed_on = models.DateField("曝光日期", null=True, blank=True, help_text="在曝光台公开曝光之日")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="承办人"
    )

    class Meta:
        verbose_name = "失信名单"
        verbose_name_plural = "失信名单"
        constraints = [
            models.UniqueConstraint(
                fields=["party"], condition=Q(status="active"), name="listing_one_active_per_party"
            )
        ]
        indexes = [models.Index(fields=["court", "status", "removal_due"], name="listing_court_due")]

    def __str__(self) -> str:
        return f"{self.name}（{self.document_number}）"


class ListingApplication(models.Model):
    """The applicant's application to list a debtor; the court decides within 15 days (Art 5(2))."""

    audit_protected = True

    class Status(models.TextChoices):
        PENDING = "pending", "待决定"
        GRANTED = "granted", "已纳入"
        REJECTED = "rejected", "不予纳入"

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    received_on = models.DateField("收到申请日期", help_text="收到书面申请之日，15日决定期限自此起算")
    decision_due = models.DateField("应决定日期", db_index=True, help_text="收到申请之日起15日内")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    reason = models.CharField("不予纳入理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "纳入失信申请"
        verbose_name_plural = "纳入失信申请"

    def __str__(self) -> str:
        return f"纳入申请（{self.received_on}）"


class Correction(models.Model):
    """A correction application (纠正申请, 失信规定 Arts 11–12) with its statutory due dates."""

    audit_protected = True

    class Ground(models.TextChoices):
        SHOULD_NOT_LIST = "should_not_list", "不应纳入失信名单"
        INACCURATE = "inaccurate", "记载和公布的失信信息不准确"
        SHOULD_DELETE = "should_delete", "失信信息应予删除"

    class Status(models.TextChoices):
        PENDING = "pending", "审查中"
        UPHELD = "upheld", "理由成立，待纠正"
        CORRECTED = "corrected", "已纠正"
        REJECTED = "rejected", "驳回"
        RECONSIDERING = "reconsidering", "上一级法院复议中"

    class HigherResult(models.TextChoices):
        UPHELD = "upheld", "驳回复议申请，维持原决定"
        REVOKED = "revoked", "撤销驳回决定，予以纠正"

    listing = models.ForeignKey(
        Listing, on_delete=models.PROTECT, related_name="corrections", verbose_name="失信记录"
    )
    ground = models.CharField(
        "申请事由", max_length=32, choices=Ground.choices, help_text="失信规定第11条所列三种情形之一"
    )
    detail = models.CharField("申请内容", max_length=300)
    received_on = models.DateField("收到申请日期")
    review_due = models.DateField("应审查完毕日期", help_text="收到书面申请之日起15日内")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField("审查决定日期", null=True, blank=True)
    fix_due = models.DateField("应纠正日期", null=True, blank=True, help_text="理由成立的，3个工作日内纠正")
    reconsideration_due = models.DateField(
        "复议申请截止日", null=True, blank=True, help_text="驳回决定送达之日起10日内向上一级法院申请复议"
    )
    fixed_on = models.DateField("纠正日期", null=True, blank=True)
    service_method = models.CharField(
        "驳回决定送达方式",
        max_length=16,
        blank=True,
        choices=list(SERVICE_METHODS.items()),
        help_text="驳回决定书向申请人送达的方式；空为尚未登记送达",
    )
    service_act_on = models.DateField(
        "驳回决定送达行为日", null=True, blank=True, help_text="签收、留置、邮寄签收或公告发布之日"
    )
    served_on = models.DateField(
        "驳回决定送达日期",
        null=True,
        blank=True,
        help_text="送达生效之日（公告送达的，公告之日起经过30日）；复议申请期限自此起算（失信规定第12条）",
    )
    reconsideration_filed_on = models.DateField(
        "收到复议申请日期", null=True, blank=True, help_text="上一级法院收到复议申请之日"
    )
    review_court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="复议法院",
        help_text="作出驳回决定的执行法院的上一级法院",
    )
    higher_review_due = models.DateField(
        "复议应审查完毕日期", null=True, blank=True, help_text="上一级法院收到复议申请之日起15日内"
    )
    higher_result = models.CharField(
        "复议结果", max_length=16, choices=HigherResult.choices, blank=True, help_text="上一级法院的复议决定"
    )
    higher_decided_on = models.DateField("复议决定日期", null=True, blank=True)

    class Meta:
        verbose_name = "纠正申请"
        verbose_name_plural = "纠正申请"

    def __str__(self) -> str:
        return f"纠正申请：{self.get_ground_display()}"
