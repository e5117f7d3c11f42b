"""The asset register (财产登记): every asset found or controlled, and who looked at a case's register."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhixing.cases.models import EnforcementCase, Party

from .partners import Partner, PartnerCategory
from .vocabulary import MONEY


class Asset(models.Model):
    """A debtor's asset found through a partner, with its control state (财产登记)."""

    audit_protected = True

    class Kind(models.TextChoices):
        ACCOUNT = "account", "账户"
        HOUSE = "house", "不动产"
        VEHICLE = "vehicle", "车辆"
        VESSEL = "vessel", "船舶"
        SECURITIES = "securities", "证券"
        EQUITY = "equity", "股权"
        INFO = "info", "信息"

    class State(models.TextChoices):
        NONE = "none", "未控制"
        FROZEN = "frozen", "已冻结"
        SEIZED = "seized", "已查封"
        QUEUED = "queued", "轮候查封"
        DEDUCTED = "deducted", "已扣划"
        RELEASED = "released", "已解除"
        LAPSED = "lapsed", "已失效"
        CLOSED = "closed", "账户已销户"

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="+", verbose_name="案件")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+", verbose_name="被执行人")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name="联动单位")
    category = models.ForeignKey(
        PartnerCategory, on_delete=models.PROTECT, related_name="+", verbose_name="类别"
    )
    kind = models.CharField("形态", max_length=16, choices=Kind.choices)
    ref = models.CharField("账号/证号", max_length=64, help_text="账号、不动产权证号、车牌号、证券账户等")
    description = models.CharField("说明", max_length=200, blank=True)
    value = models.DecimalField(
        "余额/估值", **MONEY, default=Decimal("0"), help_text="账户余额或财产估值（元）"
    )
    divisible = models.BooleanField("可分割", default=True, help_text="资金可按金额冻结；房屋车辆不可分割")
    state = models.CharField("控制状态", max_length=16, choices=State.choices, default=State.NONE)
    frozen_amount = models.DecimalField("冻结金额", **MONEY, default=Decimal("0"))
    deducted_amount = models.DecimalField("扣划金额", **MONEY, default=Decimal("0"))
    seizure_rank = models.PositiveSmallIntegerField(
        "查封顺位", null=True, blank=True, help_text="1为首封，大于1为轮候"
    )
    registered_on = models.DateField(
        "登记日",
        null=True,
        blank=True,
        help_text="查封（含轮候查封）在登记机构登记的日期；轮候按登记先后排序",
    )
    effective_on = models.DateField(
        "生效日",
        null=True,
        blank=True,
        help_text="控制措施生效之日；轮候查封在前手解除或失效、自动转为正式查封之日生效（查封规定第二十六条）",
    )
    control_start = models.DateField(
        "控制起始日", null=True, blank=True, help_text="本期期限的起算日；轮候查封生效后自生效日重新起算"
    )
    control_expires = models.DateField("控制到期日", null=True, blank=True, help_text="按控制期限自动计算")
    indivisible_reason = models.CharField(
        "超标的理由", max_length=200, blank=True, help_text="不可分割财产价值超过剩余标的额时记录的理由"
    )
    details = models.JSONField(
        "其他信息", default=dict, blank=True, help_text="信息类查询（户籍、税务、出入境等）的反馈内容"
    )
    found_at = models.DateTimeField("查得时间")
    title_passed_on = models.DateField(
        "所有权转移日",
        null=True,
        blank=True,
        help_text="拍卖成交裁定送达买受人之日，财产所有权自该日转移（网拍规定第22条）",
    )
    title_passed_ref = models.CharField(
        "所有权转移依据",
        max_length=200,
        blank=True,
        db_default="",  # the bulk feedback insert (services/feedback.py) names its columns
        help_text="成交裁定及买受人，如“拍卖成交裁定（标的12）”",
    )
    preserved_in = models.CharField(
        "诉讼保全案号",
        max_length=40,
        blank=True,
        default="",
        db_default="",  # the result intake inserts rows in bulk without naming this column (services.bulk)
        help_text="由诉讼保全案件（执保）转入的，原保全案号；查封顺位、登记日、期限与续行记录均保持不变",
    )

    class Meta:
        verbose_name = "查控财产"
        verbose_name_plural = "查控财产"
        constraints = [
            models.UniqueConstraint(fields=["case", "party", "partner", "ref"], name="asset_unique_per_case")
        ]
        indexes = [
            models.Index(fields=["case", "party"], name="asset_case_party"),
            models.Index(
                fields=["control_expires"],
                name="asset_control_expiry",
                condition=Q(state__in=["frozen", "seized", "queued"]),
            ),
            models.Index(fields=["control_expires"], name="asset_lapsed", condition=Q(state="lapsed")),
            # The 轮候 queue of one asset at one institution, across cases and courts.
            models.Index(fields=["partner", "ref"], name="asset_partner_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ref}"

    @property
    def controlled_value(self) -> Decimal:
        """What this asset counts towards the case's controlled total."""
        if self.state in (self.State.SEIZED, self.State.QUEUED):
            return self.value
        if self.state == self.State.FROZEN:
            return self.frozen_amount + self.deducted_amount
        return self.deducted_amount


class RegisterView(models.Model):
    """That a user looked at a case's asset register (财产登记) on a day: audited once per user, case, day.

    Every look-up of a person's property is audited (DESIGN invariant 2), but a refresh is not a new
    look-up. The unique key is what makes the daily record race-free: of two concurrent first views,
    one inserts this row and writes the audit record in the same transaction, the other meets the key
    and writes nothing (`services.record_register_view`).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="查看人"
    )
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    day = models.DateField("查看日期", help_text="首次查看的日期（北京时间）；同一人同一案件每日只留痕一次")
    channel = models.CharField("查看途径", max_length=16, help_text="当日首次查看的途径：web 页面或 api 接口")

    class Meta:
        verbose_name = "财产登记查看记录"
        verbose_name_plural = "财产登记查看记录"
        constraints = [
            models.UniqueConstraint(fields=["actor", "case", "day"], name="register_view_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} 查看财产登记 案件#{self.case_id}"
