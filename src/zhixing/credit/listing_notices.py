"""Art 8 notices (失信通报): the recipients, what the clerk records about a debtor, and each notice row.

失信规定 Art 8: a listing is notified to the credit-reporting agency (征信中心), to a state functionary's
employer, and to the superior of a state organ or state-owned enterprise; the same recipients are told
of the deletion. Recipients are institutions reached over the signed partner protocol
(docs/partner-protocol.md "Art 8 notices"); the sandbox simulates them. Each `ListingNotice` is one
outbound message and its own durable timer (DESIGN invariant 6), like `ExposureNotice`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .rules import NOTICE_EVENTS, RECIPIENT_KINDS, UNIT_NATURES


class NoticeRecipient(models.Model):
    """An institution the court notifies of listings (征信中心, an employer, a superior department)."""

    audit_protected = True
    audit_secret_fields = ("shared_secret",)

    class Kind(models.TextChoices):
        CREDIT_BUREAU = "credit_bureau", RECIPIENT_KINDS["credit_bureau"]
        EMPLOYER = "employer", RECIPIENT_KINDS["employer"]
        SUPERIOR = "superior", RECIPIENT_KINDS["superior"]

    name = models.CharField("单位名称", max_length=64, unique=True)
    kind = models.CharField("通报对象类型", max_length=16, choices=Kind.choices)
    code = models.CharField(
        "协议代码", max_length=32, unique=True, help_text="签名协议中 X-ZX-Partner 的取值，如 PBOC-CRC"
    )
    shared_secret = models.CharField(
        "协议共享密钥", max_length=128, help_text="HMAC-SHA256 签名密钥，双方共享"
    )
    base_url = models.CharField(
        "接口地址", max_length=200, blank=True, default="", help_text="为空时使用配置 ZHIXING_SANDBOX_URL"
    )
    active = models.BooleanField("启用", default=True, help_text="停用后不再向其发送新的通报")

    class Meta:
        verbose_name = "失信通报对象"
        verbose_name_plural = "失信通报对象"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class DebtorProfile(models.Model):
    """What the clerk records about a debtor for Art 8: state functionary and employer, unit nature and
    superior department. One row per party; absent means neither."""

    audit_protected = True

    party = models.OneToOneField(
        "cases.Party", on_delete=models.PROTECT, related_name="+", verbose_name="被执行人"
    )
    state_functionary = models.BooleanField(
        "公职人员", default=False, help_text="自然人被执行人为国家工作人员（含人大代表、政协委员等）"
    )
    employer = models.ForeignKey(
        NoticeRecipient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在单位",
        help_text="公职人员的工作单位（须为已接入的通报对象）",
    )
    unit_nature = models.CharField(
        "单位性质",
        max_length=24,
        blank=True,
        default="",
        choices=list(UNIT_NATURES.items()),
        help_text="单位被执行人为国家机关、事业单位、国有企业的，通报其上级单位或主管部门",
    )
    superior = models.ForeignKey(
        NoticeRecipient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上级单位/主管部门",
        help_text="国家机关、国有企业等的上级单位、主管部门或履行出资人职责的机构",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "被执行人通报信息"
        verbose_name_plural = "被执行人通报信息"

    def __str__(self) -> str:
        return f"通报信息#{self.pk}"


class ListingNotice(models.Model):
    """One Art 8 notice of a listing (or of its deletion) to one recipient, and its delivery.

    QUEUED → (sent) SENT when the recipient answered `accepted` (received, acknowledgement to follow by
    signed callback) or ACKNOWLEDGED when it answered `done`; FAILED after `max_attempts` unsuccessful
    sends (re-sendable under a new key). A retry reuses the idempotency key: the recipient acts once.
    """

    audit_protected = True

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENT = "sent", "已送达待确认"
        ACKNOWLEDGED = "acknowledged", "对方已确认"
        FAILED = "failed", "发送失败"

    listing = models.ForeignKey(
        "credit.Listing", on_delete=models.PROTECT, related_name="art8_notices", verbose_name="失信记录"
    )
    recipient = models.ForeignKey(
        NoticeRecipient, on_delete=models.PROTECT, related_name="+", verbose_name="通报对象"
    )
    event = models.CharField("通报事项", max_length=16, choices=list(NOTICE_EVENTS.items()))
    sequence = models.PositiveSmallIntegerField(
        "变更次序",
        default=0,
        help_text="公布信息变更通报的第几次（纳入、删除通报为0）；每次变更只通报一次最新的公布信息",
    )
    previous_id = models.CharField(
        "原身份号码",
        max_length=18,
        blank=True,
        help_text="更正身份证号码/统一社会信用代码的变更通报：通报对象已记录的原号码",
    )
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True, help_text="重试沿用同一键")
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    due_at = models.DateTimeField("下次发送时间", null=True, blank=True)
    lease_until = models.DateTimeField("发送租约到期", null=True, blank=True)
    reason = models.CharField(
        "说明", max_length=300, blank=True, help_text="对方拒收理由、失败原因或重试安排"
    )
    partner_ref = models.CharField("对方编号", max_length=64, blank=True, help_text="对方确认回执中的编号")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("送达时间", null=True, blank=True)
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "失信通报"
        verbose_name_plural = "失信通报"
        indexes = [models.Index(fields=["status", "due_at"], name="art8_notice_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "recipient", "event", "sequence"], name="art8_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"失信通报 {self.get_event_display()}"
