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
        XLS = "xls", "Excel 97-2003 表格（xls）"

    class Sign(models.TextChoices):
        IN_POSITIVE = "in_positive", "正数为收入、负数为支出（借记卡等）"
        OUT_POSITIVE = "out_positive", "正数为支出、负数为收入（信用卡等）"

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
    file_format = models.CharField(
        "文件格式",
        max_length=8,
        choices=Format.choices,
        default=Format.CSV,
        help_text="Excel 与 Parquet 文件按内容自动识别；此项主要决定文本文件按 CSV 读取",
    )
    encoding = models.CharField("字符编码", max_length=16, default="utf-8", help_text="如 utf-8、gbk")
    delimiter = models.CharField("分隔符", max_length=2, default=",", help_text="CSV 字段分隔符")
    headerless = models.BooleanField(
        "文件没有表头行",
        default=False,
        help_text="勾选表示文件没有列名行：各列名处填写列序号（1、2、3…），“表头行号”填写数据前要跳过的行数",
    )
    header_row = models.PositiveIntegerField(
        "表头行号", default=0, help_text="表头所在行（从1起）；为0时按“表头标志”自动查找"
    )
    header_marker = models.CharField(
        "表头标志", max_length=32, blank=True, help_text="表头第一列的文字，用于跳过前言行，如“交易时间”"
    )
    footer_prefixes = models.CharField(
        "表尾前缀",
        max_length=200,
        blank=True,
        help_text="以这些文字开头的行视为合计/表尾，不作流水导入，在导入结果中列出，用“|”分隔",
    )
    date_column = models.CharField("日期列", max_length=32, help_text="交易日期或日期时间所在列名")
    date_format = models.CharField(
        "日期格式",
        max_length=40,
        blank=True,
        help_text="留空自动识别 YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD 等；否则选择或填写，如 DD/MM/YYYY、"
        "MM/DD/YYYY、YYYY年MM月DD日 HH:mm:ss；不含年份（如 MM/DD）时按账单期间确定年份",
    )
    time_column = models.CharField("时间列", max_length=32, blank=True, help_text="单独的时间列（可空）")
    time_format = models.CharField(
        "时间格式", max_length=20, blank=True, help_text="留空自动识别 HH:mm:ss、HH:mm、HHmmss"
    )
    amount_column = models.CharField(
        "金额列", max_length=32, blank=True, help_text="单一金额列；带正负号或配合“收支列”使用"
    )
    amount_sign = models.CharField(
        "金额正负含义",
        max_length=16,
        choices=Sign.choices,
        default=Sign.IN_POSITIVE,
        blank=True,
        help_text="单一金额列既无收支列也无关键词时，按正负号判断收支；信用卡账单通常正数为消费",
    )
    in_column = models.CharField(
        "收入金额列", max_length=32, blank=True, help_text="收入与支出分列时的收入列"
    )
    out_column = models.CharField(
        "支出金额列", max_length=32, blank=True, help_text="收入与支出分列时的支出列"
    )
    decimal_comma = models.BooleanField(
        "金额以逗号作小数点",
        default=False,
        help_text="德国等欧洲银行的导出文件以逗号“,”作小数点、以点“.”或空格分隔千位，如“-1.234,56”即"
        "-1234.56、“12,50”即12.50，此时请勾选（金额、余额及合计均按此读取）；不勾选时按国内常规读取，如“1,234.56”",
    )
    direction_column = models.CharField("收支列", max_length=32, blank=True, help_text="如“收/支”")
    direction_in = models.CharField("收入取值", max_length=64, default="收入", help_text="多个取值用“|”分隔")
    direction_out = models.CharField("支出取值", max_length=64, default="支出", help_text="多个取值用“|”分隔")
    direction_neutral = models.CharField(
        "不计收支取值", max_length=64, blank=True, help_text="如“不计收支|/”，这类行记为中性交易"
    )
    direction_text_column = models.CharField(
        "收支关键词所在列", max_length=32, blank=True, help_text="按关键词判断收支时查找的列；留空为“摘要列”"
    )
    direction_keywords_in = models.CharField(
        "收入关键词",
        max_length=200,
        blank=True,
        help_text="没有收支列时，该列含这些文字的行记为收入，如“工资|转入|利息”，用“|”分隔",
    )
    direction_keywords_out = models.CharField(
        "支出关键词",
        max_length=200,
        blank=True,
        help_text="该列含这些文字的行记为支出，如“消费|转出|取现”；两类都不含的行报错",
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
        "退款标志",
        max_length=120,
        default="退款",
        blank=True,
        help_text="摘要/分类含这些文字的收入或支出行记为退款（收入），用“|”分隔；可空。"
        "文件自身记为“不计收支”的行仍不计收支",
    )
    reversal_markers = models.CharField(
        "冲正标志", max_length=120, default="冲正|撤销", blank=True, help_text="摘要含这些文字的行记为冲正"
    )
    period_pattern = models.CharField(
        "账单期间规则",
        max_length=200,
        blank=True,
        help_text="在前言/表尾中查找账单起止日期的正则表达式，含两个括号分组，"
        "如“起始时间：\\[(\\S+).*终止时间：\\[(\\S+)”；导入时填写的期间优先",
    )
    total_in_pattern = models.CharField(
        "收入合计规则",
        max_length=200,
        blank=True,
        help_text="在前言/表尾中查找收入合计的正则表达式，含一个括号分组，如“收入：\\d+笔\\s*([\\d,.]+)元”；"
        "导入后与实际读取的收入合计核对，不符时提示",
    )
    total_out_pattern = models.CharField(
        "支出合计规则",
        max_length=200,
        blank=True,
        help_text="同上，查找支出合计，如“人民币合计\\s+[\\d,.]+\\s+([\\d,.]+)”",
    )
    total_count_pattern = models.CharField(
        "笔数规则", max_length=200, blank=True, help_text="同上，查找记录笔数，如“共(\\d+)笔记录”"
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
