"""Proposals a judge decides and the record of every consequence applied."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court

from .rules import ACTION_LABELS, EVENT_LABELS, MEASURE_LABELS, Action, Event, Measure

EVENTS = [(e.value, EVENT_LABELS[e]) for e in Event]
MEASURES = [(m.value, MEASURE_LABELS[m]) for m in Measure]
ACTIONS = [(a.value, ACTION_LABELS[a]) for a in Action]


class Proposal(models.Model):
    """A consequence the table leaves to the judge: shown on the case, accepted in one click or declined
    with a reason. At most one open proposal per case and measure; a newer event supersedes it."""

    audit_protected = True

    class Status(models.TextChoices):
        OPEN = "open", "待决定"
        ACCEPTED = "accepted", "已采纳"
        DECLINED = "declined", "不予采纳"
        SUPERSEDED = "superseded", "已被新事件取代"
        MOOT = "moot", "已无可执行对象"

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="+", verbose_name="案件")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    event = models.CharField("触发事件", max_length=32, choices=EVENTS)
    measure = models.CharField("措施", max_length=16, choices=MEASURES)
    action = models.CharField("建议动作", max_length=16, choices=ACTIONS)
    article = models.CharField("依据", max_length=200, help_text="后果表中该项所引的法律条文")
    summary = models.CharField("建议内容", max_length=300, help_text="向法官说明要解除、撤回或删除什么及金额")
    targets = models.JSONField(
        "对象", default=list, help_text="财产、请求、限制措施或失信信息的编号（及金额）"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="决定人",
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decline_reason = models.CharField("不予采纳理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "措施联动建议"
        verbose_name_plural = "措施联动建议"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "measure"], condition=Q(status="open"), name="one_open_proposal_per_measure"
            )
        ]
        indexes = [models.Index(fields=["court", "status"], name="proposal_court_status")]

    def __str__(self) -> str:
        return self.summary


class Consequence(models.Model):
    """One consequence applied to a case's measure (automatically or on an accepted proposal), or one that
    could not be applied and waits for its retry — never silently skipped."""

    audit_protected = True

    class Status(models.TextChoices):
        APPLIED = "applied", "已执行"
        FAILED = "failed", "未能执行，待重试"
        GAVE_UP = "gave_up", "多次重试未成功，需人工处理"

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="+", verbose_name="案件")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    event = models.CharField("触发事件", max_length=32, choices=EVENTS)
    measure = models.CharField("措施", max_length=16, choices=MEASURES)
    action = models.CharField("动作", max_length=16, choices=ACTIONS)
    article = models.CharField("依据", max_length=200)
    summary = models.CharField("内容", max_length=300)
    targets = models.JSONField("对象", default=list)
    requests = models.JSONField("控制请求", default=list, help_text="因此发出的解除请求编号，反馈见查控记录")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="联动建议"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.APPLIED)
    error = models.CharField("未能执行的原因", max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=1)
    retry_at = models.DateTimeField("下次重试时间", null=True, blank=True)
    key = models.CharField(
        "唯一标识",
        max_length=80,
        blank=True,
        help_text="针对单一对象的后果（如某次拍卖的查封解除）的标识；同一后果只执行一次",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "措施联动记录"
        verbose_name_plural = "措施联动记录"
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="consequence_once_per_key")
        ]
        indexes = [
            models.Index(fields=["case", "created_at"], name="consequence_case"),
            models.Index(fields=["retry_at"], name="consequence_retry", condition=Q(status="failed")),
        ]

    def __str__(self) -> str:
        return self.summary
