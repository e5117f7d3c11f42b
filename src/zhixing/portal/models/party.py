"""The party portal's records: sign-in codes, messages and asset leads to the handler, node-push
configuration. Served documents and pushed notices are `documents.Delivery` rows (one outbox)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PortalCode(models.Model):
    """A verification code sent to a phone for signing in to the party portal (only its hash is kept)."""

    audit_secret_fields = ("code_hash",)

    phone = models.CharField("手机号码", max_length=11, db_index=True)
    code_hash = models.CharField("验证码摘要", max_length=64, help_text="验证码的HMAC-SHA256，不保存明文")
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")
    tries = models.PositiveSmallIntegerField("核验次数", default=0, help_text="达到上限后此验证码作废")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "门户登录验证码"
        verbose_name_plural = "门户登录验证码"

    def __str__(self) -> str:
        return f"验证码#{self.pk}"


class PartyMessage(models.Model):
    """A message or an asset lead (财产线索) a party sent to the case's handler from the portal."""

    class Kind(models.TextChoices):
        MESSAGE = "message", "留言"
        LEAD = "lead", "财产线索"

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.PROTECT, related_name="+", verbose_name="案件"
    )
    party_id = models.IntegerField("当事人", help_text="发送人（本案当事人）的编号")
    party_name = models.CharField("当事人姓名/名称", max_length=128)
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    text = models.TextField("内容", max_length=2000)
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    read_at = models.DateTimeField("承办人阅读时间", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="阅读人",
    )

    class Meta:
        verbose_name = "当事人留言与线索"
        verbose_name_plural = "当事人留言与线索"
        indexes = [models.Index(fields=["case", "-id"], name="party_message_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}#{self.pk}"


class NodePushRule(models.Model):
    """定向推送 configuration: which completed node kinds are pushed to the parties, on which channel."""

    class Channel(models.TextChoices):
        PORTAL = "portal", "当事人门户"
        SMS = "sms", "短信"

    class Audience(models.TextChoices):
        ALL = "all", "全部当事人"
        APPLICANT = "applicant", "申请执行人"
        DEBTOR = "debtor", "被执行人"

    node_code = models.CharField(
        "节点代码", max_length=32, help_text="流程节点类型的代码，如 notice、inquiry"
    )
    channel = models.CharField("推送渠道", max_length=16, choices=Channel.choices)
    audience = models.CharField("推送对象", max_length=16, choices=Audience.choices, default=Audience.ALL)
    enabled = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "节点推送配置"
        verbose_name_plural = "节点推送配置"
        constraints = [models.UniqueConstraint(fields=["node_code", "channel"], name="node_push_rule_unique")]

    def __str__(self) -> str:
        return f"{self.node_code}→{self.channel}"
