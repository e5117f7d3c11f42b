"""Joint-punishment and media partners (联合惩戒单位) and the interceptions they report."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhixing.cases.models import EnforcementCase
from zhixing.core.localtime import MINUTE_FORMAT, format_datetime


class Partner(models.Model):
    """A joint-punishment partner (联合惩戒单位) or media partner, authenticated by an API key."""

    audit_protected = True
    # never in the audit trail (core.audit_policy)
    audit_secret_fields = ("key_digest", "hmac_key", "shared_secret")

    class Kind(models.TextChoices):
        AIRLINE = "airline", "航空公司"
        RAILWAY = "railway", "铁路"
        HOTEL = "hotel", "酒店集团"
        MARKET = "market", "市场监管部门"
        BANK = "bank", "银行"
        RECRUITMENT = "recruitment", "招录单位"
        MEDIA = "media", "媒体"
        BORDER = "border", "出入境边防检查"

    name = models.CharField("单位名称", max_length=64, unique=True)
    kind = models.CharField("单位类型", max_length=16, choices=Kind.choices, help_text="决定可查看的限制事项")
    key_digest = models.CharField("接口密钥摘要", max_length=64, unique=True, editable=False)
    key_prefix = models.CharField("密钥前缀", max_length=12, editable=False, help_text="便于核对，非完整密钥")
    hmac_key = models.CharField(
        "隐私模式共享密钥",
        max_length=64,
        editable=False,
        help_text="隐私模式下双方用于计算身份证号HMAC-SHA256的共享密钥",
    )
    rate_per_minute = models.PositiveIntegerField("每分钟调用上限", default=600)
    area_code = models.CharField(
        "覆盖地区代码",
        max_length=6,
        blank=True,
        help_text="媒体：覆盖的行政区划代码前缀（2位省、4位市、6位县）；为空表示全国",
    )
    # Media partners receive exposure notices over the signed partner protocol (docs/partner-protocol.md).
    code = models.CharField(
        "协议代码",
        max_length=32,
        blank=True,
        default="",
        help_text="媒体：签名协议中 X-ZX-Partner 的取值，如 MEDIA-GZTV",
    )
    shared_secret = models.CharField(
        "协议共享密钥",
        max_length=128,
        blank=True,
        default="",
        help_text="媒体：HMAC-SHA256 签名密钥，双方共享",
    )
    base_url = models.CharField(
        "接口地址",
        max_length=200,
        blank=True,
        default="",
        help_text="媒体：为空时使用配置 ZHIXING_SANDBOX_URL（模拟联动单位）",
    )
    # Least knowledge (docs/credit.md "Privacy mode and the change feed").
    privacy_mode = models.BooleanField(
        "隐私模式",
        default=False,
        help_text="开启后只能使用隐私模式接口（哈希比对与哈希变更订阅），明文身份号码接口一律拒绝（403）",
    )
    full_sync = models.BooleanField(
        "可全量同步",
        default=False,
        help_text="允许从游标0读取变更订阅的全部历史（全量同步）；否则只能读取本单位登记之后的变更",
    )
    feed_floor = models.BigIntegerField(
        "订阅起点",
        default=0,
        editable=False,
        help_text="本单位登记时最后一条限制变更记录编号；不可全量同步的单位从此之后读取变更",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, help_text="吊销后密钥立即失效")

    class Meta:
        verbose_name = "联合惩戒单位"
        verbose_name_plural = "联合惩戒单位"
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="credit_partner_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class Interception(models.Model):
    """One blocked attempt a partner reported (拦截回执): a count on the case and a lead for the judge."""

    audit_protected = True

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    case = models.ForeignKey(
        EnforcementCase, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="案件"
    )
    subject_key = models.CharField("身份号码", max_length=18)
    code = models.CharField("拦截事项", max_length=16)
    at = models.DateTimeField("拦截时间")
    channel = models.CharField("渠道", max_length=64, help_text="如 App、售票窗口")
    place = models.CharField("地点", max_length=128)

    class Meta:
        verbose_name = "拦截回执"
        verbose_name_plural = "拦截回执"
        indexes = [models.Index(fields=["case", "code"], name="interception_case_code")]

    def __str__(self) -> str:
        return f"拦截 {self.code} {format_datetime(self.at, MINUTE_FORMAT)}"
