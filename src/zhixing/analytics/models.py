"""Ability-to-pay analysis (履行能力大数据分析): imported flows, layout presets, rule sets, profiles.

The analytics domain reads cases only through `zhixing.cases.queries`; the foreign keys to `Party`
are read-only references (a debtor of a case), never written here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from zhixing.cases.models import Party
from zhixing.core import localtime, progress
from zhixing.core.progress import Progress
from zhixing.courts.models import Court

from .amendments import TransactionCorrection  # noqa: F401  (re-exported)
from .currency import ExchangeRate  # noqa: F401  (re-exported)
from .layouts import StatementPreset

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class ImportJob(models.Model):
    """One import of one file for one debtor, with its progress and validation outcome."""

    audit_protected = True

    class Kind(models.TextChoices):
        STATEMENT = "statement", "银行/支付流水"
        TRAVEL = "travel", "出行住宿记录"

    class Mode(models.TextChoices):
        STRICT = "strict", "有错误则整体拒收"
        QUARANTINE = "quarantine", "隔离错误行，导入其余行"

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        REJECTED = "rejected", "已拒收"
        FAILED = "failed", "出错"

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    kind = models.CharField("数据类型", max_length=16, choices=Kind.choices, default=Kind.STATEMENT)
    preset = models.ForeignKey(
        StatementPreset, on_delete=models.PROTECT, null=True, blank=True, verbose_name="版式预设"
    )
    mode = models.CharField("校验方式", max_length=16, choices=Mode.choices, default=Mode.STRICT)
    file_name = models.CharField("文件名", max_length=200)
    file_path = models.CharField("存储路径", max_length=400, help_text="DATA_DIR 下保存的原始文件")
    sha256 = models.CharField("文件摘要", max_length=64, db_index=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    imported = models.PositiveIntegerField("导入行数", default=0)
    duplicates = models.PositiveIntegerField(
        "重复行数", default=0, help_text="与已导入行重复，保存但不计入指标"
    )
    ignored = models.PositiveIntegerField("忽略行数", default=0, help_text="如交易关闭，保存但不计入指标")
    quarantined = models.PositiveIntegerField("隔离行数", default=0)
    errors = models.JSONField("错误与提示", default=list, blank=True, help_text="[{row, reason}]")
    dedup_decisions = models.JSONField(
        "重复判定",
        default=list,
        blank=True,
        help_text="每一处重复判定及其理由：重复行（不计入指标）或内容相同但按另一笔交易计入的行",
    )
    period_start = models.DateField(
        "账单起始日", null=True, blank=True, help_text="流水所属账单期间；日期不含年份的版式据此确定年份"
    )
    period_end = models.DateField("账单终止日", null=True, blank=True)
    notes = models.JSONField(
        "文件说明与核对",
        default=list,
        blank=True,
        help_text="文件前言、表尾/合计行的原文，以及与文件自身合计的核对结果 [{row, kind, level, text}]",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="导入人"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    lease_until = models.DateTimeField(
        "处理租约",
        null=True,
        blank=True,
        help_text="正在处理的后台进程持有至此时刻（随进度续期）；过期仍未完成的任务由定时任务重新排队",
    )

    class Meta:
        verbose_name = "数据导入任务"
        verbose_name_plural = "数据导入任务"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def progress(self) -> Progress:
        """Rows processed of rows in the file; stopped once the job is done, rejected or failed."""
        ended = self.status not in (self.Status.PENDING, self.Status.RUNNING)
        return progress.of(self.processed_rows, self.total_rows, "已处理", finished=ended)


class Transaction(models.Model):
    """One normalised statement line; signed amount (+ in, − out) in its own currency."""

    audit_protected = True

    class Direction(models.TextChoices):
        IN = "in", "收入"
        OUT = "out", "支出"
        NEUTRAL = "neutral", "不计收支"

    class Kind(models.TextChoices):
        NORMAL = "normal", "普通"
        REFUND = "refund", "退款"
        REVERSAL = "reversal", "冲正"
        IGNORED = "ignored", "已忽略（如交易关闭）"

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="transactions", verbose_name="导入"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    row_no = models.PositiveIntegerField("文件行号")
    occurred_at = models.DateTimeField("交易时间")
    amount = models.DecimalField(
        "金额（元）", **MONEY, help_text="收入为正、支出为负；外币交易已按汇率折算为人民币"
    )
    currency = models.CharField("原币种", max_length=3, default="CNY", help_text="流水上的币种，如 CNY、USD")
    original_amount = models.DecimalField(
        "原币金额",
        **MONEY,
        null=True,
        blank=True,
        help_text="外币交易在流水上的原始金额（带正负号）；人民币交易为空",
    )
    fx_rate = models.DecimalField(
        "折算汇率",
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="1单位外币折合人民币元数",
    )
    direction = models.CharField("收支", max_length=8, choices=Direction.choices)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.NORMAL)
    counterparty = models.CharField("交易对方", max_length=200, blank=True)
    counterparty_account = models.CharField("对方账号", max_length=64, blank=True)
    merchant = models.CharField("交易场所/附言", max_length=200, blank=True)
    summary = models.CharField("摘要", max_length=200, blank=True)
    category = models.CharField("分类", max_length=64, blank=True)
    balance = models.DecimalField("余额", **MONEY, null=True, blank=True, help_text="遮蔽的余额为空")
    txn_id = models.CharField("交易流水号", max_length=80, blank=True, db_index=True)
    status = models.CharField("交易状态", max_length=32, blank=True)
    line_hash = models.CharField("行摘要", max_length=64, db_index=True, help_text="用于识别重复行")
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="重复于"
    )
    occurrence = models.PositiveIntegerField(
        "同内容序号",
        default=1,
        help_text="本文件中时间、金额、收支、交易对方、流水号都相同的行里，这是第几笔（另一份重叠文件据此识别同一笔交易）",
    )

    class Meta:
        verbose_name = "交易流水"
        verbose_name_plural = "交易流水"
        ordering = ["party", "occurred_at", "id"]
        indexes = [models.Index(fields=["party", "occurred_at"], name="an_tx_party_time")]

    def __str__(self) -> str:
        return f"{localtime.format_date(self.occurred_at)} {self.amount} {self.counterparty}"


class QuarantinedRow(models.Model):
    """A row that failed validation, kept with its reason (never silently dropped)."""

    audit_protected = True

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="quarantine", verbose_name="导入"
    )
    row_no = models.PositiveIntegerField("文件行号")
    raw = models.TextField("原始内容")
    reason = models.CharField("原因", max_length=300)

    class Meta:
        verbose_name = "隔离行"
        verbose_name_plural = "隔离行"
        ordering = ["job", "row_no"]

    def __str__(self) -> str:
        return f"第{self.row_no}行：{self.reason}"


class TravelRecord(models.Model):
    """A flight, train ride or hotel stay of the debtor."""

    audit_protected = True

    class Kind(models.TextChoices):
        FLIGHT = "flight", "航班"
        TRAIN = "train", "火车"
        HOTEL = "hotel", "酒店"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="travel", verbose_name="导入")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    row_no = models.PositiveIntegerField("文件行号")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    start_at = models.DateTimeField("开始时间", help_text="起飞/发车/入住时间")
    end_at = models.DateTimeField("结束时间", help_text="到达/离店时间")
    origin = models.CharField("出发地", max_length=64, blank=True)
    destination = models.CharField("目的地", max_length=64, blank=True)
    carrier = models.CharField("航班/车次/酒店", max_length=128, blank=True)
    seat_class = models.CharField("舱位/座席/星级", max_length=32, blank=True)
    amount = models.DecimalField("金额", **MONEY, null=True, blank=True)
    country = models.CharField("国家或地区", max_length=32, default="中国")

    class Meta:
        verbose_name = "出行住宿记录"
        verbose_name_plural = "出行住宿记录"
        ordering = ["party", "start_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {localtime.format_date(self.start_at)} {self.carrier}"


class RelatedPerson(models.Model):
    """A relative or associate the court has recorded for a debtor (declared relation)."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", "配偶"
        PARENT = "parent", "父母"
        CHILD = "child", "子女"
        SIBLING = "sibling", "兄弟姐妹"
        OTHER = "other", "其他关联人"

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    name = models.CharField("姓名/名称", max_length=128)
    relation = models.CharField("关系", max_length=16, choices=Relation.choices)
    account = models.CharField("账号", max_length=64, blank=True, help_text="已知的对方账号（可空）")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )

    class Meta:
        verbose_name = "关联人"
        verbose_name_plural = "关联人"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_relation_display()}）"


