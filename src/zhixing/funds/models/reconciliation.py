"""Statement layouts (对账单版式), daily reconciliations with their differences, and their alerts."""

from __future__ import annotations

from django.db import models

from zhixing.courts.models import Court

from .. import statement_layouts as sl
from .base import MONEY
from .statements import StatementImport


def _column(label: str) -> models.CharField:
    return models.CharField(
        f"{label}列", max_length=64, blank=True, help_text=f"对账单中“{label}”所在列的列名（表头文字）"
    )


class StatementLayout(models.Model):
    """A court's saved layout of one bank's statement export (column names, header row, encoding, …).

    Built-in layouts (the sandbox bank's exports) live in `statement_layouts.BUILTIN`, not here. A layout
    is configuration, not evidence: finance may delete one (audited); imports keep their own lines.
    """

    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, related_name="+", help_text="定义该版式的法院", verbose_name="法院"
    )
    name = models.CharField("版式名称", max_length=64, help_text="如“工商银行网银导出”；本院内不重复")
    bank_name = models.CharField("银行", max_length=64, blank=True, help_text="出具对账单的银行")
    header_row = models.PositiveSmallIntegerField("表头行号", default=1, help_text="表头所在行（从1起）")
    encoding = models.CharField(
        "字符编码",
        max_length=8,
        blank=True,
        choices=list(sl.ENCODINGS.items()),
        help_text="CSV文件的字符编码",
    )
    date_format = models.CharField(
        "日期格式",
        max_length=24,
        blank=True,
        choices=list(sl.DATE_FORMATS.items()),
        help_text="交易日期的写法",
    )
    amount_mode = models.CharField(
        "金额方向",
        max_length=12,
        choices=list(sl.AMOUNT_MODES.items()),
        default=sl.SIGNED,
        help_text="收入与支出如何区分",
    )
    direction_in = models.CharField(
        "收入方向取值",
        max_length=64,
        default="收|收入|贷|入",
        help_text="收支方向列中表示收入的取值，用“|”分隔",
    )
    direction_out = models.CharField(
        "支出方向取值",
        max_length=64,
        default="付|支出|借|出",
        help_text="收支方向列中表示支出的取值，用“|”分隔",
    )
    txn_id_column = _column("银行流水号")
    date_column = _column("交易日期")
    amount_column = _column("金额")
    direction_column = _column("收支方向")
    in_amount_column = _column("收入金额")
    out_amount_column = _column("支出金额")
    payer_name_column = _column("对方户名")
    payer_account_column = _column("对方账号")
    to_account_column = _column("收款子账号")
    memo_column = _column("摘要")
    balance_column = _column("余额")
    updated_by = models.CharField("最后修改人", max_length=64, blank=True)
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    class Meta:
        verbose_name = "对账单版式"
        verbose_name_plural = "对账单版式"
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="funds_layout_name_per_court")]

    def __str__(self) -> str:
        return self.name

    def spec(self) -> sl.LayoutSpec:
        return sl.LayoutSpec(
            columns={
                f: getattr(self, f"{f}_column") for f in sl.FIELD_LABELS if getattr(self, f"{f}_column")
            },
            amount_mode=self.amount_mode,
            direction_in=sl.split_values(self.direction_in),
            direction_out=sl.split_values(self.direction_out),
            header_row=self.header_row,
            encoding=self.encoding,
            date_format=self.date_format,
        )


