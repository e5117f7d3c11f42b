"""Statement imports: the job, its stored lines (`Transaction`) and its quarantined rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from zhixing.cases.models import Party
from zhixing.core import localtime, progress
from zhixing.core.progress import Progress
from zhixing.courts.models import Court

from ..layouts import StatementPreset

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
    # no index of its own: `an_tx_party_time` leads with the party (docs/adr/0028)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name="被执行人", db_index=False
    )
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
    txn_id = models.CharField("交易流水号", max_length=80, blank=True)
    status = models.CharField("交易状态", max_length=32, blank=True)
    line_hash = models.CharField("行摘要", max_length=64, help_text="用于识别重复行")
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="重复于",
        db_index=False,  # the partial index `an_tx_dup_of` below: only duplicates are indexed
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
        # Only what the queries use (docs/adr/0028): every index is maintained on each of the
        # millions of rows an import inserts. Kept: the party and time (every debtor's read), the job
        # (the foreign key's own index), the duplicate link for the lines that have one (the SET_NULL
        # of a deleted line looks them up); `txn_id` and `line_hash` are never looked up in the
        # database (duplicates are decided from the debtor's rows, read by party).
        indexes = [
            models.Index(fields=["party", "occurred_at"], name="an_tx_party_time"),
            models.Index(
                fields=["duplicate_of"], name="an_tx_dup_of", condition=models.Q(duplicate_of__isnull=False)
            ),
        ]

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
