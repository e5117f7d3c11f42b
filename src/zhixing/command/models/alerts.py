"""The platform's one alert stream (预警): every domain's warnings as rows with an owner and a history.

An alert is raised once per `source_key` (the domain event it stands for, e.g. ``control:812:lapsed``),
routed to the responsible person (the case handler) and the command center of its court, then
acknowledged, acted on and closed; every step is an `AlertStep` and an audit record. The primary key is the
stream's sequence number: a screen that lost its connection asks for everything after the last id it saw.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court
from zhixing.courts.roles import Role


class Alert(models.Model):
    audit_protected = True

    class Kind(models.TextChoices):
        NODE_OVERDUE = "node_overdue", "流程节点超期"
        CONTROL_EXPIRING = "control_expiring", "控制措施即将到期"
        CONTROL_LAPSED = "control_lapsed", "控制措施已失效"
        PAYOUT_OVERDUE = "payout_overdue", "案款发放超期"
        REMOVAL_OVERDUE = "removal_overdue", "失信名单删除超期"
        RECEIPT_UNCLAIMED = "receipt_unclaimed", "不明款超期未认领"
        PLATE_HIT = "plate_hit", "布控车辆出现"
        INTERCEPTION = "interception", "被执行人出行被拦截"
        TIP_OFF = "tip_off", "群众举报线索"
        SETTLEMENT_MISSED = "settlement_missed", "执行和解协议逾期未履行"
        OBJECTION_LATE = "objection_late", "执行异议逾期未通知或未送达"

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        ACKNOWLEDGED = "acknowledged", "已签收"
        ACTING = "acting", "处置中"
        CLOSED = "closed", "已办结"

    kind = models.CharField("预警类型", max_length=24, choices=Kind.choices)
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(
        EnforcementCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="案件",
        help_text="预警所属案件；不属于具体案件（如不明款）时为空",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="责任人",
        help_text="预警推送给的责任人（案件承办人）；指挥中心按法院范围查看全部预警",
    )
    routed_role = models.CharField(
        "承办岗位",
        max_length=16,
        choices=Role.choices,
        blank=True,
        help_text="不属于具体案件、没有责任人的预警（如超期不明款）推送给本院该岗位的全体人员，任何一人均可签收处置",
    )
    subject = models.CharField("事项", max_length=200, help_text="一句话说明预警的对象，如车牌号、节点名称")
    detail = models.TextField("详情", blank=True, help_text="预警的具体情况，如出现地点、超期天数")
    place = models.CharField("地点", max_length=200, blank=True, help_text="车辆出现的停车场等地点")
    latitude = models.FloatField("纬度", null=True, blank=True)
    longitude = models.FloatField("经度", null=True, blank=True)
    due_at = models.DateTimeField("处置期限", null=True, blank=True, help_text="应在此时间前处置")
    source_key = models.CharField(
        "来源标识", max_length=120, unique=True, help_text="产生预警的事件标识；同一事件只预警一次"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    raised_at = models.DateTimeField("预警时间")
    updated_at = models.DateTimeField("最近处理时间")

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        indexes = [
            models.Index(fields=["court", "status", "-id"], name="cmd_alert_court_status"),
            models.Index(fields=["handler", "status", "-id"], name="cmd_alert_handler_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}"

    @property
    def responsible(self) -> str:
        """Who the alert is routed to, as the pages name it: the handler, else the post, else nobody."""
        if self.handler is not None:
            return str(self.handler.full_name)
        if self.routed_role:
            return f"本院{self.get_routed_role_display()}"
        return ""


class AlertStep(models.Model):
    """One step of an alert's history: raised, acknowledged, acted on (with what was done), closed."""

    audit_protected = True

    class Action(models.TextChoices):
        RAISE = "raise", "预警"
        ACKNOWLEDGE = "acknowledge", "签收"
        ACT = "act", "处置"
        DISPATCH = "dispatch", "派警"
        CLOSE = "close", "办结"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="steps", verbose_name="预警")
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
        help_text="系统自动预警时为空",
    )
    note = models.CharField("说明", max_length=500, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "预警处理记录"
        verbose_name_plural = "预警处理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
