"""Reference prices, lots (one auction round each, chained into re-auction / sale / set-off), bidders,
their per-lot registrations with deposits, and the append-only bid timeline."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court

from . import rules

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}
ZERO = Decimal("0.00")


class ReferencePrice(models.Model):
    """财产处置参考价 of one seized asset, fixed by one of the four methods (参考价规定 Art 2)."""

    audit_protected = True

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    asset = models.ForeignKey(
        "inquiry.Asset", on_delete=models.PROTECT, related_name="+", verbose_name="查封财产"
    )
    method = models.CharField(
        "确定方式",
        max_length=16,
        choices=[(m.value, rules.PRICE_METHOD_LABELS[m]) for m in rules.PriceMethod],
        help_text="当事人议价、定向询价、网络询价、委托评估，依次适用",
    )
    amount = models.DecimalField(
        "参考价（元）", **MONEY, help_text="议价结果、询价结果、网络询价平均值或评估价"
    )
    started_on = models.DateField("启动日", help_text="启动确定参考价程序之日（应在查封后30日内）")
    reported_on = models.DateField("结果日", help_text="议价达成、询价或评估报告送达之日")
    valid_until = models.DateField(
        "有效期至", null=True, blank=True, help_text="网络询价、委托评估结果有效期一年；议价、定向询价不限"
    )
    objection_until = models.DateField(
        "异议期至", null=True, blank=True, help_text="当事人收到报告后5日内可提出异议；议价、定向询价不得异议"
    )
    note = models.CharField("说明", max_length=200, blank=True, help_text="询价平台、评估机构及报告编号等")
    set_aside_on = models.DateField(
        "撤销日",
        null=True,
        blank=True,
        help_text="参考价异议成立（参考价规定第23条）而撤销之日；撤销后须重新确定参考价，不得据此拍卖",
    )
    set_aside_reason = models.CharField(
        "撤销原因", max_length=200, blank=True, help_text="如：执行行为异议成立的异议案号"
    )
    created_by = models.CharField("经办人", max_length=64, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "处置参考价"
        verbose_name_plural = "处置参考价"

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"


class Lot(models.Model):
    """One round of the disposal of a seized asset: an auction, a re-auction, a sale (变卖) or a set-off
    (以物抵债). Rounds of one asset form a chain through `previous`."""

    audit_protected = True

    class Status(models.TextChoices):
        DRAFT = "draft", "待公告"
        ANNOUNCED = "announced", "已公告"
        SOLD = "sold", "已成交（待付款）"
        PAID = "paid", "已付清"
        CONFIRMED = "confirmed", "已裁定确认"
        FAILED = "failed", "流拍"
        DEFAULTED = "defaulted", "悔拍"
        SET_OFF = "set_off", "以物抵债"
        CANCELLED = "cancelled", "已撤回"
        SUSPENDED = "suspended", "中止拍卖"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    asset = models.ForeignKey(
        "inquiry.Asset", on_delete=models.PROTECT, related_name="+", verbose_name="查封财产"
    )
    reference = models.ForeignKey(
        ReferencePrice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="参考价",
    )
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="前次拍卖"
    )
    round_no = models.PositiveSmallIntegerField("拍次", default=1, help_text="1为一拍，2为二拍")
    step = models.CharField(
        "处置方式",
        max_length=16,
        choices=[(s.value, rules.STEP_LABELS[s]) for s in rules.Step],
        default=rules.Step.AUCTION,
    )
    title = models.CharField("标的名称", max_length=120, help_text="公告中的标的物名称")
    description = models.TextField("标的物介绍", blank=True, help_text="现状、瑕疵、权利负担、税费承担等")
    asset_class = models.CharField(
        "财产类别",
        max_length=16,
        choices=[
            (rules.AssetClass.MOVABLE.value, "动产"),
            (rules.AssetClass.REAL_ESTATE.value, "不动产及其他财产权"),
        ],
        help_text="决定公告期：动产15日、不动产30日（再次拍卖7日、15日）",
    )
    start_price = models.DecimalField("起拍价（元）", **MONEY, help_text="即保留价；一拍不得低于参考价的70%")
    increment = models.DecimalField("加价幅度（元）", **MONEY)
    deposit = models.DecimalField("保证金（元）", **MONEY, help_text="起拍价的5%至20%")
    notified_on = models.DateField("通知当事人日", null=True, blank=True, help_text="应在公告3日前通知")
    announced_on = models.DateField("公告日")
    starts_at = models.DateTimeField("竞价开始时间")
    scheduled_end = models.DateTimeField("原定结束时间", help_text="公告的结束时间；竞价不少于24小时")
    ends_at = models.DateTimeField(
        "结束时间", help_text="最后5分钟内有出价的，顺延至该出价后5分钟（服务器时间）"
    )
    panel = models.JSONField("合议庭成员", default=list, help_text="决定起拍价、保证金、加价幅度的合议庭成员")
    preemption = models.JSONField(
        "优先购买权人", default=list, blank=True, help_text="[{name, id_number, rank}]，顺序1为第一顺位"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    current_price = models.DecimalField("当前价（元）", **MONEY, null=True, blank=True)
    bid_count = models.PositiveIntegerField("出价次数", default=0)
    leader = models.ForeignKey(
        "Registration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="领先者",
    )
    ended_at = models.DateTimeField("结束处理时间", null=True, blank=True)
    balance_due_on = models.DateField("尾款期限", null=True, blank=True, help_text="买受人应付清余款的日期")
    balance_txn = models.CharField(
        "尾款银行流水号",
        max_length=128,
        blank=True,
        default="",
        help_text="托管银行来款通知的流水号：尾款只凭银行到账通知登记，一笔来款只能用于一个标的",
    )
    next_due_on = models.DateField(
        "后续处置期限", null=True, blank=True, help_text="流拍后再次拍卖（30日内）或变卖、以物抵债的期限"
    )
    ruling_document_id = models.IntegerField("成交裁定文书", null=True, blank=True)
    ruling_served_on = models.DateField(
        "裁定送达日", null=True, blank=True, help_text="送达买受人时所有权转移"
    )
    set_off_to = models.CharField("抵债受让人", max_length=128, blank=True)
    suspended_at = models.DateTimeField(
        "中止拍卖时间", null=True, blank=True, help_text="裁定中止拍卖之时；恢复拍卖时据此计算剩余竞价时间"
    )
    suspension_cause = models.CharField(
        "中止拍卖事由",
        max_length=16,
        choices=[("third_party", "案外人异议"), ("price_objection", "参考价异议")],
        blank=True,
        help_text="最近一次中止拍卖的事由（案外人异议或参考价异议）；标的页面与拒绝出价的说明据此显示",
    )
    resumed_at = models.DateTimeField(
        "恢复拍卖时间", null=True, blank=True, help_text="中止事由消失后恢复拍卖之时（网拍规定第28条：5日内）"
    )
    withdrawn_reason = models.CharField(
        "撤回拍卖原因", max_length=200, blank=True, help_text="撤回拍卖（如案外人异议成立）的原因及依据"
    )
    created_by = models.CharField("经办人", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "拍卖标的"
        verbose_name_plural = "拍卖标的"
        indexes = [
            models.Index(fields=["status", "ends_at"], name="lot_status_end"),
            models.Index(fields=["court", "status"], name="lot_court_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["balance_txn"], condition=~models.Q(balance_txn=""), name="lot_balance_txn_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_step_display()}）"

    def phase(self, now: Any) -> str:
        """What the public sees: 即将开始 / 正在进行 / the status after the end."""
        if self.status == self.Status.ANNOUNCED:
            if now < self.starts_at:
                return "即将开始"
            if now <= self.ends_at:
                return "正在进行"
            return "已结束（待处理）"
        return self.get_status_display()


class Bidder(models.Model):
    """A real-name bidder (竞买人) of the public portal; the identity number is verified on registration."""

    audit_protected = True
    audit_secret_fields = ("token_hash",)  # the digest of the bidder's sign-in token

    name = models.CharField("姓名", max_length=64)
    id_number = models.CharField("身份证号", max_length=18, unique=True, help_text="实名认证的公民身份号码")
    phone = models.CharField("手机号", max_length=20, blank=True)
    token_hash = models.CharField("登录凭证摘要", max_length=64, unique=True, help_text="登录凭证的SHA-256")
    verified_at = models.DateTimeField("认证时间")

    class Meta:
        verbose_name = "竞买人"
        verbose_name_plural = "竞买人"

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """A bidder's registration for one lot: the anonymous bidder code, the deposit and its fate."""

    audit_protected = True

    class Deposit(models.TextChoices):
        DUE = "due", "待交纳"
        PAID = "paid", "已交纳"
        EXEMPT = "exempt", "申请执行人免交"
        RELEASED = "released", "已退还"
        APPLIED = "applied", "已抵作价款"
        FORFEITED = "forfeited", "悔拍不予退还"

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="registrations", verbose_name="标的")
    bidder = models.ForeignKey(
        Bidder, on_delete=models.PROTECT, related_name="registrations", verbose_name="竞买人"
    )
    code = models.CharField("竞买号", max_length=12, help_text="匿名竞买代码；优先购买权人以Y开头")
    rank = models.PositiveSmallIntegerField("优先顺位", null=True, blank=True, help_text="优先购买权人的顺位")
    applicant_claim = models.DecimalField(
        "申请执行人债权（元）",
        **MONEY,
        null=True,
        blank=True,
        help_text="申请执行人竞买时可在债权额内免交保证金",
    )
    deposit_due = models.DecimalField("应交保证金（元）", **MONEY)
    deposit_paid = models.DecimalField("已交保证金（元）", **MONEY, default=ZERO)
    deposit_state = models.CharField(
        "保证金状态", max_length=12, choices=Deposit.choices, default=Deposit.DUE
    )
    created_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = "竞买报名"
        verbose_name_plural = "竞买报名"
        constraints = [
            models.UniqueConstraint(fields=["lot", "bidder"], name="registration_once_per_lot"),
            models.UniqueConstraint(fields=["lot", "code"], name="registration_code_per_lot"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def may_bid(self) -> bool:
        return self.deposit_state in (self.Deposit.PAID, self.Deposit.EXEMPT)


class BidQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("出价记录只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("出价记录只能追加，不能删除")


class Bid(models.Model):
    """One accepted bid, append-only, with the server's arrival time and the end time it left."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="bids", verbose_name="标的")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="bids", verbose_name="竞买号"
    )
    seq = models.PositiveIntegerField("序号", help_text="本标的第几次出价")
    amount = models.DecimalField("出价（元）", **MONEY)
    at = models.DateTimeField("服务器接收时间")
    ends_at = models.DateTimeField("出价后结束时间", help_text="本次出价后的竞价结束时间（含延时）")

    objects = BidQuerySet.as_manager()

    class Meta:
        verbose_name = "出价记录"
        verbose_name_plural = "出价记录"
        constraints = [models.UniqueConstraint(fields=["lot", "seq"], name="bid_seq_per_lot")]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("出价记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("出价记录只能追加，不能删除")
