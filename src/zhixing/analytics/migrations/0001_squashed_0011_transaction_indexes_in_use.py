"""The analytics app's history (0001_initial … 0011_transaction_indexes_in_use, 13 migrations) as one migration.

A fresh database is created from the models' final state in one step instead of replaying every
AlterField of the history (Django re-renders every related model after each operation: that made
`migrate` take over a minute). A database that has applied the old migrations keeps them: Django
marks this one applied too (`replaces`). The old files stay until every database has migrated past
them; the data the history leaves in a fresh database is made by the same functions, imported from
the old files (see docs/adr/0030-squashed-migrations.md).
"""

import importlib
import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

# the built-in layout presets for the real statement exports
_builtin_presets = importlib.import_module("zhixing.analytics.migrations.0002_builtin_presets")


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("analytics", "0001_initial"),
        ("analytics", "0002_builtin_presets"),
        ("analytics", "0003_exchange_rates"),
        ("analytics", "0004_preset_court_scope"),
        ("analytics", "0005_leads_follow_up"),
        ("analytics", "0006_words_chinese_labels"),
        ("analytics", "0007_dedup_occurrence_and_decisions"),
        ("analytics", "0007_statement_layout_options"),
        ("analytics", "0007_transaction_corrections"),
        ("analytics", "0008_merge_corrections_dedup"),
        ("analytics", "0009_merge_layout_options"),
        ("analytics", "0010_importjob_lease"),
        ("analytics", "0011_transaction_indexes_in_use"),
    ]

    dependencies = [
        ("cases", "0033_coercion_document_help_text"),
        ("courts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("inquiry", "0001_squashed_0012_merge_0011_asset_preserved_in_0011_asset_title_passed"),
    ]

    operations = [
        migrations.CreateModel(
            name="PropertyLead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("counterparty", models.CharField(max_length=200, verbose_name="交易对方")),
                ("account", models.CharField(blank=True, max_length=64, verbose_name="对方账号")),
                (
                    "lead_type",
                    models.CharField(
                        help_text="房租、车贷、保险费、定期支付、车辆、工资等",
                        max_length=32,
                        verbose_name="线索类型",
                    ),
                ),
                ("months", models.PositiveIntegerField(verbose_name="出现月数")),
                ("total", models.DecimalField(decimal_places=2, max_digits=16, verbose_name="累计金额")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("vehicle", "车辆"),
                            ("real_estate", "不动产"),
                            ("employer", "工作单位（收入）"),
                            ("securities", "证券"),
                            ("insurance", "保险"),
                            ("rent", "租住房屋"),
                            ("payee", "定期收款人"),
                        ],
                        default="payee",
                        help_text="决定由哪一类联动单位定向查询（见 analytics/leadrules.py）",
                        max_length=16,
                        verbose_name="线索种类",
                    ),
                ),
                (
                    "target",
                    models.CharField(
                        blank=True,
                        help_text="车牌号、单位名称等；定向查询时发给联动单位",
                        max_length=64,
                        verbose_name="线索标识",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("new", "待处理"),
                            ("requested", "已定向查询"),
                            ("found", "已查得"),
                            ("not_found", "未查得"),
                            ("field", "实地核查中"),
                            ("verified", "实地核查属实"),
                        ],
                        default="new",
                        max_length=16,
                        verbose_name="处理状态",
                    ),
                ),
                (
                    "due_on",
                    models.DateField(
                        blank=True, help_text="实地核查节点的期限届满日", null=True, verbose_name="核查期限"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True, help_text="查得的财产或核查情况", max_length=200, verbose_name="处理结果"
                    ),
                ),
                ("followed_at", models.DateTimeField(blank=True, null=True, verbose_name="处理时间")),
                ("settled_at", models.DateTimeField(blank=True, null=True, verbose_name="结果时间")),
            ],
            options={
                "verbose_name": "财产线索",
                "verbose_name_plural": "财产线索",
                "ordering": ["id"],
            },
        ),
        migrations.CreateModel(
            name="QuarantinedRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("row_no", models.PositiveIntegerField(verbose_name="文件行号")),
                ("raw", models.TextField(verbose_name="原始内容")),
                ("reason", models.CharField(max_length=300, verbose_name="原因")),
            ],
            options={
                "verbose_name": "隔离行",
                "verbose_name_plural": "隔离行",
                "ordering": ["job", "row_no"],
            },
        ),
        migrations.CreateModel(
            name="RelatedPerson",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=128, verbose_name="姓名/名称")),
                (
                    "relation",
                    models.CharField(
                        choices=[
                            ("spouse", "配偶"),
                            ("parent", "父母"),
                            ("child", "子女"),
                            ("sibling", "兄弟姐妹"),
                            ("other", "其他关联人"),
                        ],
                        max_length=16,
                        verbose_name="关系",
                    ),
                ),
                (
                    "account",
                    models.CharField(
                        blank=True, help_text="已知的对方账号（可空）", max_length=64, verbose_name="账号"
                    ),
                ),
            ],
            options={
                "verbose_name": "关联人",
                "verbose_name_plural": "关联人",
            },
        ),
        migrations.CreateModel(
            name="RuleSet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField(unique=True, verbose_name="版本号")),
                ("name", models.CharField(max_length=64, verbose_name="名称")),
                (
                    "config",
                    models.JSONField(
                        help_text="权重、关键词、阈值，见 docs/analytics.md", verbose_name="规则配置"
                    ),
                ),
                (
                    "active",
                    models.BooleanField(
                        default=False, help_text="新画像使用启用的最高版本", verbose_name="启用"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
            ],
            options={
                "verbose_name": "分析规则版本",
                "verbose_name_plural": "分析规则版本",
                "ordering": ["-version"],
            },
        ),
        migrations.CreateModel(
            name="StatementPreset",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "shared",
                    models.BooleanField(
                        default=False,
                        help_text="勾选后本院的下级法院也可使用该版式（只读）",
                        verbose_name="共享给下级法院",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="如“支付宝账单（GBK）”；同一法院内不重复",
                        max_length=64,
                        verbose_name="名称",
                    ),
                ),
                (
                    "code",
                    models.SlugField(
                        help_text="接口与命令行导入时使用的简称，如 alipay；同一法院内不重复",
                        max_length=32,
                        verbose_name="代码",
                    ),
                ),
                (
                    "institution",
                    models.CharField(
                        blank=True, help_text="出具流水的银行或支付机构", max_length=64, verbose_name="机构"
                    ),
                ),
                (
                    "builtin",
                    models.BooleanField(
                        default=False, help_text="随系统提供的版式，法院工作人员不能修改", verbose_name="内置"
                    ),
                ),
                (
                    "file_format",
                    models.CharField(
                        choices=[
                            ("csv", "CSV 文本"),
                            ("xlsx", "Excel 表格（xlsx）"),
                            ("xls", "Excel 97-2003 表格（xls）"),
                        ],
                        default="csv",
                        help_text="Excel 与 Parquet 文件按内容自动识别；此项主要决定文本文件按 CSV 读取",
                        max_length=8,
                        verbose_name="文件格式",
                    ),
                ),
                (
                    "encoding",
                    models.CharField(
                        default="utf-8", help_text="如 utf-8、gbk", max_length=16, verbose_name="字符编码"
                    ),
                ),
                (
                    "delimiter",
                    models.CharField(
                        default=",", help_text="CSV 字段分隔符", max_length=2, verbose_name="分隔符"
                    ),
                ),
                (
                    "headerless",
                    models.BooleanField(
                        default=False,
                        help_text="勾选表示文件没有列名行：各列名处填写列序号（1、2、3…），“表头行号”填写数据前要跳过的行数",
                        verbose_name="文件没有表头行",
                    ),
                ),
                (
                    "header_row",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="表头所在行（从1起）；为0时按“表头标志”自动查找",
                        verbose_name="表头行号",
                    ),
                ),
                (
                    "header_marker",
                    models.CharField(
                        blank=True,
                        help_text="表头第一列的文字，用于跳过前言行，如“交易时间”",
                        max_length=32,
                        verbose_name="表头标志",
                    ),
                ),
                (
                    "footer_prefixes",
                    models.CharField(
                        blank=True,
                        help_text="以这些文字开头的行视为合计/表尾，不作流水导入，在导入结果中列出，用“|”分隔",
                        max_length=200,
                        verbose_name="表尾前缀",
                    ),
                ),
                (
                    "date_column",
                    models.CharField(
                        help_text="交易日期或日期时间所在列名", max_length=32, verbose_name="日期列"
                    ),
                ),
                (
                    "date_format",
                    models.CharField(
                        blank=True,
                        help_text="留空自动识别 YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD 等；否则选择或填写，如 DD/MM/YYYY、MM/DD/YYYY、YYYY年MM月DD日 HH:mm:ss；不含年份（如 MM/DD）时按账单期间确定年份",
                        max_length=40,
                        verbose_name="日期格式",
                    ),
                ),
                (
                    "time_column",
                    models.CharField(
                        blank=True, help_text="单独的时间列（可空）", max_length=32, verbose_name="时间列"
                    ),
                ),
                (
                    "time_format",
                    models.CharField(
                        blank=True,
                        help_text="留空自动识别 HH:mm:ss、HH:mm、HHmmss",
                        max_length=20,
                        verbose_name="时间格式",
                    ),
                ),
                (
                    "amount_column",
                    models.CharField(
                        blank=True,
                        help_text="单一金额列；带正负号或配合“收支列”使用",
                        max_length=32,
                        verbose_name="金额列",
                    ),
                ),
                (
                    "amount_sign",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("in_positive", "正数为收入、负数为支出（借记卡等）"),
                            ("out_positive", "正数为支出、负数为收入（信用卡等）"),
                        ],
                        default="in_positive",
                        help_text="单一金额列既无收支列也无关键词时，按正负号判断收支；信用卡账单通常正数为消费",
                        max_length=16,
                        verbose_name="金额正负含义",
                    ),
                ),
                (
                    "in_column",
                    models.CharField(
                        blank=True,
                        help_text="收入与支出分列时的收入列",
                        max_length=32,
                        verbose_name="收入金额列",
                    ),
                ),
                (
                    "out_column",
                    models.CharField(
                        blank=True,
                        help_text="收入与支出分列时的支出列",
                        max_length=32,
                        verbose_name="支出金额列",
                    ),
                ),
                (
                    "direction_column",
                    models.CharField(blank=True, help_text="如“收/支”", max_length=32, verbose_name="收支列"),
                ),
                (
                    "direction_in",
                    models.CharField(
                        default="收入", help_text="多个取值用“|”分隔", max_length=64, verbose_name="收入取值"
                    ),
                ),
                (
                    "direction_out",
                    models.CharField(
                        default="支出", help_text="多个取值用“|”分隔", max_length=64, verbose_name="支出取值"
                    ),
                ),
                (
                    "direction_neutral",
                    models.CharField(
                        blank=True,
                        help_text="如“不计收支|/”，这类行记为中性交易",
                        max_length=64,
                        verbose_name="不计收支取值",
                    ),
                ),
                (
                    "direction_text_column",
                    models.CharField(
                        blank=True,
                        help_text="按关键词判断收支时查找的列；留空为“摘要列”",
                        max_length=32,
                        verbose_name="收支关键词所在列",
                    ),
                ),
                (
                    "direction_keywords_in",
                    models.CharField(
                        blank=True,
                        help_text="没有收支列时，该列含这些文字的行记为收入，如“工资|转入|利息”，用“|”分隔",
                        max_length=200,
                        verbose_name="收入关键词",
                    ),
                ),
                (
                    "direction_keywords_out",
                    models.CharField(
                        blank=True,
                        help_text="该列含这些文字的行记为支出，如“消费|转出|取现”；两类都不含的行报错",
                        max_length=200,
                        verbose_name="支出关键词",
                    ),
                ),
                (
                    "counterparty_column",
                    models.CharField(blank=True, max_length=32, verbose_name="交易对方列"),
                ),
                (
                    "counterparty_account_column",
                    models.CharField(blank=True, max_length=32, verbose_name="对方账号列"),
                ),
                (
                    "split_account",
                    models.BooleanField(
                        default=False,
                        help_text="交易对方列末尾的数字串视为对方账号（如招商银行）",
                        verbose_name="对方信息含账号",
                    ),
                ),
                (
                    "merchant_column",
                    models.CharField(blank=True, max_length=32, verbose_name="交易场所/附言列"),
                ),
                ("summary_column", models.CharField(blank=True, max_length=32, verbose_name="摘要列")),
                ("category_column", models.CharField(blank=True, max_length=32, verbose_name="分类列")),
                ("currency_column", models.CharField(blank=True, max_length=32, verbose_name="币种列")),
                ("default_currency", models.CharField(default="CNY", max_length=3, verbose_name="默认币种")),
                ("balance_column", models.CharField(blank=True, max_length=32, verbose_name="余额列")),
                ("txn_id_column", models.CharField(blank=True, max_length=32, verbose_name="交易流水号列")),
                ("status_column", models.CharField(blank=True, max_length=32, verbose_name="状态列")),
                (
                    "ignored_statuses",
                    models.CharField(
                        blank=True,
                        help_text="如“交易关闭”，这类行记为已忽略（仍保存）",
                        max_length=120,
                        verbose_name="不计入的状态",
                    ),
                ),
                (
                    "refund_markers",
                    models.CharField(
                        blank=True,
                        default="退款",
                        help_text="摘要/分类含这些文字的收入或支出行记为退款（收入），用“|”分隔；可空。文件自身记为“不计收支”的行仍不计收支",
                        max_length=120,
                        verbose_name="退款标志",
                    ),
                ),
                (
                    "reversal_markers",
                    models.CharField(
                        blank=True,
                        default="冲正|撤销",
                        help_text="摘要含这些文字的行记为冲正",
                        max_length=120,
                        verbose_name="冲正标志",
                    ),
                ),
                (
                    "period_pattern",
                    models.CharField(
                        blank=True,
                        help_text="在前言/表尾中查找账单起止日期的正则表达式，含两个括号分组，如“起始时间：\\[(\\S+).*终止时间：\\[(\\S+)”；导入时填写的期间优先",
                        max_length=200,
                        verbose_name="账单期间规则",
                    ),
                ),
                (
                    "total_in_pattern",
                    models.CharField(
                        blank=True,
                        help_text="在前言/表尾中查找收入合计的正则表达式，含一个括号分组，如“收入：\\d+笔\\s*([\\d,.]+)元”；导入后与实际读取的收入合计核对，不符时提示",
                        max_length=200,
                        verbose_name="收入合计规则",
                    ),
                ),
                (
                    "total_out_pattern",
                    models.CharField(
                        blank=True,
                        help_text="同上，查找支出合计，如“人民币合计\\s+[\\d,.]+\\s+([\\d,.]+)”",
                        max_length=200,
                        verbose_name="支出合计规则",
                    ),
                ),
                (
                    "total_count_pattern",
                    models.CharField(
                        blank=True,
                        help_text="同上，查找记录笔数，如“共(\\d+)笔记录”",
                        max_length=200,
                        verbose_name="笔数规则",
                    ),
                ),
            ],
            options={
                "verbose_name": "流水版式预设",
                "verbose_name_plural": "流水版式预设",
                "ordering": ["-builtin", "name"],
            },
        ),
        migrations.CreateModel(
            name="Transaction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("row_no", models.PositiveIntegerField(verbose_name="文件行号")),
                ("occurred_at", models.DateTimeField(verbose_name="交易时间")),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="收入为正、支出为负；外币交易已按汇率折算为人民币",
                        max_digits=16,
                        verbose_name="金额（元）",
                    ),
                ),
                (
                    "currency",
                    models.CharField(
                        default="CNY",
                        help_text="流水上的币种，如 CNY、USD",
                        max_length=3,
                        verbose_name="原币种",
                    ),
                ),
                (
                    "original_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="外币交易在流水上的原始金额（带正负号）；人民币交易为空",
                        max_digits=16,
                        null=True,
                        verbose_name="原币金额",
                    ),
                ),
                (
                    "fx_rate",
                    models.DecimalField(
                        blank=True,
                        decimal_places=6,
                        help_text="1单位外币折合人民币元数",
                        max_digits=12,
                        null=True,
                        verbose_name="折算汇率",
                    ),
                ),
                (
                    "direction",
                    models.CharField(
                        choices=[("in", "收入"), ("out", "支出"), ("neutral", "不计收支")],
                        max_length=8,
                        verbose_name="收支",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("normal", "普通"),
                            ("refund", "退款"),
                            ("reversal", "冲正"),
                            ("ignored", "已忽略（如交易关闭）"),
                        ],
                        default="normal",
                        max_length=8,
                        verbose_name="类型",
                    ),
                ),
                ("counterparty", models.CharField(blank=True, max_length=200, verbose_name="交易对方")),
                (
                    "counterparty_account",
                    models.CharField(blank=True, max_length=64, verbose_name="对方账号"),
                ),
                ("merchant", models.CharField(blank=True, max_length=200, verbose_name="交易场所/附言")),
                ("summary", models.CharField(blank=True, max_length=200, verbose_name="摘要")),
                ("category", models.CharField(blank=True, max_length=64, verbose_name="分类")),
                (
                    "balance",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="遮蔽的余额为空",
                        max_digits=16,
                        null=True,
                        verbose_name="余额",
                    ),
                ),
                ("txn_id", models.CharField(blank=True, max_length=80, verbose_name="交易流水号")),
                ("status", models.CharField(blank=True, max_length=32, verbose_name="交易状态")),
                (
                    "line_hash",
                    models.CharField(help_text="用于识别重复行", max_length=64, verbose_name="行摘要"),
                ),
                (
                    "occurrence",
                    models.PositiveIntegerField(
                        default=1,
                        help_text="本文件中时间、金额、收支、交易对方、流水号都相同的行里，这是第几笔（另一份重叠文件据此识别同一笔交易）",
                        verbose_name="同内容序号",
                    ),
                ),
            ],
            options={
                "verbose_name": "交易流水",
                "verbose_name_plural": "交易流水",
                "ordering": ["party", "occurred_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="TransactionCorrection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "direction",
                    models.CharField(
                        help_text="in 收入、out 支出、neutral 不计收支；指标按此计算",
                        max_length=8,
                        verbose_name="更正后收支",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="收入为正、支出为负；指标按此计算",
                        max_digits=16,
                        verbose_name="更正后金额（元）",
                    ),
                ),
                ("counterparty", models.CharField(blank=True, max_length=200, verbose_name="更正后交易对方")),
                ("category", models.CharField(blank=True, max_length=64, verbose_name="更正后分类")),
                (
                    "excluded",
                    models.BooleanField(
                        default=False,
                        help_text="勾选后该行保留在流水中，但不计入任何指标",
                        verbose_name="不计入指标",
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        help_text="为何更正，如“银行把还款记为收入”", max_length=300, verbose_name="更正理由"
                    ),
                ),
                ("corrected_at", models.DateTimeField(auto_now=True, verbose_name="更正时间")),
            ],
            options={
                "verbose_name": "流水更正",
                "verbose_name_plural": "流水更正",
            },
        ),
        migrations.CreateModel(
            name="TravelRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("row_no", models.PositiveIntegerField(verbose_name="文件行号")),
                (
                    "kind",
                    models.CharField(
                        choices=[("flight", "航班"), ("train", "火车"), ("hotel", "酒店")],
                        max_length=8,
                        verbose_name="类型",
                    ),
                ),
                ("start_at", models.DateTimeField(help_text="起飞/发车/入住时间", verbose_name="开始时间")),
                ("end_at", models.DateTimeField(help_text="到达/离店时间", verbose_name="结束时间")),
                ("origin", models.CharField(blank=True, max_length=64, verbose_name="出发地")),
                ("destination", models.CharField(blank=True, max_length=64, verbose_name="目的地")),
                ("carrier", models.CharField(blank=True, max_length=128, verbose_name="航班/车次/酒店")),
                ("seat_class", models.CharField(blank=True, max_length=32, verbose_name="舱位/座席/星级")),
                (
                    "amount",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=16, null=True, verbose_name="金额"
                    ),
                ),
                ("country", models.CharField(default="中国", max_length=32, verbose_name="国家或地区")),
            ],
            options={
                "verbose_name": "出行住宿记录",
                "verbose_name_plural": "出行住宿记录",
                "ordering": ["party", "start_at"],
            },
        ),
        migrations.CreateModel(
            name="BatchRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "排队中"),
                            ("running", "分析中"),
                            ("done", "已完成"),
                            ("failed", "出错"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("total", models.PositiveIntegerField(default=0, verbose_name="被执行人数")),
                ("processed", models.PositiveIntegerField(default=0, verbose_name="已分析")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="发起时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="完成时间")),
                (
                    "court",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
                (
                    "started_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发起人",
                    ),
                ),
            ],
            options={
                "verbose_name": "批量分析",
                "verbose_name_plural": "批量分析",
                "ordering": ["-id"],
            },
        ),
        migrations.CreateModel(
            name="ExchangeRate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "currency",
                    models.CharField(
                        help_text="ISO 4217 三位代码，如 USD（美元）、HKD（港币）、EUR（欧元）",
                        max_length=3,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z]{3}$", "币种应为三位大写字母代码，如 USD"
                            )
                        ],
                        verbose_name="币种",
                    ),
                ),
                (
                    "valid_from",
                    models.DateField(
                        help_text="自该日起适用，直至同一币种下一条汇率的起始日", verbose_name="起始日期"
                    ),
                ),
                (
                    "rate",
                    models.DecimalField(
                        decimal_places=6,
                        help_text="1单位外币折合人民币元数，如 7.123400；可采用中国人民银行公布的人民币汇率中间价",
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.000001"))],
                        verbose_name="汇率",
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True, help_text="如“人民银行中间价”", max_length=100, verbose_name="来源说明"
                    ),
                ),
            ],
            options={
                "verbose_name": "流水折算汇率",
                "verbose_name_plural": "流水折算汇率",
                "ordering": ["currency", "-valid_from"],
                "constraints": [
                    models.UniqueConstraint(fields=("currency", "valid_from"), name="an_rate_currency_day")
                ],
            },
        ),
        migrations.CreateModel(
            name="ImportJob",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("statement", "银行/支付流水"), ("travel", "出行住宿记录")],
                        default="statement",
                        max_length=16,
                        verbose_name="数据类型",
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[("strict", "有错误则整体拒收"), ("quarantine", "隔离错误行，导入其余行")],
                        default="strict",
                        max_length=16,
                        verbose_name="校验方式",
                    ),
                ),
                ("file_name", models.CharField(max_length=200, verbose_name="文件名")),
                (
                    "file_path",
                    models.CharField(
                        help_text="DATA_DIR 下保存的原始文件", max_length=400, verbose_name="存储路径"
                    ),
                ),
                ("sha256", models.CharField(db_index=True, max_length=64, verbose_name="文件摘要")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "排队中"),
                            ("running", "导入中"),
                            ("done", "已完成"),
                            ("rejected", "已拒收"),
                            ("failed", "出错"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("total_rows", models.PositiveIntegerField(default=0, verbose_name="数据行数")),
                ("processed_rows", models.PositiveIntegerField(default=0, verbose_name="已处理行数")),
                ("imported", models.PositiveIntegerField(default=0, verbose_name="导入行数")),
                (
                    "duplicates",
                    models.PositiveIntegerField(
                        default=0, help_text="与已导入行重复，保存但不计入指标", verbose_name="重复行数"
                    ),
                ),
                (
                    "ignored",
                    models.PositiveIntegerField(
                        default=0, help_text="如交易关闭，保存但不计入指标", verbose_name="忽略行数"
                    ),
                ),
                ("quarantined", models.PositiveIntegerField(default=0, verbose_name="隔离行数")),
                (
                    "errors",
                    models.JSONField(
                        blank=True, default=list, help_text="[{row, reason}]", verbose_name="错误与提示"
                    ),
                ),
                (
                    "dedup_decisions",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="每一处重复判定及其理由：重复行（不计入指标）或内容相同但按另一笔交易计入的行",
                        verbose_name="重复判定",
                    ),
                ),
                (
                    "period_start",
                    models.DateField(
                        blank=True,
                        help_text="流水所属账单期间；日期不含年份的版式据此确定年份",
                        null=True,
                        verbose_name="账单起始日",
                    ),
                ),
                ("period_end", models.DateField(blank=True, null=True, verbose_name="账单终止日")),
                (
                    "notes",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="文件前言、表尾/合计行的原文，以及与文件自身合计的核对结果 [{row, kind, level, text}]",
                        verbose_name="文件说明与核对",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="提交时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="完成时间")),
                (
                    "lease_until",
                    models.DateTimeField(
                        blank=True,
                        help_text="正在处理的后台进程持有至此时刻（随进度续期）；过期仍未完成的任务由定时任务重新排队",
                        null=True,
                        verbose_name="处理租约",
                    ),
                ),
                (
                    "court",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="导入人",
                    ),
                ),
                (
                    "party",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.party",
                        verbose_name="被执行人",
                    ),
                ),
            ],
            options={
                "verbose_name": "数据导入任务",
                "verbose_name_plural": "数据导入任务",
                "ordering": ["-id"],
            },
        ),
        migrations.CreateModel(
            name="Profile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period_start", models.DateField(verbose_name="分析起始日")),
                ("period_end", models.DateField(verbose_name="分析终止日")),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        help_text="0–100，越高越可能有能力履行", verbose_name="履行能力评分"
                    ),
                ),
                ("indicators", models.JSONField(default=dict, verbose_name="指标")),
                (
                    "findings",
                    models.JSONField(
                        default=list, help_text="[{rule, label, weight, evidence}]", verbose_name="命中规则"
                    ),
                ),
                ("recommendations", models.JSONField(default=list, verbose_name="处置建议")),
                ("key_dates", models.JSONField(default=dict, verbose_name="案件关键日期")),
                ("computed_at", models.DateTimeField(auto_now_add=True, verbose_name="生成时间")),
                (
                    "batch",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="analytics.batchrun",
                        verbose_name="批量",
                    ),
                ),
                (
                    "computed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="生成人",
                    ),
                ),
                (
                    "court",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
                (
                    "party",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.party",
                        verbose_name="被执行人",
                    ),
                ),
            ],
            options={
                "verbose_name": "被执行人画像",
                "verbose_name_plural": "被执行人画像",
                "ordering": ["-id"],
            },
        ),
        migrations.AddField(
            model_name="propertylead",
            name="asset",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="inquiry.asset",
                verbose_name="查得财产",
            ),
        ),
        migrations.AddField(
            model_name="propertylead",
            name="followed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="处理人",
            ),
        ),
        migrations.AddField(
            model_name="propertylead",
            name="node",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.node",
                verbose_name="线索核查节点",
            ),
        ),
        migrations.AddField(
            model_name="propertylead",
            name="party",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.party",
                verbose_name="被执行人",
            ),
        ),
        migrations.AddField(
            model_name="propertylead",
            name="profile",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="leads",
                to="analytics.profile",
                verbose_name="画像",
            ),
        ),
        migrations.AddField(
            model_name="propertylead",
            name="request",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="inquiry.inquiryrequest",
                verbose_name="定向查询请求",
            ),
        ),
        migrations.AddField(
            model_name="quarantinedrow",
            name="job",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="quarantine",
                to="analytics.importjob",
                verbose_name="导入",
            ),
        ),
        migrations.AddField(
            model_name="relatedperson",
            name="created_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="登记人",
            ),
        ),
        migrations.AddField(
            model_name="relatedperson",
            name="party",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.party",
                verbose_name="被执行人",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="ruleset",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, to="analytics.ruleset", verbose_name="规则版本"
            ),
        ),
        migrations.AddField(
            model_name="statementpreset",
            name="court",
            field=models.ForeignKey(
                blank=True,
                help_text="定义该版式的法院，仅本院可修改；为空表示全平台通用（内置或管理员定义）",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="courts.court",
                verbose_name="所属法院",
            ),
        ),
        migrations.AddField(
            model_name="importjob",
            name="preset",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="analytics.statementpreset",
                verbose_name="版式预设",
            ),
        ),
        migrations.AddField(
            model_name="transaction",
            name="duplicate_of",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="analytics.transaction",
                verbose_name="重复于",
            ),
        ),
        migrations.AddField(
            model_name="transaction",
            name="job",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="transactions",
                to="analytics.importjob",
                verbose_name="导入",
            ),
        ),
        migrations.AddField(
            model_name="transaction",
            name="party",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.party",
                verbose_name="被执行人",
            ),
        ),
        migrations.AddField(
            model_name="transactioncorrection",
            name="corrected_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="更正人",
            ),
        ),
        migrations.AddField(
            model_name="transactioncorrection",
            name="transaction",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="correction",
                to="analytics.transaction",
                verbose_name="流水",
            ),
        ),
        migrations.AddField(
            model_name="travelrecord",
            name="job",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="travel",
                to="analytics.importjob",
                verbose_name="导入",
            ),
        ),
        migrations.AddField(
            model_name="travelrecord",
            name="party",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.party",
                verbose_name="被执行人",
            ),
        ),
        migrations.AddConstraint(
            model_name="statementpreset",
            constraint=models.UniqueConstraint(fields=("court", "code"), name="preset_code_unique_per_court"),
        ),
        migrations.AddConstraint(
            model_name="statementpreset",
            constraint=models.UniqueConstraint(fields=("court", "name"), name="preset_name_unique_per_court"),
        ),
        migrations.AddConstraint(
            model_name="statementpreset",
            constraint=models.UniqueConstraint(
                condition=models.Q(("court__isnull", True)),
                fields=("code",),
                name="preset_code_unique_platform",
            ),
        ),
        migrations.AddConstraint(
            model_name="statementpreset",
            constraint=models.UniqueConstraint(
                condition=models.Q(("court__isnull", True)),
                fields=("name",),
                name="preset_name_unique_platform",
            ),
        ),
        migrations.AddIndex(
            model_name="transaction",
            index=models.Index(fields=["party", "occurred_at"], name="an_tx_party_time"),
        ),
        migrations.AddIndex(
            model_name="transaction",
            index=models.Index(
                condition=models.Q(("duplicate_of__isnull", False)),
                fields=["duplicate_of"],
                name="an_tx_dup_of",
            ),
        ),
        migrations.RunPython(_builtin_presets.install, migrations.RunPython.noop),
    ]
