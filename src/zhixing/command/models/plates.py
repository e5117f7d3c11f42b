"""Vehicle watch (车辆布控): the watchlist, the parking operators that stream plate reads, and the hits.

Only reads of watched plates are kept (`PlateHit`): a read of any other car is matched in memory and
dropped, so the platform keeps no movement record of people who owe nothing (ADR 0027).
"""

from __future__ import annotations

from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court

from .alerts import Alert


class WatchedPlate(models.Model):
    """A seized vehicle's plate under watch; built from the asset register (inquiry's queries)."""

    audit_protected = True

    plate = models.CharField("车牌号", max_length=12, help_text="规范化后的车牌号，如 粤AB5218")
    asset_id = models.BigIntegerField("财产编号", help_text="查控财产登记中该车辆的编号", unique=True)
    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="+", verbose_name="案件")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    description = models.CharField("车辆说明", max_length=200, blank=True)
    active = models.BooleanField("布控中", default=True, help_text="解除查封后自动撤控")
    since = models.DateTimeField("布控时间")

    class Meta:
        verbose_name = "布控车辆"
        verbose_name_plural = "布控车辆"
        indexes = [models.Index(fields=["court", "active"], name="cmd_watch_court")]

    def __str__(self) -> str:
        return self.plate


class ParkingOperator(models.Model):
    """A parking operator (停车场运营方) streaming plate reads with its API key (X-Partner-Key)."""

    audit_protected = True
    audit_secret_fields = ("key_digest",)

    name = models.CharField("单位名称", max_length=64, unique=True)
    key_digest = models.CharField("接口密钥摘要", max_length=64, unique=True, editable=False)
    key_prefix = models.CharField("密钥前缀", max_length=12, editable=False, help_text="便于核对，非完整密钥")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, help_text="吊销后密钥立即失效")

    class Meta:
        verbose_name = "停车场运营方"
        verbose_name_plural = "停车场运营方"

    def __str__(self) -> str:
        return self.name


class CarPark(models.Model):
    """A car park of an operator, with its address and position (for the nearest team)."""

    operator = models.ForeignKey(
        ParkingOperator, on_delete=models.CASCADE, related_name="car_parks", verbose_name="运营方"
    )
    code = models.CharField("停车场编码", max_length=32, help_text="运营方系统中的停车场编码")
    name = models.CharField("停车场名称", max_length=100)
    address = models.CharField("地址", max_length=200)
    latitude = models.FloatField("纬度")
    longitude = models.FloatField("经度")

    class Meta:
        verbose_name = "停车场"
        verbose_name_plural = "停车场"
        constraints = [models.UniqueConstraint(fields=["operator", "code"], name="cmd_carpark_unique")]

    def __str__(self) -> str:
        return self.name


class PlateHit(models.Model):
    """A plate read that matched a watched plate (kept once per operator read id): an alert, or a possible
    sighting (疑似) without one."""

    operator = models.ForeignKey(
        ParkingOperator, on_delete=models.PROTECT, related_name="+", verbose_name="运营方"
    )
    read_id = models.CharField("识别记录号", max_length=64, help_text="运营方的识别记录编号，用于去重")
    plate_read = models.CharField("识别车牌", max_length=12, help_text="摄像头识别出的车牌")
    watch = models.ForeignKey(
        WatchedPlate, on_delete=models.CASCADE, related_name="+", verbose_name="布控车辆"
    )
    score = models.FloatField("匹配度", help_text="1.0为完全一致；每个易混字符扣分")
    seen_at = models.DateTimeField("出现时间")
    car_park = models.ForeignKey(CarPark, on_delete=models.PROTECT, related_name="+", verbose_name="停车场")
    camera = models.CharField("摄像头", max_length=64, blank=True)
    alert = models.ForeignKey(
        Alert,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="预警",
        null=True,
        blank=True,
        help_text="为空表示疑似出现：易混字符多于布控名单规模所容许的个数，只记录不预警、不通知",
    )

    class Meta:
        verbose_name = "布控命中"
        verbose_name_plural = "布控命中"
        constraints = [models.UniqueConstraint(fields=["operator", "read_id"], name="cmd_hit_once_per_read")]
        # The retention purge (`sightings.purge`) reads the possible sightings by age only.
        indexes = [
            models.Index(
                fields=["seen_at"], name="cmd_hit_possible_age", condition=models.Q(alert__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.plate_read} {self.read_id}"
