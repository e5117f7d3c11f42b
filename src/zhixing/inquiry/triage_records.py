"""Triage records (繁简分流, seed 004): a case's proposal and decision, and the facts people flag.

Kept apart from the register models in `models.py`, which re-exports them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court


class CaseTriage(models.Model):
    """The case's triage (繁简分流, seed 004): the current proposal with its reasons, and the decision.

    Re-evaluated whenever an inquiry round of the case completes and whenever a flag changes
    (`services.triage`); a decision moves the case to the track's team and starts the track's term.
    A new proposal that differs from the decided track puts the case back in the queue (the decided
    track stays in force until the bureau decides again).
    """

    audit_protected = True

    class Track(models.TextChoices):
        SIMPLE = "simple", "简案快执"
        COMPLEX = "complex", "繁案精办"
        DORMANT = "dormant", "无财产（拟终本）"

    class Status(models.TextChoices):
        WAITING = "waiting", "待满足分流条件"
        PROPOSED = "proposed", "待决定"
        ACCEPTED = "accepted", "已采纳建议"
        OVERRIDDEN = "overridden", "已调整分流"

    case = models.OneToOneField(
        EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件"
    )
    court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="法院",
        help_text="案件的执行法院（分流队列按此筛选）",
    )
    status = models.CharField(
        "分流状态", max_length=16, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    proposed = models.CharField(
        "建议分流", max_length=16, choices=Track.choices, blank=True, help_text="为空表示尚未满足分流条件"
    )
    reasons = models.JSONField(
        "建议理由", default=list, help_text="[{code, text, source, recorded}]，每条注明出处"
    )
    also = models.JSONField("同时符合", default=list, help_text="案件同时符合的其他分流标准")
    waiting = models.CharField("等待原因", max_length=200, blank=True, help_text="尚不能提出建议的原因")
    rounds = models.PositiveSmallIntegerField("已完成查控轮数", default=0)
    evaluated_at = models.DateTimeField("最近评估时间", null=True, blank=True)
    track = models.CharField(
        "确定分流",
        max_length=16,
        choices=Track.choices,
        blank=True,
        help_text="执行局确定的分流；为空表示尚未确定",
    )
    override_reason = models.CharField("调整理由", max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="决定人",
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    effects = models.JSONField(
        "分流效果", default=dict, blank=True, help_text="决定的效果：移送的团队、承办人、分流期限"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "繁简分流"
        verbose_name_plural = "繁简分流"
        indexes = [models.Index(fields=["court", "status", "evaluated_at"], name="triage_court_status")]

    def __str__(self) -> str:
        return self.get_track_display() or self.get_status_display()


class TriageFlag(models.Model):
    """A fact for triage the platform cannot know, recorded by a person (who, when, why); cleared, never
    deleted.

    Likely settlement, disputed law and major local impact are recorded by the case's court (judge or
    director); designation (指定执行) by a user of a higher court.
    """

    audit_protected = True

    class Kind(models.TextChoices):
        SETTLEMENT = "settlement", "当事人可能和解或可能自动履行完毕"
        DISPUTED_LAW = "disputed_law", "案情疑难复杂、法律关系存在冲突"
        MAJOR_IMPACT = "major_impact", "在辖区内有重大影响"
        DESIGNATED = "designated", "上级法院指定执行"

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    kind = models.CharField("标注事项", max_length=16, choices=Kind.choices)
    note = models.CharField("依据或说明", max_length=200, help_text="如 和解意向的来源、指定执行文书文号")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="标注人"
    )
    set_by_court = models.ForeignKey(
        Court, on_delete=models.PROTECT, related_name="+", verbose_name="标注法院", help_text="标注人所在法院"
    )
    set_at = models.DateTimeField("标注时间")
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤销人",
    )
    cleared_at = models.DateTimeField("撤销时间", null=True, blank=True)
    clear_reason = models.CharField("撤销理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "分流事实标注"
        verbose_name_plural = "分流事实标注"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(cleared_at__isnull=True), name="triage_flag_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