class Reconciliation(models.Model):
    """The reconciliation of one imported statement: ledger balance as of the statement's date against
    the bank's closing balance, and every difference with its candidates (`ReconciliationItem`)."""

    audit_protected = True

    class Status(models.TextChoices):
        BALANCED = "balanced", "平衡"
        DIFFERENCES = "differences", "有差异"
        CONFIRMED = "confirmed", "差异已确认"

    class Source(models.TextChoices):
        UPLOAD = "upload", "财务上传"
        BANK = "bank", "银行接口（每日自动）"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    statement = models.OneToOneField(
        StatementImport,
        on_delete=models.PROTECT,
        related_name="reconciliation",
        help_text="对应的对账单",
        verbose_name="对账单",
    )
    statement_date = models.DateField("对账日期", help_text="对账单日期（银行按起息日出具）")
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.UPLOAD)
    status = models.CharField("状态", max_length=12, choices=Status.choices)
    ledger_balance = models.DecimalField("账簿专户余额", **MONEY, help_text="账簿中专户截至对账日日终的余额")
    bank_balance = models.DecimalField(
        "银行日终余额", **MONEY, null=True, blank=True, help_text="对账单日终余额"
    )
    unexplained = models.DecimalField(
        "未解释差额", **MONEY, default=0, help_text="余额差额中未被差异明细解释的部分；为0才可确认"
    )
    matched = models.PositiveIntegerField("已勾对笔数", default=0, help_text="按银行流水号自动勾对的笔数")
    difference_count = models.PositiveIntegerField("差异笔数", default=0, help_text="差异明细总数")
    open_count = models.PositiveIntegerField("未处理差异笔数", default=0, help_text="尚未确认或补记的差异")
    run_at = models.DateTimeField("对账时间", auto_now_add=True)
    confirmed_by = models.CharField(
        "确认人", max_length=64, blank=True, help_text="处理最后一笔差异的财务人员"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "银行对账"
        verbose_name_plural = "银行对账"
        indexes = [models.Index(fields=["court", "-statement_date"], name="funds_recon_court_date")]

    def __str__(self) -> str:
        return f"对账 {self.statement_date}"

    @property
    def balance_difference(self) -> object:
        return None if self.bank_balance is None else self.ledger_balance - self.bank_balance


class ReconciliationItem(models.Model):
    """One difference: a statement line with no ledger movement, a ledger movement with no statement
    line, or the same transaction with different amounts; `candidates` are possible matches."""

    audit_protected = True

    class Side(models.TextChoices):
        BANK_ONLY = "bank_only", "银行有、账簿无"
        LEDGER_ONLY = "ledger_only", "账簿有、银行无"
        AMOUNT = "amount", "金额不符"

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        MATCHED = "matched", "已确认匹配"
        BOOKED = "booked", "已补记入账"

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="items", verbose_name="对账"
    )
    side = models.CharField("差异类型", max_length=12, choices=Side.choices)
    ref = models.CharField("流水号", max_length=128, help_text="银行流水号或支付编号（账簿侧为其凭证号）")
    value_date = models.DateField("日期")
    amount = models.DecimalField("金额", **MONEY, help_text="收入为正，支出为负")
    other_amount = models.DecimalField(
        "对方金额", **MONEY, null=True, blank=True, help_text="金额不符时另一方的金额"
    )
    counterparty = models.CharField("对方户名", max_length=128, blank=True)
    account = models.CharField("对方账号", max_length=64, blank=True)
    to_account = models.CharField("收款子账号", max_length=32, blank=True)
    memo = models.CharField("摘要", max_length=200, blank=True)
    candidates = models.JSONField(
        "候选匹配", default=list, help_text="同金额、日期相近、付款人相似的另一方记录"
    )
    status = models.CharField("处理状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    matched_ref = models.CharField(
        "匹配的流水号", max_length=128, blank=True, help_text="确认匹配的另一方记录"
    )
    matched_date = models.DateField(
        "匹配记录日期", null=True, blank=True, help_text="另一方记录的日期（跨日的未达账项）"
    )
    resolved_by = models.CharField("处理人", max_length=64, blank=True)
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "对账差异"
        verbose_name_plural = "对账差异"
        indexes = [models.Index(fields=["ref", "side", "status"], name="funds_recon_item_ref")]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.ref}"


class ReconciliationAlert(models.Model):
    """An alert to the court's finance staff: a day's reconciliation has differences, or the bank's
    statement could not be fetched. Resolved when the reconciliation is balanced or confirmed."""

    audit_protected = True

    class Kind(models.TextChoices):
        DIFFERENCES = "differences", "对账有差异"
        UNAVAILABLE = "unavailable", "未能取得对账单"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    reconciliation = models.ForeignKey(
        Reconciliation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name="对账",
    )
    statement_date = models.DateField("对账日期")
    kind = models.CharField("预警类型", max_length=12, choices=Kind.choices)
    message = models.CharField("预警内容", max_length=200)
    raised_at = models.DateTimeField("预警时间", auto_now_add=True)
    resolved_at = models.DateTimeField(
        "解除时间", null=True, blank=True, help_text="对账平衡或差异确认后解除"
    )

    class Meta:
        verbose_name = "对账预警"
        verbose_name_plural = "对账预警"
        constraints = [
            models.UniqueConstraint(
                fields=["court", "statement_date", "kind"],
                condition=models.Q(resolved_at__isnull=True),
                name="funds_recon_alert_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.statement_date}"
