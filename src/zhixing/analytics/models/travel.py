"""Travel records (flights, trains, hotels) imported for a debtor."""

from __future__ import annotations

from django.db import models

from zhixing.cases.models import Party
from zhixing.core import localtime

from .imports import MONEY, ImportJob


class TravelRecord(models.Model):
    """A flight, train ride or hotel stay of the debtor."""

    audit_protected = True

    class Kind(models.TextChoices):
        FLIGHT = "flight", "航班"
        TRAIN = "train", "火车"
        HOTEL = "hotel", "酒店"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="travel", verbose_name="导入")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    row_no = models.PositiveIntegerField("文件行号")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    start_at = models.DateTimeField("开始时间", help_text="起飞/发车/入住时间")
    end_at = models.DateTimeField("结束时间", help_text="到达/离店时间")
    origin = models.CharField("出发地", max_length=64, blank=True)
    destination = models.CharField("目的地", max_length=64, blank=True)
    carrier = models.CharField("航班/车次/酒店", max_length=128, blank=True)
    seat_class = models.CharField("舱位/座席/星级", max_length=32, blank=True)
    amount = models.DecimalField("金额", **MONEY, null=True, blank=True)
    country = models.CharField("国家或地区", max_length=32, default="中国")

    class Meta:
        verbose_name = "出行住宿记录"
        verbose_name_plural = "出行住宿记录"
        ordering = ["party", "start_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {localtime.format_date(self.start_at)} {self.carrier}"
