"""Reference data an administrator maintains: case types, instrument types and flow-node types.

Kept as rows, not code, because several values in `rules.md` are UNCONFIRMED or local (type codes
other than 执/执恢/执保, node limits set by local rules, whether a limit counts working days).
"""

from django.core.exceptions import ValidationError
from django.db import models

from .rules import type_code_problem


class CaseType(models.Model):
    """A case-type code (类型代字) of the enforcement family (案号规定 appendix; rules.md §1.5)."""

    class Family(models.TextChoices):
        IMPLEMENTATION = "implementation", "执行实施类"
        REVIEW = "review", "执行审查类"

    code = models.CharField(
        "类型代字", max_length=3, unique=True, help_text="不超过3个汉字，如 执、执恢、执保"
    )
    name = models.CharField("名称", max_length=32, help_text="如 首次执行案件")
    family = models.CharField("类别", max_length=16, choices=Family.choices, default=Family.IMPLEMENTATION)
    is_resumption = models.BooleanField(
        "恢复执行类型", default=False, help_text="恢复执行立案时使用的类型（执恢）"
    )
    active = models.BooleanField("启用", default=True, help_text="停用后不能再以此类型立案")
    confirmed = models.BooleanField("已核实", default=False, help_text="代字是否已与最高法代字标准核实")

    class Meta:
        verbose_name = "案件类型"
        verbose_name_plural = "案件类型"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code}（{self.name}）"

    def clean(self) -> None:
        """案号规定 Art 7: a type code is at most 3 Chinese characters (the back office validates)."""
        problem = type_code_problem(self.code)
        if problem:
            raise ValidationError({"code": problem})


class InstrumentType(models.Model):
    """A kind of enforcement basis (执行依据): judgment, ruling, arbitral award, ..."""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=32, help_text="如 民事判决书")
    non_litigation = models.BooleanField(
        "非诉执行", default=False, help_text="勾选则执行期限为3个月（审限规定第5条：非诉执行案件）"
    )

    class Meta:
        verbose_name = "执行依据类型"
        verbose_name_plural = "执行依据类型"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class NodeType(models.Model):
    """A flow node with its statutory time limit; how the limit is counted is data."""

    class Unit(models.TextChoices):
        WORKDAYS = "workdays", "工作日"
        DAYS = "days", "自然日"
        MONTHS = "months", "月"

    class Anchor(models.TextChoices):
        APPLIED = "applied", "收到申请之日"
        FILED = "filed", "立案之日"
        # The handling officer receives the case materials when the case is assigned (分案): nodes so
        # anchored are created by the first assignment, e.g. asking the applicant for asset leads
        # within 3 days (2006 期限规定 Art 5).
        ASSIGNED = "assigned", "承办人收到案件材料之日（分案）"
        CREATED = "created", "节点生成之日"

    class Completion(models.TextChoices):
        MANUAL = "manual", "手动办理"
        ON_FILING = "on_filing", "立案时完成"
        ON_ASSIGNMENT = "on_assignment", "分案时完成"
        ON_CLOSING = "on_closing", "结案时完成"
        # An internal target the bureau sets when it routes a case to a track (繁简分流, e.g. 简案 3 months):
        # created by the triage decision, never added or completed by hand, done when the case closes.
        TRACK_TERM = "track_term", "分流后生成、结案时完成"

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("节点名称", max_length=48)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    budget = models.PositiveSmallIntegerField("期限", help_text="期限数值，单位见“计算单位”")
    budget_non_litigation = models.PositiveSmallIntegerField(
        "非诉案件期限", null=True, blank=True, help_text="非诉执行案件适用的期限；为空则与普通案件相同"
    )
    unit = models.CharField(
        "计算单位", max_length=16, choices=Unit.choices, help_text="按工作日、自然日或月计算"
    )
    anchor = models.CharField("起算", max_length=16, choices=Anchor.choices, default=Anchor.FILED)
    roll_to_workday = models.BooleanField(
        "届满日遇节假日顺延",
        default=True,
        help_text="民事诉讼法第85条：期间届满的最后一日是法定休假日的，顺延",
    )
    pausable = models.BooleanField("中止期间不计", default=True, help_text="中止执行期间是否停止计算")
    extendable = models.BooleanField("可延长", default=False, help_text="批准延长执行期限时是否顺延本节点")
    auto_create = models.BooleanField(
        "立案时生成", default=True, help_text="不勾选则由承办人按需添加（如核查财产线索）"
    )
    completion = models.CharField(
        "完成方式", max_length=16, choices=Completion.choices, default=Completion.MANUAL
    )
    yellow_workdays = models.PositiveSmallIntegerField(
        "黄色预警提前工作日", default=2, help_text="距期限届满不超过该工作日数时显示黄色预警"
    )
    legal_basis = models.CharField("依据", max_length=200, blank=True, help_text="规定出处，未核实的注明")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "流程节点类型"
        verbose_name_plural = "流程节点类型"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name
