"""Dispatch (指挥调度): field tasks for a team with a vehicle and bailiffs, their history and evidence.

A team's duty post (its position) lets a plate hit go to the nearest available team. Evidence files
are stored with the SHA-256 computed at upload; the same hash is in the audit chain, so a file or a row
changed afterwards no longer agrees with the chain (取证全程留痕).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court, Team

from .alerts import Alert


class TeamPost(models.Model):
    """Where a team waits for tasks (执勤点), for choosing the nearest team."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="+", verbose_name="执行团队")
    label = models.CharField("执勤点", max_length=100, help_text="如 法院执行局停车场")
    latitude = models.FloatField("纬度")
    longitude = models.FloatField("经度")
    on_duty = models.BooleanField("在岗", default=True, help_text="不在岗的团队不参与就近派警")

    class Meta:
        verbose_name = "团队执勤点"
        verbose_name_plural = "团队执勤点"

    def __str__(self) -> str:
        return self.label


class Vehicle(models.Model):
    """A court's enforcement vehicle (执行车辆)."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    plate = models.CharField("车牌号", max_length=12, help_text="执行车辆的车牌号")
    name = models.CharField("车辆", max_length=64, help_text="如 执行指挥车1号")

    class Meta:
        verbose_name = "执行车辆"
        verbose_name_plural = "执行车辆"
        constraints = [models.UniqueConstraint(fields=["court", "plate"], name="cmd_vehicle_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.plate}）"


class FieldTask(models.Model):
    """A field task (外勤任务) from a case or an alert, for a team at a time and place."""

    audit_protected = True

    class Kind(models.TextChoices):
        SEARCH = "search", "搜查"
        SEAL = "seal", "查封"
        SEIZE_VEHICLE = "seize_vehicle", "扣押车辆"
        SERVE = "serve", "送达文书"
        INVESTIGATE = "investigate", "现场调查"

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "已派出"
        EN_ROUTE = "en_route", "出发"
        ON_SITE = "on_site", "到达现场"
        DONE = "done", "已完成"
        CANCELLED = "cancelled", "已取消"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(
        EnforcementCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="案件",
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks", verbose_name="来源预警"
    )
    kind = models.CharField("任务类型", max_length=16, choices=Kind.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name="执行团队")
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="车辆"
    )
    bailiffs = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name="司法警察",
        help_text="随队司法警察",
    )
    target = models.CharField("执行对象", max_length=200, help_text="如 被执行人车辆 粤AB5218、被执行人住所")
    place = models.CharField("地点", max_length=200, help_text="任务地址")
    latitude = models.FloatField("纬度", null=True, blank=True)
    longitude = models.FloatField("经度", null=True, blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("预计结束时间")
    instructions = models.TextField("指挥指令", blank=True, help_text="指挥中心对现场的要求")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="派出人"
    )
    created_at = models.DateTimeField("派出时间")

    class Meta:
        verbose_name = "外勤任务"
        verbose_name_plural = "外勤任务"
        indexes = [models.Index(fields=["team", "starts_at"], name="cmd_task_team_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target}"


class TaskStep(models.Model):
    """A task's history: dispatched, instructions, status changes."""

    task = models.ForeignKey(FieldTask, on_delete=models.CASCADE, related_name="steps", verbose_name="任务")
    status = models.CharField("状态", max_length=16, choices=FieldTask.Status.choices, blank=True)
    note = models.CharField("说明或指令", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "任务记录"
        verbose_name_plural = "任务记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display() or '指令'} {self.at:%Y-%m-%d %H:%M}"


class Evidence(models.Model):
    """A photo or video taken on site, with the time, position and content hash recorded at upload."""

    audit_protected = True

    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        VIDEO = "video", "视频"

    task = models.ForeignKey(
        FieldTask, on_delete=models.PROTECT, related_name="evidence", verbose_name="任务"
    )
    case = models.ForeignKey(
        EnforcementCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="案件",
    )
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    filename = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("内容哈希", max_length=64, help_text="上传时计算的SHA-256，已写入审计链")
    stored_as = models.CharField("存储路径", max_length=200, editable=False)
    captured_at = models.DateTimeField("拍摄时间", help_text="拍摄设备报告的时间")
    latitude = models.FloatField("纬度", null=True, blank=True)
    longitude = models.FloatField("经度", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传完成时间")
    audit_id = models.BigIntegerField("审计记录号", help_text="记录本文件哈希的审计记录")

    class Meta:
        verbose_name = "现场证据"
        verbose_name_plural = "现场证据"

    def __str__(self) -> str:
        return self.filename


class EvidenceUpload(models.Model):
    """A resumable upload in progress: the client sends chunks at `received` until `size` is reached."""

    audit_secret_fields = ("token",)  # whoever holds it may write into the upload

    token = models.UUIDField("上传标识", default=uuid.uuid4, unique=True, editable=False)
    task = models.ForeignKey(FieldTask, on_delete=models.CASCADE, related_name="+", verbose_name="任务")
    kind = models.CharField("类型", max_length=8, choices=Evidence.Kind.choices)
    filename = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("声明的哈希", max_length=64, help_text="客户端声明的SHA-256，完成时核对")
    received = models.PositiveBigIntegerField("已接收（字节）", default=0)
    captured_at = models.DateTimeField("拍摄时间")
    latitude = models.FloatField("纬度", null=True, blank=True)
    longitude = models.FloatField("经度", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    started_at = models.DateTimeField("开始时间")

    class Meta:
        verbose_name = "证据上传"
        verbose_name_plural = "证据上传"

    def __str__(self) -> str:
        return f"{self.filename} {self.received}/{self.size}"