class RuleSet(models.Model):
    """A versioned set of rules, weights and keyword lists; each profile records the version used."""

    audit_protected = True

    version = models.PositiveIntegerField("版本号", unique=True)
    name = models.CharField("名称", max_length=64)
    config = models.JSONField("规则配置", help_text="权重、关键词、阈值，见 docs/analytics.md")
    active = models.BooleanField("启用", default=False, help_text="新画像使用启用的最高版本")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "分析规则版本"
        verbose_name_plural = "分析规则版本"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class BatchRun(models.Model):
    """Analysis of every debtor with imported data in a court's active and dormant cases."""

    audit_protected = True

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "分析中"
        DONE = "done", "已完成"
        FAILED = "failed", "出错"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("被执行人数", default=0)
    processed = models.PositiveIntegerField("已分析", default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="发起人"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "批量分析"
        verbose_name_plural = "批量分析"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"批量分析#{self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def progress(self) -> Progress:
        """Debtors analysed of debtors to analyse; stopped once the run is done or failed."""
        ended = self.status not in (self.Status.PENDING, self.Status.RUNNING)
        return progress.of(self.processed, self.total, "已分析", finished=ended)


class Profile(models.Model):
    """An explained debtor profile (精准画像): score, findings with evidence, recommendations."""

    audit_protected = True

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, verbose_name="规则版本")
    batch = models.ForeignKey(BatchRun, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="批量")
    period_start = models.DateField("分析起始日")
    period_end = models.DateField("分析终止日")
    score = models.PositiveSmallIntegerField("履行能力评分", help_text="0–100，越高越可能有能力履行")
    indicators = models.JSONField("指标", default=dict)
    findings = models.JSONField("命中规则", default=list, help_text="[{rule, label, weight, evidence}]")
    recommendations = models.JSONField("处置建议", default=list)
    key_dates = models.JSONField("案件关键日期", default=dict)
    computed_at = models.DateTimeField("生成时间", auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="生成人"
    )

    class Meta:
        verbose_name = "被执行人画像"
        verbose_name_plural = "被执行人画像"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"画像#{self.pk}（{self.score}分）"


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
