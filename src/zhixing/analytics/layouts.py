"""Statement layouts (版式预设): how to read one bank's or payment platform's export, and who owns it."""

from __future__ import annotations

from django.db import models

from zhixing.courts.models import Court


class StatementPreset(models.Model):
    """How to read one bank/payment statement layout (版式预设).

    A layout belongs to the court whose staff defined it and is used and changed there only; a higher
    court may share its own layouts with its subordinate courts (read-only for them). Layouts without
    a court are platform-wide: the built-in ones and those an administrator defines in admin; court
    staff use them but never change them (`queries.preset_usable` / `preset_editable`).
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV 文本"
        XLSX = "xlsx", "Excel 表格（xlsx）"

    court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属法院",
        help_text="定义该版式的法院，仅本院可修改；为空表示全平台通用（内置或管理员定义）",
    )
    shared = models.BooleanField(
        "共享给下级法院",
        default=False,
        help_text="勾选后本院的下级法院也可使用该版式（只读）",
    )
    name = models.CharField("名称", max_length=64, help_text="如“支付宝账单（GBK）”；同一法院内不重复")
    code = models.SlugField(
        "代码", max_length=32, help_text="接口与命令行导入时使用的简称，如 alipay；同一法院内不重复"
    )
    institution = models.CharField("机构", max_length=64, blank=True, help_text="出具流水的银行或支付机构")
    builtin = models.BooleanField("内置", default=False, help_text="随系统提供的版式，法院工作人员不能修改")
    file_format = models.CharField("文件格式", max_length=8, choices=Format.choices, default=Format.CSV)
    encoding = models.CharField("字符编码", max_length=16, default="utf-8", help_text="如 utf-8、gbk")
    delimiter = models.CharField("分隔符", max_length=2, default=",", help_text="CSV 字段分隔符")
    header_row = models.PositiveIntegerField(
        "表头行号", default=0, help_text="表头所在行（从1起）；为0时按“表头标志”自动查找"
    )
    header_marker = models.CharField(
        "表头标志", max_length=32, blank=True, help_text="表头第一列的文字，用于跳过前言行，如“交易时间”"
    )
    footer_prefixes = models.CharField(
        "表尾前缀", max_length=200, blank=True, help_text="以这些文字开头的行视为合计/表尾，用“|”分隔"
    )
    date_column = models.CharField("日期列", max_length=32, help_text="交易日期或日期时间所在列名")
    time_column = models.CharField("时间列", max_length=32, blank=True, help_text="单独的时间列（可空）")
    amount_column = models.CharField(
        "金额列", max_length=32, blank=True, help_text="单一金额列；带正负号或配合“收支列”使用"
    )
    in_column = models.CharField(
        "收入金额列", max_length=32, blank=True, help_text="收入与支出分列时的收入列"
    )
    out_column = models.CharField(
        "支出金额列", max_length=32, blank=True, help_text="收入与支出分列时的支出列"
    )
    direction_column = models.CharField("收支列", max_length=32, blank=True, help_text="如“收/支”")
    direction_in = models.CharField("收入取值", max_length=64, default="收入", help_text="多个取值用“|”分隔")
    direction_out = models.CharField("支出取值", max_length=64, default="支出", help_text="多个取值用“|”分隔")
    direction_neutral = models.CharField(
        "不计收支取值", max_length=64, blank=True, help_text="如“不计收支|/”，这类行记为中性交易"
    )
    counterparty_column = models.CharField("交易对方列", max_length=32, blank=True)
    counterparty_account_column = models.CharField("对方账号列", max_length=32, blank=True)
    split_account = models.BooleanField(
        "对方信息含账号", default=False, help_text="交易对方列末尾的数字串视为对方账号（如招商银行）"
    )
    merchant_column = models.CharField("交易场所/附言列", max_length=32, blank=True)
    summary_column = models.CharField("摘要列", max_length=32, blank=True)
    category_column = models.CharField("分类列", max_length=32, blank=True)
    currency_column = models.CharField("币种列", max_length=32, blank=True)
    default_currency = models.CharField("默认币种", max_length=3, default="CNY")
    balance_column = models.CharField("余额列", max_length=32, blank=True)
    txn_id_column = models.CharField("交易流水号列", max_length=32, blank=True)
    status_column = models.CharField("状态列", max_length=32, blank=True)
    ignored_statuses = models.CharField(
        "不计入的状态", max_length=120, blank=True, help_text="如“交易关闭”，这类行记为已忽略（仍保存）"
    )
    refund_markers = models.CharField(
        "退款标志", max_length=120, default="退款", help_text="摘要/分类含这些文字的行记为退款，用“|”分隔"
    )
    reversal_markers = models.CharField(
        "冲正标志", max_length=120, default="冲正|撤销", help_text="摘要含这些文字的行记为冲正"
    )

    class Meta:
        verbose_name = "流水版式预设"
        verbose_name_plural = "流水版式预设"
        ordering = ["-builtin", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "code"], name="preset_code_unique_per_court"),
            models.UniqueConstraint(fields=["court", "name"], name="preset_name_unique_per_court"),
            # NULL courts never collide in a plain unique constraint: the platform-wide ones need their own.
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(court__isnull=True), name="preset_code_unique_platform"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(court__isnull=True), name="preset_name_unique_platform"
            ),
        ]

    def __str__(self) -> str:
        return self.name
