"""Network asset inquiry and control (网络执行查控): partners, requests, the asset register, receivables.

A request to a partner institution is a persisted row (`InquiryRequest`) and a durable timer: its
`due_at` says when a worker should (re)send or poll it; workers claim due rows in batches with a lease
(`lease_until`), so a crashed worker's rows are simply claimed again — with the same idempotency key,
so the partner acts once (DESIGN invariant 6).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.models import Court

from .alerts import ControlAlert as ControlAlert  # re-exported: the control-term alerts of this app
from .dormant_notices import DormantAttention as DormantAttention  # re-exported: unsearchable dormant cases
from .dormant_notices import ReinquiryNotice as ReinquiryNotice  # re-exported: re-inquiry results told
from .triage_records import CaseTriage as CaseTriage  # re-exported: the triage of a case
from .triage_records import TriageFlag as TriageFlag

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}


class Action(models.TextChoices):
    QUERY = "query", "查询"
    FREEZE = "freeze", "冻结"
    DEDUCT = "deduct", "扣划"
    SEIZE = "seize", "查封/扣押"
    RELEASE = "release", "解除"
    RENEW = "renew", "续行"


CONTROL_ACTIONS = (Action.FREEZE, Action.DEDUCT, Action.SEIZE, Action.RELEASE, Action.RENEW)


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


class InquiryBatch(models.Model):
    """One click: an inquiry for one case (一键查控) or many cases (集中查控)."""

    audit_protected = True

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="发起法院")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
        help_text="为空表示系统自动发起（如终本案件定期查询）",
    )
    centralised = models.BooleanField("集中查控", default=False)
    categories = models.JSONField("查询类别", default=list)
    case_count = models.PositiveIntegerField("案件数", default=0)
    request_count = models.PositiveIntegerField("请求数", default=0)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    class Meta:
        verbose_name = "查控批次"
        verbose_name_plural = "查控批次"

    def __str__(self) -> str:
        return f"查控批次#{self.pk}"


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


class InquiryRequest(models.Model):
    """One message to one partner for one debtor: query or a control action. A durable timer."""

    audit_protected = True

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "待审批"
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        WAITING = "waiting", "等待反馈"
        DONE = "done", "已反馈"
        FAILED = "failed", "失败"
        REJECTED = "rejected", "审批未通过"
        CANCELLED = "cancelled", "已撤回"

    batch = models.ForeignKey(
        InquiryBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="查控批次",
    )
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name="联动单位")
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="财产"
    )
    amount = models.DecimalField(
        "金额", **MONEY, null=True, blank=True, help_text="冻结/扣划/解除的金额（元）"
    )
    reason = models.CharField("理由", max_length=200, blank=True)
    target_ref = models.CharField(
        "定向查询标识",
        max_length=64,
        blank=True,
        default="",
        db_default="",
        help_text="按线索定向查询时的财产标识（如车牌号）；为空表示按被执行人身份号码查询",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="原请求"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(
        "幂等键", max_length=64, unique=True, help_text="重试沿用同一键，对方只执行一次"
    )
    notice_number = models.CharField("协助执行通知书文号", max_length=96)
    approvals = models.JSONField("审批记录", default=list, help_text="[{role, by, name, at}]")
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    due_at = models.DateTimeField("下次处理时间", null=True, blank=True, help_text="到期后由定时任务批量领取")
    lease_until = models.DateTimeField("领取租约", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    outcome = models.JSONField("反馈结果", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提起人",
        help_text="为空表示系统自动发起（如结案后解除控制）",
    )
    created_at = models.DateTimeField("提起时间", auto_now_add=True)
    completed_at = models.DateTimeField("反馈时间", null=True, blank=True)

    class Meta:
        verbose_name = "查控请求"
        verbose_name_plural = "查控请求"
        indexes = [
            models.Index(
                fields=["due_at"], name="inqreq_due", condition=Q(status__in=["pending", "waiting"])
            ),
            models.Index(fields=["lease_until"], name="inqreq_lease", condition=Q(status="sending")),
            models.Index(fields=["case", "-id"], name="inqreq_case"),
            models.Index(fields=["court", "status"], name="inqreq_court_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}#{self.pk}"


class DeductionReceivable(models.Model):
    """Money a confirmed deduction sends to the case account: expected, booked by the funds module."""

    audit_protected = True

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    request = models.OneToOneField(
        InquiryRequest, on_delete=models.PROTECT, related_name="+", verbose_name="查控请求"
    )
    amount = models.DecimalField("应到账金额", **MONEY)
    payer_bank = models.CharField("扣划机构", max_length=64)
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True, help_text="案款入账时据此去重")
    booked = models.BooleanField("已入账", default=False, help_text="由案款模块入账后置为是")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "扣划应收款"
        verbose_name_plural = "扣划应收款"

    def __str__(self) -> str:
        return f"扣划应收 {self.amount}元"


class CallbackLog(models.Model):
    """Every callback received from a partner, accepted or rejected (for the 查控日志 and forensics)."""

    audit_protected = True

    received_at = models.DateTimeField("接收时间", auto_now_add=True)
    partner_code = models.CharField("声称的机构", max_length=32, blank=True)
    idempotency_key = models.CharField("幂等键", max_length=64, blank=True)
    accepted = models.BooleanField("已接受")
    status = models.PositiveSmallIntegerField("应答码")
    reason = models.CharField("原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "回调记录"
        verbose_name_plural = "回调记录"

    def __str__(self) -> str:
        return f"{self.partner_code} {self.status}"


class DormantRound(models.Model):
    """One automatic re-inquiry of a dormant (终本) case and the lead it raises (终本规定 Art 9(2)).

    Filed by the daily task for a case whose last inquiry round is older than the period; at most one
    per case and day (the unique constraint makes a repeated or concurrent run file nothing twice).
    Once every request of its batch is answered, `outcome` says whether property was found: a found
    round is the judge's lead to resume execution (恢复执行).
    """

    audit_protected = True

    class Outcome(models.TextChoices):
        PENDING = "pending", "查询中"
        EMPTY = "empty", "未发现财产"
        FOUND = "found", "发现财产，待审查恢复执行"
        FAILED = "failed", "查询失败"

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    batch = models.OneToOneField(
        InquiryBatch, on_delete=models.PROTECT, related_name="+", verbose_name="查控批次"
    )
    run_on = models.DateField("查询日期", help_text="系统自动发起定期查询的日期")
    last_round_on = models.DateField(
        "上次查询日期", null=True, blank=True, help_text="本次查询前最近一轮网络查询的日期；为空表示从未查询"
    )
    requests = models.PositiveIntegerField("请求数", default=0)
    found = models.PositiveIntegerField("查得财产数", default=0, help_text="本轮查得的财产项数（不含信息类）")
    outcome = models.CharField("查询结果", max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    settled_at = models.DateTimeField("结果确定时间", null=True, blank=True)

    class Meta:
        verbose_name = "终本案件定期查询"
        verbose_name_plural = "终本案件定期查询"
        constraints = [
            models.UniqueConstraint(fields=["case", "run_on"], name="dormant_round_once_a_day"),
        ]
        indexes = [
            models.Index(fields=["court", "run_on"], name="dormant_round_court_day"),
            models.Index(fields=["outcome"], name="dormant_round_pending", condition=Q(outcome="pending")),
        ]

    def __str__(self) -> str:
        return f"终本定期查询 {self.run_on}"


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
