"""The partner institutions (联动单位) and their categories."""

from __future__ import annotations

from django.db import models


class PartnerCategory(models.Model):
    """One of the asset/information categories searchable through the network (16 nationally)."""

    code = models.CharField("类别代码", max_length=32, unique=True, help_text="如 deposit、real_estate")
    name = models.CharField("类别名称", max_length=32, help_text="如 银行存款、不动产")
    asset_kind = models.CharField(
        "财产形态",
        max_length=16,
        default="info",
        help_text=(
            "funds 资金（可冻结扣划）/ real_estate 不动产 / movable 动产 / right 其他财产权 / info 仅信息"
        ),
    )
    default_selected = models.BooleanField(
        "一键查控默认勾选", default=True, help_text="一键查控时是否默认查询此类"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "查控财产类别"
        verbose_name_plural = "查控财产类别"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """A partner institution connected to the network (联动单位), kept as data."""

    audit_secret_fields = ("shared_secret",)  # never in the audit trail (core.audit_policy)

    class Channel(models.TextChoices):
        NATIONAL = "national", "总对总"
        DIRECT = "direct", "点对点"

    code = models.CharField("机构代码", max_length=32, unique=True, help_text="协议中 X-ZX-Partner 的取值")
    name = models.CharField("机构名称", max_length=64)
    category = models.ForeignKey(
        PartnerCategory, on_delete=models.PROTECT, related_name="partners", verbose_name="财产类别"
    )
    channel = models.CharField("接入方式", max_length=16, choices=Channel.choices, default=Channel.NATIONAL)
    actions = models.JSONField(
        "支持的操作", default=list, help_text="query/freeze/deduct/seize/release/renew 中该机构支持的操作"
    )
    base_url = models.CharField(
        "接口地址", max_length=200, blank=True, help_text="为空时使用配置 ZHIXING_SANDBOX_URL（模拟联动单位）"
    )
    shared_secret = models.CharField("共享密钥", max_length=128, help_text="HMAC-SHA256 签名密钥，双方共享")
    adapter = models.CharField(
        "适配器", max_length=32, default="protocol", help_text="protocol：标准签名JSON协议"
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "联动单位"
        verbose_name_plural = "联动单位"
        ordering = ["category__order", "code"]

    def __str__(self) -> str:
        return self.name

    def supports(self, action: str) -> bool:
        return action in (self.actions or [])
