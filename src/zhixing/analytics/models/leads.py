"""Property leads drawn from a profile, with their follow-up state."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.cases.models import Party

from .imports import MONEY
from .profiles import Profile


class PropertyLead(models.Model):
    """A property lead from the analysis (a car, an employer, a counterparty...) with its follow-up state.

    On the judge's click a lead becomes a targeted query to the partner category that covers it
    (`request`), or a field-verification node (财产线索核查, `node`) when no partner covers it; the answer
    of the query (inquiry's `queries_settled` signal) or the field result moves it to found / not found /
    verified. The foreign keys into inquiry and cases are read-only references written by analytics'
    services from what those domains' services return.
    """

    audit_protected = True

    class Kind(models.TextChoices):
        VEHICLE = "vehicle", "车辆"
        REAL_ESTATE = "real_estate", "不动产"
        EMPLOYER = "employer", "工作单位（收入）"
        SECURITIES = "securities", "证券"
        INSURANCE = "insurance", "保险"
        RENT = "rent", "租住房屋"
        PAYEE = "payee", "定期收款人"

    class State(models.TextChoices):
        NEW = "new", "待处理"
        REQUESTED = "requested", "已定向查询"
        FOUND = "found", "已查得"
        NOT_FOUND = "not_found", "未查得"
        FIELD = "field", "实地核查中"
        VERIFIED = "verified", "实地核查属实"

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="leads", verbose_name="画像")
    counterparty = models.CharField("交易对方", max_length=200)
    account = models.CharField("对方账号", max_length=64, blank=True)
    lead_type = models.CharField(
        "线索类型", max_length=32, help_text="房租、车贷、保险费、定期支付、车辆、工资等"
    )
    months = models.PositiveIntegerField("出现月数")
    total = models.DecimalField("累计金额", **MONEY)
    kind = models.CharField(
        "线索种类",
        max_length=16,
        choices=Kind.choices,
        default=Kind.PAYEE,
        help_text="决定由哪一类联动单位定向查询（见 analytics/leadrules.py）",
    )
    target = models.CharField(
        "线索标识", max_length=64, blank=True, help_text="车牌号、单位名称等；定向查询时发给联动单位"
    )
    state = models.CharField("处理状态", max_length=16, choices=State.choices, default=State.NEW)
    request = models.ForeignKey(
        "inquiry.InquiryRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="定向查询请求",
    )
    asset = models.ForeignKey(
        "inquiry.Asset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="查得财产",
    )
    node = models.ForeignKey(
        "cases.Node",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="线索核查节点",
    )
    due_on = models.DateField("核查期限", null=True, blank=True, help_text="实地核查节点的期限届满日")
    outcome = models.CharField("处理结果", max_length=200, blank=True, help_text="查得的财产或核查情况")
    followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    followed_at = models.DateTimeField("处理时间", null=True, blank=True)
    settled_at = models.DateTimeField("结果时间", null=True, blank=True)

    class Meta:
        verbose_name = "财产线索"
        verbose_name_plural = "财产线索"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.counterparty}（{self.lead_type}）"
