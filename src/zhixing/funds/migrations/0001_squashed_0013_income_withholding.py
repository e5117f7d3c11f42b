"""The funds app's history (0001_initial … 0013_income_withholding, 13 migrations) as one migration.

A fresh database is created from the models' final state in one step instead of replaying every
AlterField of the history (Django re-renders every related model after each operation: that made
`migrate` take over a minute). A database that has applied the old migrations keeps them: Django
marks this one applied too (`replaces`). The old files stay until every database has migrated past
them; the data the history leaves in a fresh database is made by the same functions, imported from
the old files (see docs/adr/0030-squashed-migrations.md).
"""

import importlib
import django.db.models.deletion
import django.utils.timezone
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

# the ledger's append-only triggers (UPDATE refused; on PostgreSQL DELETE too)
_append_only_triggers = importlib.import_module("zhixing.funds.migrations.0002_append_only_triggers")


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("funds", "0001_initial"),
        ("funds", "0002_append_only_triggers"),
        ("funds", "0003_receipt_return_orders"),
        ("funds", "0004_payout_retries_cancel_portal_link_limits"),
        ("funds", "0005_fclock_payout_clocks"),
        ("funds", "0006_fdist_distribution"),
        ("funds", "0007_fint_custody_interest"),
        ("funds", "0008_frecon_reconciliation"),
        ("funds", "0009_finbox_notice_inbox"),
        ("funds", "0010_words_verbose_names"),
        ("funds", "0011_words_field_labels"),
        ("funds", "0012_fidelity_plan_debtor"),
        ("funds", "0013_income_withholding"),
    ]

    dependencies = [
        ("cases", "0033_coercion_document_help_text"),
        ("courts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CustodyAccount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "bank_name",
                    models.CharField(
                        help_text="执行款专户的开户银行", max_length=64, verbose_name="开户银行"
                    ),
                ),
                (
                    "account_name",
                    models.CharField(
                        help_text="专户户名，通常为法院全称", max_length=128, verbose_name="户名"
                    ),
                ),
                (
                    "account_no",
                    models.CharField(
                        help_text="法院执行款专户账号", max_length=32, unique=True, verbose_name="专户账号"
                    ),
                ),
                (
                    "sub_prefix",
                    models.CharField(
                        help_text="案件虚拟子账号的前缀（数字），由银行分配",
                        max_length=8,
                        unique=True,
                        verbose_name="子账号前缀",
                    ),
                ),
                (
                    "court",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="custody_account",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
            ],
            options={
                "verbose_name": "执行款专户",
                "verbose_name_plural": "执行款专户",
            },
        ),
        migrations.CreateModel(
            name="CaseAccount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "number",
                    models.CharField(
                        help_text="前缀+案件号+ISO 7064校验位",
                        max_length=32,
                        unique=True,
                        verbose_name="案款子账号",
                    ),
                ),
                (
                    "closed",
                    models.BooleanField(default=False, help_text="销户后不再接收来款", verbose_name="已销户"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="开立时间")),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="funds_account",
                        to="cases.enforcementcase",
                        verbose_name="案件",
                    ),
                ),
                (
                    "custody",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="case_accounts",
                        to="funds.custodyaccount",
                        verbose_name="案款专户",
                    ),
                ),
            ],
            options={
                "verbose_name": "案款账户",
                "verbose_name_plural": "案款账户",
            },
        ),
        migrations.CreateModel(
            name="DistributionClaim",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("creditor_name", models.CharField(max_length=128, verbose_name="债权人")),
                (
                    "creditor_id_number",
                    models.CharField(
                        blank=True,
                        help_text="案外债权人的身份证号码或统一社会信用代码",
                        max_length=32,
                        verbose_name="证件号码",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("priority", "法定优先权"),
                            ("secured", "担保物权"),
                            ("ordinary", "普通债权"),
                        ],
                        default="ordinary",
                        max_length=16,
                        verbose_name="债权种类",
                    ),
                ),
                (
                    "rank",
                    models.PositiveSmallIntegerField(
                        default=1, help_text="同种类内的清偿顺位，1为最先", verbose_name="顺位"
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=15, verbose_name="债权金额")),
                (
                    "security_date",
                    models.DateField(
                        blank=True,
                        help_text="担保物权按设立（登记）先后清偿，同日同顺位按比例",
                        null=True,
                        verbose_name="担保物权设立日",
                    ),
                ),
                (
                    "seized_on",
                    models.DateField(
                        blank=True,
                        help_text="企业法人被执行人时普通债权按查封先后",
                        null=True,
                        verbose_name="查封日",
                    ),
                ),
                (
                    "applied_on",
                    models.DateField(help_text="应在被执行财产执行终结前提出", verbose_name="申请参与分配日"),
                ),
                (
                    "basis",
                    models.CharField(
                        blank=True,
                        help_text="债权人取得的执行依据文书号",
                        max_length=128,
                        verbose_name="执行依据",
                    ),
                ),
                ("evidence", models.CharField(blank=True, max_length=500, verbose_name="证据说明")),
                (
                    "evidence_file",
                    models.FileField(blank=True, upload_to="funds/claims/%Y/", verbose_name="证据材料"),
                ),
                ("position", models.PositiveIntegerField(default=0, verbose_name="序号")),
                (
                    "party",
                    models.ForeignKey(
                        blank=True,
                        help_text="债权人是本案当事人时选择；案外债权人留空并填写名称和证件号码",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.party",
                        verbose_name="本案当事人",
                    ),
                ),
            ],
            options={
                "verbose_name": "分配方案债权",
                "verbose_name_plural": "分配方案债权",
                "ordering": ["position", "pk"],
            },
        ),
        migrations.CreateModel(
            name="DistributionObjection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("by_name", models.CharField(max_length=128, verbose_name="异议人")),
                ("by_debtor", models.BooleanField(default=False, verbose_name="被执行人提出")),
                (
                    "proposed_amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="0表示不应参与分配",
                        max_digits=15,
                        verbose_name="异议主张的债权金额",
                    ),
                ),
                ("reason", models.CharField(max_length=500, verbose_name="异议理由")),
                ("received_on", models.DateField(verbose_name="收到异议日")),
                ("notified_on", models.DateField(verbose_name="通知其他债权人、被执行人日")),
                ("counter_due", models.DateField(verbose_name="反对意见期届满日")),
                (
                    "disputed",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="按异议修正后减少的分配额合计",
                        max_digits=15,
                        verbose_name="争议金额",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("open", "反对意见期内"),
                            ("accepted", "无人反对，按异议修正"),
                            ("countered", "有反对意见（起诉期）"),
                            ("suing", "已起诉，争议金额提存"),
                            ("upheld", "诉讼支持异议，按异议修正"),
                            ("dismissed", "诉讼驳回异议，按原方案"),
                            ("lapsed", "未在期限内起诉，按原方案"),
                        ],
                        default="open",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("suit_due", models.DateField(blank=True, null=True, verbose_name="起诉期届满日")),
                ("sued_on", models.DateField(blank=True, null=True, verbose_name="起诉日")),
                ("suit_number", models.CharField(blank=True, max_length=64, verbose_name="诉讼案号")),
                ("result_on", models.DateField(blank=True, null=True, verbose_name="判决/裁定生效日")),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="funds.distributionclaim",
                        verbose_name="异议针对的债权",
                    ),
                ),
            ],
            options={
                "verbose_name": "分配方案异议",
                "verbose_name_plural": "分配方案异议",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="DistributionCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("by_name", models.CharField(max_length=128, verbose_name="反对人")),
                ("received_on", models.DateField(verbose_name="收到反对意见日")),
                (
                    "notified_on",
                    models.DateField(
                        help_text="异议人自收到通知之日起十五日内可以起诉", verbose_name="通知异议人日"
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=500, verbose_name="反对理由")),
                (
                    "objection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="counters",
                        to="funds.distributionobjection",
                        verbose_name="异议",
                    ),
                ),
            ],
            options={
                "verbose_name": "异议的反对意见",
                "verbose_name_plural": "异议的反对意见",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="DistributionPlan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "version",
                    models.PositiveSmallIntegerField(
                        default=1, help_text="按异议修正后重新制作的版本号", verbose_name="版本"
                    ),
                ),
                (
                    "proceeds",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="不超过本案案款余额",
                        max_digits=15,
                        verbose_name="分配财产总额",
                    ),
                ),
                (
                    "costs",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0.00"),
                        help_text="先行扣除的执行费用",
                        max_digits=15,
                        verbose_name="执行费用",
                    ),
                ),
                (
                    "debtor_kind",
                    models.CharField(
                        help_text="自然人、其他组织（合伙企业、个人独资企业、分支机构等）按债权比例清偿（民诉法解释第506、508条）；企业法人按查封先后清偿（第514条）；其他非企业法人按执行措施先后（执行工作规定第55条）",
                        max_length=16,
                        verbose_name="被执行人类型",
                    ),
                ),
                (
                    "first_seizing_court",
                    models.CharField(
                        blank=True,
                        help_text="由首先查封的法院主持分配（执行工作规定第56条）",
                        max_length=64,
                        verbose_name="首先查封法院",
                    ),
                ),
                (
                    "seizure_basis",
                    models.CharField(
                        blank=True,
                        help_text="首封法院的来源：查控记录或承办人登记",
                        max_length=200,
                        verbose_name="首封依据",
                    ),
                ),
                (
                    "cutoff_on",
                    models.DateField(
                        blank=True,
                        help_text="被执行财产执行终结之日，此后申请参与分配不予受理",
                        null=True,
                        verbose_name="参与分配截止日",
                    ),
                ),
                (
                    "lines",
                    models.JSONField(
                        default=list, help_text="按债权计算的分配额及剩余款", verbose_name="分配明细"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "草稿（登记债权）"),
                            ("served", "已送达（异议期）"),
                            ("objected", "有异议"),
                            ("countered", "有反对意见（起诉期）"),
                            ("suing", "分配方案异议之诉审理中"),
                            ("amended", "已按异议修正（由新版本取代）"),
                            ("final", "已生效（待发放）"),
                            ("paid", "已发放完毕"),
                        ],
                        default="draft",
                        max_length=16,
                        verbose_name="阶段",
                    ),
                ),
                ("served_on", models.DateField(blank=True, null=True, verbose_name="送达日")),
                (
                    "objection_due",
                    models.DateField(
                        blank=True,
                        help_text="送达后十五日，遇节假日顺延",
                        null=True,
                        verbose_name="异议期届满日",
                    ),
                ),
                (
                    "counter_objection_due",
                    models.DateField(
                        blank=True,
                        help_text="各异议中最晚的反对意见期届满日",
                        null=True,
                        verbose_name="反对意见期届满日",
                    ),
                ),
                (
                    "held_amount",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0.00"),
                        help_text="诉讼期间提存的争议金额",
                        max_digits=15,
                        verbose_name="提存金额",
                    ),
                ),
                ("finalised_on", models.DateField(blank=True, null=True, verbose_name="生效日")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
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
                    "debtor",
                    models.ForeignKey(
                        blank=True,
                        help_text="被分配财产所属的被执行人（本案有多名被执行人时须选择）",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.party",
                        verbose_name="被执行人",
                    ),
                ),
                (
                    "previous",
                    models.ForeignKey(
                        blank=True,
                        help_text="本方案按异议修正自哪一版本",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="funds.distributionplan",
                        verbose_name="修正前方案",
                    ),
                ),
            ],
            options={
                "verbose_name": "财产分配方案",
                "verbose_name_plural": "财产分配方案",
            },
        ),
        migrations.AddField(
            model_name="distributionobjection",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="objections",
                to="funds.distributionplan",
                verbose_name="分配方案",
            ),
        ),
        migrations.AddField(
            model_name="distributionclaim",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="claims",
                to="funds.distributionplan",
                verbose_name="分配方案",
            ),
        ),
        migrations.CreateModel(
            name="InterestCredit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period_start", models.DateField(help_text="银行结息期间的第一天", verbose_name="计息起日")),
                (
                    "period_end",
                    models.DateField(help_text="银行结息期间的最后一天（含）", verbose_name="计息止日"),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="银行记入执行款专户的利息（元）",
                        max_digits=15,
                        verbose_name="孳息金额",
                    ),
                ),
                (
                    "bank_reference",
                    models.CharField(
                        help_text="银行结息回单或流水号；同一法院同一编号只登记一次",
                        max_length=64,
                        verbose_name="银行结息流水号",
                    ),
                ),
                (
                    "policy",
                    models.CharField(
                        choices=[
                            ("cases", "按案件日均余额分配至各案"),
                            ("state", "不分配至案件（上缴/法院统一处理）"),
                        ],
                        help_text="登记时的孳息处理方式（FUNDS_INTEREST_POLICY）",
                        max_length=8,
                        verbose_name="分配方式",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "待分配"), ("allocated", "已分配")],
                        default="pending",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("note", models.CharField(blank=True, default="", max_length=200, verbose_name="说明")),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                ("allocated_at", models.DateTimeField(blank=True, null=True, verbose_name="分配时间")),
                ("cases_count", models.PositiveIntegerField(default=0, verbose_name="分得案件数")),
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
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
            ],
            options={
                "verbose_name": "执行款孳息",
                "verbose_name_plural": "执行款孳息",
            },
        ),
        migrations.CreateModel(
            name="InterestAllocation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "balance_days",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="计息期间每日日终余额之和（元·天）",
                        max_digits=20,
                        verbose_name="余额积数",
                    ),
                ),
                (
                    "average_balance",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="余额积数 ÷ 计息天数，四舍五入到分（仅供显示）",
                        max_digits=15,
                        verbose_name="日均余额",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="按日均余额比例分得的孳息，最大余额法精确到分",
                        max_digits=15,
                        verbose_name="分得孳息",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        help_text="空表示未分配至案件的部分（上缴或无案款余额）",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
                    ),
                ),
                (
                    "credit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="allocations",
                        to="funds.interestcredit",
                        verbose_name="孳息",
                    ),
                ),
            ],
            options={
                "verbose_name": "孳息分配",
                "verbose_name_plural": "孳息分配",
            },
        ),
        migrations.CreateModel(
            name="LedgerAccount",
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
                        choices=[
                            ("bank", "执行款专户（银行存款）"),
                            ("case", "案款"),
                            ("payable", "应付申请执行人款"),
                            ("refund", "应退被执行人款"),
                            ("held", "提存款"),
                            ("fees", "执行费收入"),
                            ("costs", "实际支出费用"),
                            ("unidentified", "不明款"),
                            ("deposits", "拍卖保证金"),
                            ("interest", "执行款孳息（未分配至案件）"),
                        ],
                        max_length=16,
                        verbose_name="科目",
                    ),
                ),
                (
                    "party_id",
                    models.IntegerField(
                        blank=True, help_text="应付款所属的申请执行人", null=True, verbose_name="当事人"
                    ),
                ),
                (
                    "key",
                    models.CharField(
                        help_text="科目/法院/案件/当事人的唯一组合",
                        max_length=64,
                        unique=True,
                        verbose_name="账户键",
                    ),
                ),
                (
                    "balance",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0.00"),
                        max_digits=15,
                        verbose_name="余额（借方为正）",
                    ),
                ),
                ("entry_count", models.PositiveIntegerField(default=0, verbose_name="分录数")),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
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
            ],
            options={
                "verbose_name": "账户",
                "verbose_name_plural": "账户",
            },
        ),
        migrations.CreateModel(
            name="Payout",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "party_id",
                    models.IntegerField(
                        help_text="申请执行人或被执行人的当事人编号", verbose_name="收款当事人"
                    ),
                ),
                (
                    "purpose",
                    models.CharField(
                        choices=[("applicant", "发还申请执行人"), ("refund", "退还被执行人")],
                        default="applicant",
                        max_length=16,
                        verbose_name="类型",
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=15, verbose_name="金额")),
                ("account_name", models.CharField(max_length=128, verbose_name="收款户名")),
                ("account_no", models.CharField(max_length=64, verbose_name="收款账号")),
                ("bank_name", models.CharField(blank=True, max_length=64, verbose_name="开户行")),
                (
                    "name_mismatch",
                    models.BooleanField(
                        default=False, help_text="需增加一级审批", verbose_name="户名与当事人不一致"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "审批中"),
                            ("approved", "已审批待发送"),
                            ("sending", "已发送银行"),
                            ("paid", "已支付"),
                            ("failed", "银行退回"),
                            ("rejected", "已驳回"),
                            ("cancelled", "已撤回"),
                        ],
                        default="proposed",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("chain", models.JSONField(default=list, help_text="依次需要的岗位", verbose_name="审批链")),
                ("step", models.PositiveSmallIntegerField(default=0, verbose_name="已完成审批级数")),
                ("proposed_at", models.DateTimeField(auto_now_add=True, verbose_name="申请时间")),
                ("funds_arrived_on", models.DateField(blank=True, null=True, verbose_name="款项到账日")),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="发款期限")),
                ("order_key", models.CharField(max_length=64, unique=True, verbose_name="支付指令幂等键")),
                ("bank_payment_id", models.CharField(blank=True, max_length=64, verbose_name="银行支付编号")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="发送时间")),
                ("paid_at", models.DateTimeField(blank=True, null=True, verbose_name="到账时间")),
                ("fail_reason", models.CharField(blank=True, max_length=200, verbose_name="失败原因")),
                (
                    "send_attempts",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="未能连接银行的发送尝试次数（自动重发有上限）",
                        verbose_name="发送尝试次数",
                    ),
                ),
                (
                    "last_error",
                    models.CharField(
                        blank=True,
                        help_text="最近一次发送未获银行答复的原因，页面据此提示",
                        max_length=200,
                        verbose_name="发送问题",
                    ),
                ),
                (
                    "next_attempt_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="为空且已达上限时不再自动重发",
                        null=True,
                        verbose_name="下次自动重发时间",
                    ),
                ),
                (
                    "cancel_reason",
                    models.CharField(
                        blank=True, help_text="撤回或驳回时填写", max_length=200, verbose_name="撤回/驳回理由"
                    ),
                ),
                (
                    "cancelled_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="撤回发款的工作人员",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="撤回人",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
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
                    "proposed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="申请人",
                    ),
                ),
            ],
            options={
                "verbose_name": "发款",
                "verbose_name_plural": "发款",
            },
        ),
        migrations.CreateModel(
            name="PayoutApproval",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("step", models.PositiveSmallIntegerField(verbose_name="审批级")),
                ("role", models.CharField(max_length=16, verbose_name="岗位")),
                ("approve", models.BooleanField(verbose_name="同意")),
                (
                    "note",
                    models.CharField(
                        blank=True, help_text="驳回时的理由", max_length=200, verbose_name="审批意见"
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="审批时间")),
                (
                    "approver",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="审批人",
                    ),
                ),
                (
                    "payout",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="approvals",
                        to="funds.payout",
                        verbose_name="发款",
                    ),
                ),
            ],
            options={
                "verbose_name": "发款审批",
                "verbose_name_plural": "发款审批",
            },
        ),
        migrations.CreateModel(
            name="PayoutClock",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "part",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="0：来款本身；1起：暂缓部分金额时从中分出的部分",
                        verbose_name="分段",
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=15, verbose_name="金额")),
                (
                    "open_amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="仍在案款账户中的本笔来款金额",
                        max_digits=15,
                        verbose_name="尚未发放金额",
                    ),
                ),
                (
                    "arrived_on",
                    models.DateField(
                        help_text="财务通知款项到账之日（认领的不明款为认领之日）", verbose_name="到账日"
                    ),
                ),
                (
                    "due_on",
                    models.DateField(
                        blank=True, help_text="暂缓发放期间为空", null=True, verbose_name="发款期限"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("running", "计时中"),
                            ("held", "暂缓发放（停止计时）"),
                            ("met", "已发放完毕"),
                        ],
                        default="running",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("met_on", models.DateField(blank=True, null=True, verbose_name="发放完毕日")),
                (
                    "overdue_since",
                    models.DateField(
                        blank=True,
                        help_text="扫描发现超过发款期限之日；按期发放或暂缓后清空",
                        null=True,
                        verbose_name="超期日",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
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
            ],
            options={
                "verbose_name": "发款期限",
                "verbose_name_plural": "发款期限",
            },
        ),
        migrations.CreateModel(
            name="PayoutHold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        help_text="事由代码（见 funds.conf.hold_reasons）",
                        max_length=32,
                        verbose_name="暂缓发放事由",
                    ),
                ),
                (
                    "article",
                    models.CharField(
                        help_text="设置时事由所引用的条文", max_length=300, verbose_name="法律依据"
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="为空表示本案全部案款",
                        max_digits=15,
                        null=True,
                        verbose_name="暂缓金额",
                    ),
                ),
                ("start", models.DateField(verbose_name="开始日期")),
                ("end", models.DateField(blank=True, null=True, verbose_name="解除日期")),
                ("followup_due", models.DateField(blank=True, null=True, verbose_name="原因消除后发放期限")),
                (
                    "note",
                    models.CharField(
                        blank=True, help_text="文书文号或情况说明", max_length=200, verbose_name="说明"
                    ),
                ),
                ("lift_note", models.CharField(blank=True, max_length=200, verbose_name="解除说明")),
                (
                    "suspension_id",
                    models.IntegerField(
                        blank=True,
                        help_text="因案件中止执行自动设置时，对应的中止记录编号",
                        null=True,
                        verbose_name="中止记录",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
                    ),
                ),
                (
                    "clocks",
                    models.ManyToManyField(
                        blank=True,
                        help_text="停止计时的发款期限",
                        related_name="holds",
                        to="funds.payoutclock",
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
                    "lifted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="解除人",
                    ),
                ),
                (
                    "placed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="提存人",
                    ),
                ),
            ],
            options={
                "verbose_name": "暂缓发放",
                "verbose_name_plural": "暂缓发放",
            },
        ),
        migrations.CreateModel(
            name="PortalToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        help_text="链接中的随机令牌", max_length=64, unique=True, verbose_name="链接令牌"
                    ),
                ),
                ("party_id", models.IntegerField(help_text="申请执行人的当事人编号", verbose_name="当事人")),
                (
                    "created_at",
                    models.DateTimeField(
                        blank=True, help_text="链接生成时间", null=True, verbose_name="生成时间"
                    ),
                ),
                (
                    "expires_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="过期后链接不能再使用；为空（旧链接）视为已过期",
                        null=True,
                        verbose_name="失效时间",
                    ),
                ),
                (
                    "failed_checks",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="身份核验连续失败次数，达到上限即锁定",
                        verbose_name="核验失败次数",
                    ),
                ),
                (
                    "locked_at",
                    models.DateTimeField(
                        blank=True, help_text="核验失败过多被锁定的时间", null=True, verbose_name="锁定时间"
                    ),
                ),
                (
                    "verify_digest",
                    models.CharField(
                        blank=True,
                        help_text="本次核验发给浏览器会话的一次性凭证的SHA-256；更改收款账户时使用并清除",
                        max_length=64,
                        verbose_name="核验凭证摘要",
                    ),
                ),
                ("verified_at", models.DateTimeField(blank=True, null=True, verbose_name="人脸核验通过时间")),
                ("account_name", models.CharField(blank=True, max_length=128, verbose_name="确认户名")),
                ("account_no", models.CharField(blank=True, max_length=64, verbose_name="确认账号")),
                ("bank_name", models.CharField(blank=True, max_length=64, verbose_name="开户行")),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
                    ),
                ),
            ],
            options={
                "verbose_name": "领款链接",
                "verbose_name_plural": "领款链接",
            },
        ),
        migrations.CreateModel(
            name="Receipt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "bank_txn_id",
                    models.CharField(max_length=128, unique=True, verbose_name="银行流水号/幂等键"),
                ),
                (
                    "source",
                    models.CharField(
                        help_text="notice/statement/deduction/manual", max_length=16, verbose_name="来源"
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=15, verbose_name="金额")),
                ("payer_name", models.CharField(blank=True, max_length=128, verbose_name="付款人")),
                ("payer_account", models.CharField(blank=True, max_length=64, verbose_name="付款账号")),
                ("to_account", models.CharField(blank=True, max_length=32, verbose_name="收款子账号")),
                ("memo", models.CharField(blank=True, max_length=200, verbose_name="附言")),
                ("value_date", models.DateField(verbose_name="到账日期")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("booked", "已入案款"),
                            ("unidentified", "不明款待认领"),
                            ("claimed", "不明款已认领"),
                            ("returning", "不明款退回中"),
                            ("returned", "不明款已退回"),
                        ],
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("claim_due", models.DateField(blank=True, null=True, verbose_name="认领期限")),
                (
                    "return_reason",
                    models.CharField(
                        blank=True,
                        db_default="",
                        default="",
                        help_text="财务退回不明款时填写的原因",
                        max_length=200,
                        verbose_name="退回原因",
                    ),
                ),
                (
                    "return_order_key",
                    models.CharField(
                        blank=True,
                        help_text="原路退回付款人的支付指令幂等键；重发同一指令银行只付一次",
                        max_length=64,
                        null=True,
                        unique=True,
                        verbose_name="退回指令幂等键",
                    ),
                ),
                (
                    "return_payment_id",
                    models.CharField(
                        blank=True,
                        db_default="",
                        default="",
                        help_text="银行确认退回的支付编号",
                        max_length=64,
                        verbose_name="退回支付编号",
                    ),
                ),
                (
                    "return_fail_reason",
                    models.CharField(
                        blank=True,
                        db_default="",
                        default="",
                        help_text="银行退回失败的原因；失败后该款仍为不明款",
                        max_length=200,
                        verbose_name="退回失败原因",
                    ),
                ),
                (
                    "return_attempts",
                    models.PositiveSmallIntegerField(
                        db_default=0,
                        default=0,
                        help_text="未能连接银行的发送尝试次数（自动重发有上限）",
                        verbose_name="退回指令发送次数",
                    ),
                ),
                (
                    "return_last_error",
                    models.CharField(
                        blank=True,
                        db_default="",
                        default="",
                        help_text="最近一次发送未获银行答复的原因，页面据此提示",
                        max_length=200,
                        verbose_name="退回指令发送问题",
                    ),
                ),
                (
                    "return_next_attempt_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="为空且已达上限时不再自动重发",
                        null=True,
                        verbose_name="退回指令下次重发时间",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
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
            ],
            options={
                "verbose_name": "来款",
                "verbose_name_plural": "来款",
            },
        ),
        migrations.AddField(
            model_name="payoutclock",
            name="receipt",
            field=models.ForeignKey(
                help_text="计时所依据的来款（部分金额被暂缓时，一笔来款分为暂缓部分与其余部分两个期限）",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payout_clocks",
                to="funds.receipt",
                verbose_name="来款",
            ),
        ),
        migrations.CreateModel(
            name="Reconciliation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "statement_date",
                    models.DateField(help_text="对账单日期（银行按起息日出具）", verbose_name="对账日期"),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[("upload", "财务上传"), ("bank", "银行接口（每日自动）")],
                        default="upload",
                        max_length=8,
                        verbose_name="来源",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("balanced", "平衡"),
                            ("differences", "有差异"),
                            ("confirmed", "差异已确认"),
                        ],
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                (
                    "ledger_balance",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="账簿中专户截至对账日日终的余额",
                        max_digits=15,
                        verbose_name="账簿专户余额",
                    ),
                ),
                (
                    "bank_balance",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="对账单日终余额",
                        max_digits=15,
                        null=True,
                        verbose_name="银行日终余额",
                    ),
                ),
                (
                    "unexplained",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        help_text="余额差额中未被差异明细解释的部分；为0才可确认",
                        max_digits=15,
                        verbose_name="未解释差额",
                    ),
                ),
                (
                    "matched",
                    models.PositiveIntegerField(
                        default=0, help_text="按银行流水号自动勾对的笔数", verbose_name="已勾对笔数"
                    ),
                ),
                (
                    "difference_count",
                    models.PositiveIntegerField(default=0, help_text="差异明细总数", verbose_name="差异笔数"),
                ),
                (
                    "open_count",
                    models.PositiveIntegerField(
                        default=0, help_text="尚未确认或补记的差异", verbose_name="未处理差异笔数"
                    ),
                ),
                ("run_at", models.DateTimeField(auto_now_add=True, verbose_name="对账时间")),
                (
                    "confirmed_by",
                    models.CharField(
                        blank=True,
                        help_text="处理最后一笔差异的财务人员",
                        max_length=64,
                        verbose_name="确认人",
                    ),
                ),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
                (
                    "court",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
            ],
            options={
                "verbose_name": "银行对账",
                "verbose_name_plural": "银行对账",
            },
        ),
        migrations.CreateModel(
            name="ReconciliationAlert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("statement_date", models.DateField(verbose_name="对账日期")),
                (
                    "kind",
                    models.CharField(
                        choices=[("differences", "对账有差异"), ("unavailable", "未能取得对账单")],
                        max_length=12,
                        verbose_name="预警类型",
                    ),
                ),
                ("message", models.CharField(max_length=200, verbose_name="预警内容")),
                ("raised_at", models.DateTimeField(auto_now_add=True, verbose_name="预警时间")),
                (
                    "resolved_at",
                    models.DateTimeField(
                        blank=True, help_text="对账平衡或差异确认后解除", null=True, verbose_name="解除时间"
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
                    "reconciliation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="alerts",
                        to="funds.reconciliation",
                        verbose_name="对账",
                    ),
                ),
            ],
            options={
                "verbose_name": "对账预警",
                "verbose_name_plural": "对账预警",
            },
        ),
        migrations.CreateModel(
            name="ReconciliationItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        choices=[
                            ("bank_only", "银行有、账簿无"),
                            ("ledger_only", "账簿有、银行无"),
                            ("amount", "金额不符"),
                        ],
                        max_length=12,
                        verbose_name="差异类型",
                    ),
                ),
                (
                    "ref",
                    models.CharField(
                        help_text="银行流水号或支付编号（账簿侧为其凭证号）",
                        max_length=128,
                        verbose_name="流水号",
                    ),
                ),
                ("value_date", models.DateField(verbose_name="日期")),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2, help_text="收入为正，支出为负", max_digits=15, verbose_name="金额"
                    ),
                ),
                (
                    "other_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="金额不符时另一方的金额",
                        max_digits=15,
                        null=True,
                        verbose_name="对方金额",
                    ),
                ),
                ("counterparty", models.CharField(blank=True, max_length=128, verbose_name="对方户名")),
                ("account", models.CharField(blank=True, max_length=64, verbose_name="对方账号")),
                ("to_account", models.CharField(blank=True, max_length=32, verbose_name="收款子账号")),
                ("memo", models.CharField(blank=True, max_length=200, verbose_name="摘要")),
                (
                    "candidates",
                    models.JSONField(
                        default=list,
                        help_text="同金额、日期相近、付款人相似的另一方记录",
                        verbose_name="候选匹配",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "待处理"), ("matched", "已确认匹配"), ("booked", "已补记入账")],
                        default="open",
                        max_length=8,
                        verbose_name="处理状态",
                    ),
                ),
                (
                    "matched_ref",
                    models.CharField(
                        blank=True,
                        help_text="确认匹配的另一方记录",
                        max_length=128,
                        verbose_name="匹配的流水号",
                    ),
                ),
                (
                    "matched_date",
                    models.DateField(
                        blank=True,
                        help_text="另一方记录的日期（跨日的未达账项）",
                        null=True,
                        verbose_name="匹配记录日期",
                    ),
                ),
                ("resolved_by", models.CharField(blank=True, max_length=64, verbose_name="处理人")),
                ("resolved_at", models.DateTimeField(blank=True, null=True, verbose_name="处理时间")),
                (
                    "reconciliation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="funds.reconciliation",
                        verbose_name="对账",
                    ),
                ),
            ],
            options={
                "verbose_name": "对账差异",
                "verbose_name_plural": "对账差异",
            },
        ),
        migrations.CreateModel(
            name="StatementImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("statement_date", models.DateField(verbose_name="对账单日期")),
                (
                    "closing_balance",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=15, null=True, verbose_name="银行日终余额"
                    ),
                ),
                ("lines", models.JSONField(default=list, verbose_name="明细")),
                ("booked", models.PositiveIntegerField(default=0, verbose_name="新入账笔数")),
                ("imported_at", models.DateTimeField(auto_now_add=True, verbose_name="导入时间")),
                ("imported_by", models.CharField(blank=True, max_length=64, verbose_name="导入人")),
                (
                    "court",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
            ],
            options={
                "verbose_name": "银行对账单导入",
                "verbose_name_plural": "银行对账单导入",
            },
        ),
        migrations.AddField(
            model_name="reconciliation",
            name="statement",
            field=models.OneToOneField(
                help_text="对应的对账单",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reconciliation",
                to="funds.statementimport",
                verbose_name="对账单",
            ),
        ),
        migrations.CreateModel(
            name="StatementLayout",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="如“工商银行网银导出”；本院内不重复", max_length=64, verbose_name="版式名称"
                    ),
                ),
                (
                    "bank_name",
                    models.CharField(
                        blank=True, help_text="出具对账单的银行", max_length=64, verbose_name="银行"
                    ),
                ),
                (
                    "header_row",
                    models.PositiveSmallIntegerField(
                        default=1, help_text="表头所在行（从1起）", verbose_name="表头行号"
                    ),
                ),
                (
                    "encoding",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "自动识别（UTF-8 或 GBK）"),
                            ("utf-8", "UTF-8"),
                            ("gbk", "GBK（GB18030）"),
                        ],
                        help_text="CSV文件的字符编码",
                        max_length=8,
                        verbose_name="字符编码",
                    ),
                ),
                (
                    "date_format",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "自动识别（YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD、YYYY.MM.DD）"),
                            ("%Y-%m-%d", "YYYY-MM-DD"),
                            ("%Y/%m/%d", "YYYY/MM/DD"),
                            ("%Y%m%d", "YYYYMMDD"),
                            ("%Y.%m.%d", "YYYY.MM.DD"),
                            ("%Y年%m月%d日", "YYYY年MM月DD日"),
                            ("%Y-%m-%d %H:%M:%S", "YYYY-MM-DD hh:mm:ss"),
                        ],
                        help_text="交易日期的写法",
                        max_length=24,
                        verbose_name="日期格式",
                    ),
                ),
                (
                    "amount_mode",
                    models.CharField(
                        choices=[
                            ("signed", "金额带正负号（收入为正、支出为负）"),
                            ("direction", "金额为正数，另有收支方向列"),
                            ("split", "收入金额、支出金额分两列"),
                        ],
                        default="signed",
                        help_text="收入与支出如何区分",
                        max_length=12,
                        verbose_name="金额方向",
                    ),
                ),
                (
                    "direction_in",
                    models.CharField(
                        default="收|收入|贷|入",
                        help_text="收支方向列中表示收入的取值，用“|”分隔",
                        max_length=64,
                        verbose_name="收入方向取值",
                    ),
                ),
                (
                    "direction_out",
                    models.CharField(
                        default="付|支出|借|出",
                        help_text="收支方向列中表示支出的取值，用“|”分隔",
                        max_length=64,
                        verbose_name="支出方向取值",
                    ),
                ),
                (
                    "txn_id_column",
                    models.CharField(
                        blank=True,
                        help_text="对账单中“银行流水号”所在列的列名（表头文字）",
                        max_length=64,
                        verbose_name="银行流水号列",
                    ),
                ),
                (
                    "date_column",
                    models.CharField(
                        blank=True,
                        help_text="对账单中“交易日期”所在列的列名（表头文字）",
                        max_length=64,
                        verbose_name="交易日期列",
                    ),
                ),
                (
                    "amount_column",
                    models.CharField(
                        blank=True,
                        help_text="对账单中“金额”所在列的列名（表头文字）",
                        max_length=64,
                        verbose_name="金额列",
                    ),
                ),
                (
                    "direction_column",
                    models.CharField(
                        blank=True,
                        help_text="对账单中“收支方向”所在列的列名（表头文字）",
                        max_length=64,
                        verbose_name="收支方向列",
                    ),
                ),
                (
                    "in_amount_column",
                    models.CharField(
                        blank=True,
                        help_text="对账单中“收入金额”所在列的列名（表头文字）",
                        max_length=64,
                        verbose_name="收入金额列",
                    ),
                ),
                (
                    "out_amount_column",
                    models.CharField(
                        blank=True,
                        help_text="对账单中“支出金额”所在列的列名（表头文字）",
                        max_length=64,
                        verbose_name="支出金额列",
                    ),
                ),
                (
                    "payer_name_column",
                    models.CharField(
                        blank=True,
                        help_text="对账单中“对方户名”所在列的列名（表头文字）",
                        max_length=64,
                        verbose_name="对方户名列",
                    ),
                ),
                (
                    "payer_account_column",
                    models.CharField(
                        blank=True,
                        help_text="对账单中“对方账号”所在列的列名（表头文字）",
                        max_length=64,
                        verbose_name="对方账号列",
                    ),
                ),
                (
                    "to_account_column",
                    models.CharField(
                        blank=True,
                        help_text="对账单中“收款子账号”所在列的列名（表头文字）",
                        max_length=64,
                        verbose_name="收款子账号列",
                    ),
                ),
                (
                    "memo_column",
                    models.CharField(
                        blank=True,
                        help_text="对账单中“摘要”所在列的列名（表头文字）",
                        max_length=64,
                        verbose_name="摘要列",
                    ),
                ),
                (
                    "balance_column",
                    models.CharField(
                        blank=True,
                        help_text="对账单中“余额”所在列的列名（表头文字）",
                        max_length=64,
                        verbose_name="余额列",
                    ),
                ),
                ("updated_by", models.CharField(blank=True, max_length=64, verbose_name="最后修改人")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="最后修改时间")),
                (
                    "court",
                    models.ForeignKey(
                        help_text="定义该版式的法院",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
            ],
            options={
                "verbose_name": "对账单版式",
                "verbose_name_plural": "对账单版式",
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
                ("idempotency_key", models.CharField(max_length=128, unique=True, verbose_name="幂等键")),
                (
                    "kind",
                    models.CharField(
                        help_text="receipt/claim/payout/fee/reversal…", max_length=24, verbose_name="业务类型"
                    ),
                ),
                ("memo", models.CharField(blank=True, max_length=200, verbose_name="摘要")),
                ("posted_at", models.DateTimeField(auto_now_add=True, verbose_name="记账时间")),
                ("actor_name", models.CharField(blank=True, max_length=64, verbose_name="经办人")),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
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
                    "reverses",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reversed_by",
                        to="funds.transaction",
                        verbose_name="冲正的交易",
                    ),
                ),
            ],
            options={
                "verbose_name": "记账凭证",
                "verbose_name_plural": "记账凭证",
            },
        ),
        migrations.CreateModel(
            name="Entry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, max_digits=15, verbose_name="金额（借正贷负）"),
                ),
                (
                    "balance_after",
                    models.DecimalField(decimal_places=2, max_digits=15, verbose_name="记账后余额"),
                ),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="funds.ledgeraccount",
                        verbose_name="账户",
                    ),
                ),
                (
                    "transaction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="funds.transaction",
                        verbose_name="交易",
                    ),
                ),
            ],
            options={
                "verbose_name": "分录",
                "verbose_name_plural": "分录",
            },
        ),
        migrations.CreateModel(
            name="BankNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "txn_id",
                    models.CharField(
                        help_text="银行交易流水号，通知的幂等键",
                        max_length=128,
                        unique=True,
                        verbose_name="银行流水号",
                    ),
                ),
                (
                    "custody_account_no",
                    models.CharField(
                        help_text="收款专户账号（通知所带或按子账号前缀确定）",
                        max_length=32,
                        verbose_name="专户账号",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2, help_text="来款金额（元）", max_digits=15, verbose_name="金额"
                    ),
                ),
                ("value_date", models.DateField(help_text="银行记账的到账日期", verbose_name="到账日期")),
                (
                    "to_account",
                    models.CharField(
                        blank=True,
                        help_text="付款人填写的案件子账号",
                        max_length=32,
                        verbose_name="收款子账号",
                    ),
                ),
                (
                    "payer_name",
                    models.CharField(
                        blank=True,
                        help_text="银行通知的付款人户名",
                        max_length=128,
                        verbose_name="付款人户名",
                    ),
                ),
                (
                    "payer_account",
                    models.CharField(
                        blank=True, help_text="银行通知的付款账号", max_length=64, verbose_name="付款账号"
                    ),
                ),
                (
                    "memo",
                    models.CharField(blank=True, help_text="付款附言", max_length=200, verbose_name="附言"),
                ),
                (
                    "idempotency_key",
                    models.CharField(
                        help_text="银行签名消息的 Idempotency-Key", max_length=128, verbose_name="通知幂等键"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("received", "已受理待入账"),
                            ("booked", "已入案款"),
                            ("unidentified", "已入不明款"),
                            ("conflict", "流水号冲突未入账"),
                        ],
                        default="received",
                        help_text="受理→入账的进度",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                (
                    "error",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="冲突等未能入账的原因",
                        max_length=200,
                        verbose_name="未入账原因",
                    ),
                ),
                (
                    "received_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        help_text="通知写入收件箱（向银行确认）的时间",
                        verbose_name="受理时间",
                    ),
                ),
                (
                    "booked_at",
                    models.DateTimeField(
                        blank=True, help_text="记入账簿的时间", null=True, verbose_name="入账时间"
                    ),
                ),
                (
                    "court",
                    models.ForeignKey(
                        db_index=False,
                        help_text="收款专户所属法院（受理时确定）",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
            ],
            options={
                "verbose_name": "来款通知",
                "verbose_name_plural": "来款通知",
                "indexes": [
                    models.Index(
                        condition=models.Q(("status", "received")), fields=["id"], name="funds_notice_pending"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="IncomeWithholding",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "payer_name",
                    models.CharField(
                        help_text="被执行人的工作单位或其他支付收入的单位（接收协助执行通知书）",
                        max_length=128,
                        verbose_name="协助执行单位",
                    ),
                ),
                (
                    "payer_account",
                    models.CharField(
                        blank=True,
                        help_text="单位转入扣留款所用的银行账号（选填）；案款到账时按付款人名称或此账号归入本扣留",
                        max_length=64,
                        verbose_name="协助单位付款账号",
                    ),
                ),
                (
                    "income_kind",
                    models.CharField(
                        choices=[
                            ("wages", "工资、奖金"),
                            ("pension", "退休金、养老金"),
                            ("service", "劳务报酬"),
                            ("rent", "租金收入"),
                            ("other", "其他收入"),
                        ],
                        max_length=16,
                        verbose_name="收入种类",
                    ),
                ),
                (
                    "monthly_income",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="被执行人每月应得的该项收入（元）",
                        max_digits=15,
                        verbose_name="每月收入",
                    ),
                ),
                (
                    "living_standard",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="每人每月（元）；被执行人及所扶养家属按此标准保留生活必需费用（查封扣押冻结规定第3条）",
                        max_digits=15,
                        verbose_name="当地最低生活保障标准",
                    ),
                ),
                ("dependants", models.PositiveSmallIntegerField(default=0, verbose_name="所扶养家属人数")),
                (
                    "monthly_amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="每月收入减去生活必需费用，不超过尚欠金额（民事诉讼法第254条）",
                        max_digits=15,
                        verbose_name="每月扣留金额",
                    ),
                ),
                (
                    "limit",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="裁定时被执行人尚欠的金额；扣足即止（民事诉讼法第253条）",
                        max_digits=15,
                        verbose_name="扣留总额上限",
                    ),
                ),
                (
                    "ruling_number",
                    models.CharField(
                        help_text="扣留、提取收入的执行裁定书文号", max_length=96, verbose_name="裁定书文号"
                    ),
                ),
                (
                    "notice_number",
                    models.CharField(max_length=96, unique=True, verbose_name="协助执行通知书文号"),
                ),
                (
                    "start_on",
                    models.DateField(help_text="自该日后支付的收入开始扣留", verbose_name="起扣日期"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "扣留中"), ("lifted", "已解除")],
                        default="active",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("lifted_on", models.DateField(blank=True, null=True, verbose_name="解除日期")),
                ("lift_reason", models.CharField(blank=True, max_length=200, verbose_name="解除理由")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
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
                    "debtor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.party",
                        verbose_name="被执行人",
                    ),
                ),
                (
                    "lifted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="解除人",
                    ),
                ),
                (
                    "ordered_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="裁定人",
                    ),
                ),
            ],
            options={
                "verbose_name": "扣留收入",
                "verbose_name_plural": "扣留收入",
                "indexes": [
                    models.Index(fields=["case", "status"], name="withholding_case"),
                    models.Index(
                        condition=models.Q(("status", "active")), fields=["court"], name="withholding_active"
                    ),
                ],
            },
        ),
        migrations.AddIndex(
            model_name="interestcredit",
            index=models.Index(fields=["status", "id"], name="interest_credit_status"),
        ),
        migrations.AddConstraint(
            model_name="interestcredit",
            constraint=models.UniqueConstraint(
                fields=("court", "bank_reference"), name="interest_credit_unique_ref"
            ),
        ),
        migrations.AddIndex(
            model_name="interestallocation",
            index=models.Index(fields=["case", "credit"], name="interest_alloc_case"),
        ),
        migrations.AddIndex(
            model_name="ledgeraccount",
            index=models.Index(fields=["case", "kind"], name="funds_ledge_case_id_9cec1a_idx"),
        ),
        migrations.AddIndex(
            model_name="payout",
            index=models.Index(fields=["court", "status"], name="funds_payou_court_i_9770a5_idx"),
        ),
        migrations.AddConstraint(
            model_name="payoutapproval",
            constraint=models.UniqueConstraint(fields=("payout", "step"), name="funds_one_decision_per_step"),
        ),
        migrations.AddIndex(
            model_name="payouthold",
            index=models.Index(fields=["case", "end"], name="funds_hold_case_open"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["court", "status"], name="funds_recei_court_i_68577e_idx"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["case", "value_date"], name="funds_recei_case_id_efe97b_idx"),
        ),
        migrations.AddIndex(
            model_name="payoutclock",
            index=models.Index(fields=["status", "due_on"], name="funds_clock_open_due"),
        ),
        migrations.AddIndex(
            model_name="payoutclock",
            index=models.Index(fields=["case", "arrived_on"], name="funds_clock_case"),
        ),
        migrations.AddIndex(
            model_name="payoutclock",
            index=models.Index(fields=["court", "status", "due_on"], name="funds_clock_court_due"),
        ),
        migrations.AddConstraint(
            model_name="payoutclock",
            constraint=models.UniqueConstraint(fields=("receipt", "part"), name="funds_clock_receipt_part"),
        ),
        migrations.AddConstraint(
            model_name="reconciliationalert",
            constraint=models.UniqueConstraint(
                condition=models.Q(("resolved_at__isnull", True)),
                fields=("court", "statement_date", "kind"),
                name="funds_recon_alert_open_once",
            ),
        ),
        migrations.AddIndex(
            model_name="reconciliationitem",
            index=models.Index(fields=["ref", "side", "status"], name="funds_recon_item_ref"),
        ),
        migrations.AddIndex(
            model_name="reconciliation",
            index=models.Index(fields=["court", "-statement_date"], name="funds_recon_court_date"),
        ),
        migrations.AddConstraint(
            model_name="statementlayout",
            constraint=models.UniqueConstraint(fields=("court", "name"), name="funds_layout_name_per_court"),
        ),
        migrations.RunPython(_append_only_triggers.forwards, _append_only_triggers.backwards),
    ]
