"""E-service (电子送达): the addresses a party confirmed, each service of a document, and every outbound
message with its delivery proof. Re-exported by `models.py`.

`Delivery` is the one outbox of party-facing messages: a document's service attempt on one channel, a
node push (定向推送), a sign-in code. Each row is a retryable message with its own idempotency key;
`dispatch.run_once` claims due rows, sends them and records the proof (sent, delivered, opened, with
times). A service that fails on one channel falls back to the next channel its address allows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    SMS = "sms", "短信（附链接）"
    EMAIL = "email", "电子邮件"
    PORTAL = "portal", "当事人门户"


# The order a service tries the channels in when the address allows several: the portal first (it
# costs nothing and proves opening), then SMS with a link, then e-mail.
CHANNEL_ORDER = (Channel.PORTAL, Channel.SMS, Channel.EMAIL)


class ServiceAddress(models.Model):
    """送达地址确认书: where a party agreed to be served electronically, per case and party."""

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.PROTECT, related_name="+", verbose_name="案件"
    )
    party_id = models.IntegerField("当事人", help_text="确认地址的当事人编号")
    phone = models.CharField("手机号码", max_length=11, blank=True, help_text="接收短信送达和门户登录验证码")
    email = models.EmailField("电子邮箱", blank=True, help_text="接收电子邮件送达")
    portal = models.BooleanField("同意门户送达", default=False, help_text="同意通过当事人门户接收文书")
    postal_address = models.CharField(
        "邮寄地址", max_length=200, blank=True, help_text="电子送达均失败时邮寄送达的地址"
    )
    electronic_consent = models.BooleanField(
        "同意电子送达", default=False, help_text="当事人在确认书上同意电子送达（民事诉讼法第九十条）"
    )
    confirmed_on = models.DateField("确认日期", help_text="当事人签署送达地址确认书的日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )

    class Meta:
        verbose_name = "送达地址确认书"
        verbose_name_plural = "送达地址确认书"
        constraints = [models.UniqueConstraint(fields=["case", "party_id"], name="service_address_unique")]
        indexes = [models.Index(fields=["phone"], name="service_address_phone")]

    def __str__(self) -> str:
        return f"送达地址确认书（案件{self.case_id}，当事人{self.party_id}）"


class Service(models.Model):
    """One document served electronically on one party: its channels in order and its outcome."""

    class Status(models.TextChoices):
        SERVING = "serving", "送达中"
        SERVED = "served", "已送达"
        FAILED = "failed", "电子送达失败"

    document = models.ForeignKey("Document", on_delete=models.PROTECT, related_name="+", verbose_name="文书")
    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.PROTECT, related_name="+", verbose_name="案件"
    )
    party_id = models.IntegerField("受送达人", help_text="受送达当事人的编号")
    party_name = models.CharField("受送达人姓名/名称", max_length=128)
    channels = models.JSONField(
        "送达渠道顺序", default=list, help_text="依次尝试的渠道；前一渠道失败才用下一渠道"
    )
    status = models.CharField("送达状态", max_length=16, choices=Status.choices, default=Status.SERVING)
    served_on = models.DateField(
        "送达日期", null=True, blank=True, help_text="文书到达受送达人特定系统之日（民事诉讼法第九十条）"
    )
    served_channel = models.CharField("送达渠道", max_length=16, blank=True)
    opened_at = models.DateTimeField("首次查阅时间", null=True, blank=True)
    failure = models.CharField("失败原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="送达人",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    class Meta:
        verbose_name = "电子送达"
        verbose_name_plural = "电子送达"
        constraints = [
            models.UniqueConstraint(fields=["document", "party_id"], name="service_document_party_unique")
        ]
        indexes = [models.Index(fields=["case", "party_id"], name="service_case_party")]

    def __str__(self) -> str:
        return f"电子送达#{self.pk}"


class Delivery(models.Model):
    """One outbound message to a party on one channel, with its delivery proof."""

    audit_secret_fields = ("token",)

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        DELIVERED = "delivered", "已送达"
        FAILED = "failed", "发送失败"

    class Purpose(models.TextChoices):
        SERVICE = "service", "文书送达"
        NODE_PUSH = "node_push", "节点推送"
        CODE = "code", "登录验证码"

    purpose = models.CharField("用途", max_length=16, choices=Purpose.choices)
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name="送达",
    )
    case_id = models.IntegerField("案件", null=True, blank=True)
    court_id = models.IntegerField("法院", null=True, blank=True)
    party_id = models.IntegerField("当事人", null=True, blank=True)
    source = models.CharField("来源", max_length=64, blank=True, help_text="如 node:123（推送的节点）")
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    address = models.CharField("地址", max_length=254, help_text="手机号码或电子邮箱；门户为空")
    subject = models.CharField("标题", max_length=120, blank=True)
    text = models.CharField("内容", max_length=500)
    token = models.CharField("查阅令牌", max_length=64, blank=True, help_text="短信/邮件中链接的随机令牌")
    key = models.CharField("幂等键", max_length=64, unique=True, help_text="重发同一消息时使用同一个键")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    tries = models.PositiveSmallIntegerField("已尝试次数", default=0)
    due_at = models.DateTimeField("下次发送时间")
    lease_until = models.DateTimeField("处理租约到期", null=True, blank=True)
    sent_at = models.DateTimeField("发出时间", null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True, help_text="到达受送达人系统的时间")
    opened_at = models.DateTimeField("查阅时间", null=True, blank=True, help_text="当事人首次打开的时间")
    error = models.CharField("最近错误", max_length=200, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "送达/推送消息"
        verbose_name_plural = "送达/推送消息"
        indexes = [
            models.Index(fields=["due_at"], name="delivery_queued_due", condition=Q(status="queued")),
            models.Index(fields=["service", "id"], name="delivery_service"),
            models.Index(fields=["token"], name="delivery_token", condition=~Q(token="")),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}#{self.pk}"
