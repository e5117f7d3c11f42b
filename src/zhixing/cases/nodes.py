"""Flow nodes of a case with their computed statutory deadlines, and the deadline alerts the scan raises.

Re-exported by `zhixing.cases.models`, so callers import them from there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhixing.courts.models import Court

from .reference import NodeType


class Node(models.Model):
    """A flow node of a case with its computed statutory deadline."""

    audit_protected = True

    class Status(models.TextChoices):
        PENDING = "pending", "未完成"
        DONE = "done", "已完成"
        CANCELLED = "cancelled", "已撤销"

    class Alerted(models.IntegerChoices):
        NONE = 0, "未预警"
        YELLOW = 1, "黄色预警"
        RED = 2, "红色超期"

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.CASCADE, related_name="nodes", verbose_name="案件"
    )
    node_type = models.ForeignKey(NodeType, on_delete=models.PROTECT, related_name="+", verbose_name="节点")
    # Copies of the case's court and handler so supervision counts need no join at 1 M cases.
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办人",
    )
    started_on = models.DateField("起算日", help_text="期限起算日（不计入期限）")
    due_on = models.DateField("期限届满日", null=True, blank=True, help_text="自动计算；中止期间为空")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="完成人",
    )
    document_ref = models.CharField(
        "文书/依据", max_length=128, blank=True, help_text="完成节点所依据的文书编号"
    )
    note = models.CharField("备注", max_length=200, blank=True)
    alerted = models.PositiveSmallIntegerField("已预警级别", choices=Alerted.choices, default=Alerted.NONE)
    # Set when a platform event completed the node (cases.services.node_events): which event, and a link to
    # the record it produced (the inquiry batch, the control request, the 限制消费令).
    event = models.CharField(
        "完成事件",
        max_length=32,
        blank=True,
        default="",
        help_text="由平台事件自动完成时的事件代码；手动办理为空",
    )
    link_url = models.CharField(
        "关联记录链接", max_length=200, blank=True, default="", help_text="完成本节点的平台记录的站内地址"
    )
    due_cap = models.DateField(
        "期限上限",
        null=True,
        blank=True,
        help_text="法定事由提前的期限届满日（如先行采取控制措施后3日内发出执行通知书，执行程序解释第22条）",
    )
    link_label = models.CharField(
        "关联记录",
        max_length=100,
        blank=True,
        default="",
        help_text="完成本节点的平台记录的名称，如 查控批次#12",
    )

    class Meta:
        verbose_name = "流程节点"
        verbose_name_plural = "流程节点"
        ordering = ["case", "due_on", "id"]
        indexes = [
            models.Index(
                fields=["due_on", "alerted"], name="node_pending_due", condition=Q(status="pending")
            ),
            # Supervision's overdue counts per court and handler read only this index; `status` is a column
            # too because SQLite re-checks a parameterised `status = %s` against the row otherwise.
            models.Index(
                fields=["court", "due_on", "handler", "status"],
                name="node_pending_court_due",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.node_type_id}"


class Alert(models.Model):
    """A deadline warning raised by the periodic scan for a node: yellow (due soon) or red (overdue).

    Shown to the node's handler and to the bureau directors of its court.
    """

    audit_protected = True

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="alerts", verbose_name="节点")
    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.CASCADE, related_name="+", verbose_name="案件"
    )
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办人",
    )
    level = models.PositiveSmallIntegerField("级别", choices=Node.Alerted.choices)
    due_on = models.DateField("期限届满日")
    raised_at = models.DateTimeField("预警时间")

    class Meta:
        verbose_name = "节点预警"
        verbose_name_plural = "节点预警"
        constraints = [models.UniqueConstraint(fields=["node", "level"], name="alert_once_per_level")]
        indexes = [
            models.Index(fields=["court", "-raised_at"], name="alert_court_recent"),
            models.Index(fields=["handler", "-raised_at"], name="alert_handler_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} 节点#{self.node_id} 期限{self.due_on}"
