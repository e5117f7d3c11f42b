"""The inquiry app's history (0001_initial … 0012_merge_0011_asset_preserved_in_0011_asset_title_passed, 13 migrations) as one migration.

A fresh database is created from the models' final state in one step instead of replaying every
AlterField of the history (Django re-renders every related model after each operation: that made
`migrate` take over a minute). A database that has applied the old migrations keeps them: Django
marks this one applied too (`replaces`). The old files stay until every database has migrated past
them; the data the history leaves in a fresh database is made by the same functions, imported from
the old files (see docs/adr/0030-squashed-migrations.md).
"""

import importlib
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

# the 16 nationally searchable asset categories and the sandbox's partner institutions
_seed_categories_partners = importlib.import_module(
    "zhixing.inquiry.migrations.0002_seed_categories_partners"
)


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("inquiry", "0001_initial"),
        ("inquiry", "0002_seed_categories_partners"),
        ("inquiry", "0003_dormant_reinquiry"),
        ("inquiry", "0004_register_view_once_a_day"),
        ("inquiry", "0005_measures_cancelled_requests"),
        ("inquiry", "0006_expiry_control_terms"),
        ("inquiry", "0007_leads_target_ref"),
        ("inquiry", "0008_triage_acts"),
        ("inquiry", "0009_words_field_labels"),
        ("inquiry", "0010_reinquiry_result_notices_and_attention"),
        ("inquiry", "0011_asset_preserved_in"),
        ("inquiry", "0011_asset_title_passed"),
        ("inquiry", "0012_merge_0011_asset_preserved_in_0011_asset_title_passed"),
    ]

    dependencies = [
        ("cases", "0033_coercion_document_help_text"),
        ("courts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CallbackLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("received_at", models.DateTimeField(auto_now_add=True, verbose_name="接收时间")),
                ("partner_code", models.CharField(blank=True, max_length=32, verbose_name="声称的机构")),
                ("idempotency_key", models.CharField(blank=True, max_length=64, verbose_name="幂等键")),
                ("accepted", models.BooleanField(verbose_name="已接受")),
                ("status", models.PositiveSmallIntegerField(verbose_name="应答码")),
                ("reason", models.CharField(blank=True, max_length=200, verbose_name="原因")),
            ],
            options={
                "verbose_name": "回调记录",
                "verbose_name_plural": "回调记录",
            },
        ),
        migrations.CreateModel(
            name="Partner",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="协议中 X-ZX-Partner 的取值",
                        max_length=32,
                        unique=True,
                        verbose_name="机构代码",
                    ),
                ),
                ("name", models.CharField(max_length=64, verbose_name="机构名称")),
                (
                    "channel",
                    models.CharField(
                        choices=[("national", "总对总"), ("direct", "点对点")],
                        default="national",
                        max_length=16,
                        verbose_name="接入方式",
                    ),
                ),
                (
                    "actions",
                    models.JSONField(
                        default=list,
                        help_text="query/freeze/deduct/seize/release/renew 中该机构支持的操作",
                        verbose_name="支持的操作",
                    ),
                ),
                (
                    "base_url",
                    models.CharField(
                        blank=True,
                        help_text="为空时使用配置 ZHIXING_SANDBOX_URL（模拟联动单位）",
                        max_length=200,
                        verbose_name="接口地址",
                    ),
                ),
                (
                    "shared_secret",
                    models.CharField(
                        help_text="HMAC-SHA256 签名密钥，双方共享", max_length=128, verbose_name="共享密钥"
                    ),
                ),
                (
                    "adapter",
                    models.CharField(
                        default="protocol",
                        help_text="protocol：标准签名JSON协议",
                        max_length=32,
                        verbose_name="适配器",
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="启用")),
            ],
            options={
                "verbose_name": "联动单位",
                "verbose_name_plural": "联动单位",
                "ordering": ["category__order", "code"],
            },
        ),
        migrations.CreateModel(
            name="PartnerCategory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="如 deposit、real_estate",
                        max_length=32,
                        unique=True,
                        verbose_name="类别代码",
                    ),
                ),
                (
                    "name",
                    models.CharField(help_text="如 银行存款、不动产", max_length=32, verbose_name="类别名称"),
                ),
                (
                    "asset_kind",
                    models.CharField(
                        default="info",
                        help_text="funds 资金（可冻结扣划）/ real_estate 不动产 / movable 动产 / right 其他财产权 / info 仅信息",
                        max_length=16,
                        verbose_name="财产形态",
                    ),
                ),
                (
                    "default_selected",
                    models.BooleanField(
                        default=True, help_text="一键查控时是否默认查询此类", verbose_name="一键查控默认勾选"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
            ],
            options={
                "verbose_name": "查控财产类别",
                "verbose_name_plural": "查控财产类别",
                "ordering": ["order", "code"],
            },
        ),
        migrations.CreateModel(
            name="Asset",
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
                            ("account", "账户"),
                            ("house", "不动产"),
                            ("vehicle", "车辆"),
                            ("vessel", "船舶"),
                            ("securities", "证券"),
                            ("equity", "股权"),
                            ("info", "信息"),
                        ],
                        max_length=16,
                        verbose_name="形态",
                    ),
                ),
                (
                    "ref",
                    models.CharField(
                        help_text="账号、不动产权证号、车牌号、证券账户等",
                        max_length=64,
                        verbose_name="账号/证号",
                    ),
                ),
                ("description", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                (
                    "value",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0"),
                        help_text="账户余额或财产估值（元）",
                        max_digits=15,
                        verbose_name="余额/估值",
                    ),
                ),
                (
                    "divisible",
                    models.BooleanField(
                        default=True, help_text="资金可按金额冻结；房屋车辆不可分割", verbose_name="可分割"
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("none", "未控制"),
                            ("frozen", "已冻结"),
                            ("seized", "已查封"),
                            ("queued", "轮候查封"),
                            ("deducted", "已扣划"),
                            ("released", "已解除"),
                            ("lapsed", "已失效"),
                            ("closed", "账户已销户"),
                        ],
                        default="none",
                        max_length=16,
                        verbose_name="控制状态",
                    ),
                ),
                (
                    "frozen_amount",
                    models.DecimalField(
                        decimal_places=2, default=Decimal("0"), max_digits=15, verbose_name="冻结金额"
                    ),
                ),
                (
                    "deducted_amount",
                    models.DecimalField(
                        decimal_places=2, default=Decimal("0"), max_digits=15, verbose_name="扣划金额"
                    ),
                ),
                (
                    "seizure_rank",
                    models.PositiveSmallIntegerField(
                        blank=True, help_text="1为首封，大于1为轮候", null=True, verbose_name="查封顺位"
                    ),
                ),
                (
                    "registered_on",
                    models.DateField(
                        blank=True,
                        help_text="查封（含轮候查封）在登记机构登记的日期；轮候按登记先后排序",
                        null=True,
                        verbose_name="登记日",
                    ),
                ),
                (
                    "effective_on",
                    models.DateField(
                        blank=True,
                        help_text="控制措施生效之日；轮候查封在前手解除或失效、自动转为正式查封之日生效（查封规定第二十六条）",
                        null=True,
                        verbose_name="生效日",
                    ),
                ),
                (
                    "control_start",
                    models.DateField(
                        blank=True,
                        help_text="本期期限的起算日；轮候查封生效后自生效日重新起算",
                        null=True,
                        verbose_name="控制起始日",
                    ),
                ),
                (
                    "control_expires",
                    models.DateField(
                        blank=True, help_text="按控制期限自动计算", null=True, verbose_name="控制到期日"
                    ),
                ),
                (
                    "indivisible_reason",
                    models.CharField(
                        blank=True,
                        help_text="不可分割财产价值超过剩余标的额时记录的理由",
                        max_length=200,
                        verbose_name="超标的理由",
                    ),
                ),
                (
                    "details",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="信息类查询（户籍、税务、出入境等）的反馈内容",
                        verbose_name="其他信息",
                    ),
                ),
                ("found_at", models.DateTimeField(verbose_name="查得时间")),
                (
                    "title_passed_on",
                    models.DateField(
                        blank=True,
                        help_text="拍卖成交裁定送达买受人之日，财产所有权自该日转移（网拍规定第22条）",
                        null=True,
                        verbose_name="所有权转移日",
                    ),
                ),
                (
                    "title_passed_ref",
                    models.CharField(
                        blank=True,
                        db_default="",
                        help_text="成交裁定及买受人，如“拍卖成交裁定（标的12）”",
                        max_length=200,
                        verbose_name="所有权转移依据",
                    ),
                ),
                (
                    "preserved_in",
                    models.CharField(
                        blank=True,
                        db_default="",
                        default="",
                        help_text="由诉讼保全案件（执保）转入的，原保全案号；查封顺位、登记日、期限与续行记录均保持不变",
                        max_length=40,
                        verbose_name="诉讼保全案号",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
                    ),
                ),
                (
                    "party",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.party",
                        verbose_name="被执行人",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inquiry.partner",
                        verbose_name="联动单位",
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inquiry.partnercategory",
                        verbose_name="类别",
                    ),
                ),
            ],
            options={
                "verbose_name": "查控财产",
                "verbose_name_plural": "查控财产",
            },
        ),
        migrations.CreateModel(
            name="InquiryBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("centralised", models.BooleanField(default=False, verbose_name="集中查控")),
                ("categories", models.JSONField(default=list, verbose_name="查询类别")),
                ("case_count", models.PositiveIntegerField(default=0, verbose_name="案件数")),
                ("request_count", models.PositiveIntegerField(default=0, verbose_name="请求数")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="发起时间")),
                (
                    "court",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="发起法院",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="为空表示系统自动发起（如终本案件定期查询）",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发起人",
                    ),
                ),
            ],
            options={
                "verbose_name": "查控批次",
                "verbose_name_plural": "查控批次",
            },
        ),
        migrations.CreateModel(
            name="DormantRound",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("run_on", models.DateField(help_text="系统自动发起定期查询的日期", verbose_name="查询日期")),
                (
                    "last_round_on",
                    models.DateField(
                        blank=True,
                        help_text="本次查询前最近一轮网络查询的日期；为空表示从未查询",
                        null=True,
                        verbose_name="上次查询日期",
                    ),
                ),
                ("requests", models.PositiveIntegerField(default=0, verbose_name="请求数")),
                (
                    "found",
                    models.PositiveIntegerField(
                        default=0, help_text="本轮查得的财产项数（不含信息类）", verbose_name="查得财产数"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("pending", "查询中"),
                            ("empty", "未发现财产"),
                            ("found", "发现财产，待审查恢复执行"),
                            ("failed", "查询失败"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="查询结果",
                    ),
                ),
                ("settled_at", models.DateTimeField(blank=True, null=True, verbose_name="结果确定时间")),
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
                    "batch",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inquiry.inquirybatch",
                        verbose_name="查控批次",
                    ),
                ),
            ],
            options={
                "verbose_name": "终本案件定期查询",
                "verbose_name_plural": "终本案件定期查询",
            },
        ),
        migrations.CreateModel(
            name="InquiryRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("query", "查询"),
                            ("freeze", "冻结"),
                            ("deduct", "扣划"),
                            ("seize", "查封/扣押"),
                            ("release", "解除"),
                            ("renew", "续行"),
                        ],
                        max_length=16,
                        verbose_name="操作",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="冻结/扣划/解除的金额（元）",
                        max_digits=15,
                        null=True,
                        verbose_name="金额",
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=200, verbose_name="理由")),
                (
                    "target_ref",
                    models.CharField(
                        blank=True,
                        db_default="",
                        default="",
                        help_text="按线索定向查询时的财产标识（如车牌号）；为空表示按被执行人身份号码查询",
                        max_length=64,
                        verbose_name="定向查询标识",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("awaiting_approval", "待审批"),
                            ("pending", "待发送"),
                            ("sending", "发送中"),
                            ("waiting", "等待反馈"),
                            ("done", "已反馈"),
                            ("failed", "失败"),
                            ("rejected", "审批未通过"),
                            ("cancelled", "已撤回"),
                        ],
                        default="pending",
                        max_length=20,
                        verbose_name="状态",
                    ),
                ),
                (
                    "idempotency_key",
                    models.CharField(
                        help_text="重试沿用同一键，对方只执行一次",
                        max_length=64,
                        unique=True,
                        verbose_name="幂等键",
                    ),
                ),
                ("notice_number", models.CharField(max_length=96, verbose_name="协助执行通知书文号")),
                (
                    "approvals",
                    models.JSONField(
                        default=list, help_text="[{role, by, name, at}]", verbose_name="审批记录"
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="发送次数")),
                (
                    "due_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="到期后由定时任务批量领取",
                        null=True,
                        verbose_name="下次处理时间",
                    ),
                ),
                ("lease_until", models.DateTimeField(blank=True, null=True, verbose_name="领取租约")),
                ("last_error", models.CharField(blank=True, max_length=300, verbose_name="最近错误")),
                ("outcome", models.JSONField(blank=True, null=True, verbose_name="反馈结果")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="提起时间")),
                ("completed_at", models.DateTimeField(blank=True, null=True, verbose_name="反馈时间")),
                (
                    "asset",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inquiry.asset",
                        verbose_name="财产",
                    ),
                ),
                (
                    "batch",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inquiry.inquirybatch",
                        verbose_name="查控批次",
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
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inquiry.inquiryrequest",
                        verbose_name="原请求",
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
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="为空表示系统自动发起（如结案后解除控制）",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="提起人",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inquiry.partner",
                        verbose_name="联动单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "查控请求",
                "verbose_name_plural": "查控请求",
            },
        ),
        migrations.CreateModel(
            name="DeductionReceivable",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=15, verbose_name="应到账金额")),
                ("payer_bank", models.CharField(max_length=64, verbose_name="扣划机构")),
                (
                    "idempotency_key",
                    models.CharField(
                        help_text="案款入账时据此去重", max_length=64, unique=True, verbose_name="幂等键"
                    ),
                ),
                (
                    "booked",
                    models.BooleanField(
                        default=False, help_text="由案款模块入账后置为是", verbose_name="已入账"
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
                    "request",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inquiry.inquiryrequest",
                        verbose_name="查控请求",
                    ),
                ),
            ],
            options={
                "verbose_name": "扣划应收款",
                "verbose_name_plural": "扣划应收款",
            },
        ),
        migrations.AddField(
            model_name="partner",
            name="category",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="partners",
                to="inquiry.partnercategory",
                verbose_name="财产类别",
            ),
        ),
        migrations.CreateModel(
            name="RegisterView",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "day",
                    models.DateField(
                        help_text="首次查看的日期（北京时间）；同一人同一案件每日只留痕一次",
                        verbose_name="查看日期",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        help_text="当日首次查看的途径：web 页面或 api 接口",
                        max_length=16,
                        verbose_name="查看途径",
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="查看人",
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
            ],
            options={
                "verbose_name": "财产登记查看记录",
                "verbose_name_plural": "财产登记查看记录",
            },
        ),
        migrations.CreateModel(
            name="ReinquiryNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "addressees",
                    models.CharField(help_text="本案申请执行人", max_length=300, verbose_name="收件人"),
                ),
                (
                    "content",
                    models.TextField(
                        help_text="查询日期、查询结果及申请恢复执行的权利", verbose_name="告知内容"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("to_serve", "待送达"), ("served", "已送达")],
                        default="to_serve",
                        max_length=16,
                        verbose_name="送达状态",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="生成时间")),
                ("served_at", models.DateTimeField(blank=True, null=True, verbose_name="送达时间")),
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
                    "round",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notice",
                        to="inquiry.dormantround",
                        verbose_name="定期查询",
                    ),
                ),
            ],
            options={
                "verbose_name": "终本定期查询结果告知",
                "verbose_name_plural": "终本定期查询结果告知",
            },
        ),
        migrations.CreateModel(
            name="TriageFlag",
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
                            ("settlement", "当事人可能和解或可能自动履行完毕"),
                            ("disputed_law", "案情疑难复杂、法律关系存在冲突"),
                            ("major_impact", "在辖区内有重大影响"),
                            ("designated", "上级法院指定执行"),
                        ],
                        max_length=16,
                        verbose_name="标注事项",
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        help_text="如 和解意向的来源、指定执行文书文号",
                        max_length=200,
                        verbose_name="依据或说明",
                    ),
                ),
                ("set_at", models.DateTimeField(verbose_name="标注时间")),
                ("cleared_at", models.DateTimeField(blank=True, null=True, verbose_name="撤销时间")),
                ("clear_reason", models.CharField(blank=True, max_length=200, verbose_name="撤销理由")),
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
                    "cleared_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="撤销人",
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="标注人",
                    ),
                ),
                (
                    "set_by_court",
                    models.ForeignKey(
                        help_text="标注人所在法院",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="标注法院",
                    ),
                ),
            ],
            options={
                "verbose_name": "分流事实标注",
                "verbose_name_plural": "分流事实标注",
            },
        ),
        migrations.CreateModel(
            name="CaseTriage",
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
                            ("waiting", "待满足分流条件"),
                            ("proposed", "待决定"),
                            ("accepted", "已采纳建议"),
                            ("overridden", "已调整分流"),
                        ],
                        db_index=True,
                        default="waiting",
                        max_length=16,
                        verbose_name="分流状态",
                    ),
                ),
                (
                    "proposed",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("simple", "简案快执"),
                            ("complex", "繁案精办"),
                            ("dormant", "无财产（拟终本）"),
                        ],
                        help_text="为空表示尚未满足分流条件",
                        max_length=16,
                        verbose_name="建议分流",
                    ),
                ),
                (
                    "reasons",
                    models.JSONField(
                        default=list,
                        help_text="[{code, text, source, recorded}]，每条注明出处",
                        verbose_name="建议理由",
                    ),
                ),
                (
                    "also",
                    models.JSONField(
                        default=list, help_text="案件同时符合的其他分流标准", verbose_name="同时符合"
                    ),
                ),
                (
                    "waiting",
                    models.CharField(
                        blank=True, help_text="尚不能提出建议的原因", max_length=200, verbose_name="等待原因"
                    ),
                ),
                ("rounds", models.PositiveSmallIntegerField(default=0, verbose_name="已完成查控轮数")),
                ("evaluated_at", models.DateTimeField(blank=True, null=True, verbose_name="最近评估时间")),
                (
                    "track",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("simple", "简案快执"),
                            ("complex", "繁案精办"),
                            ("dormant", "无财产（拟终本）"),
                        ],
                        help_text="执行局确定的分流；为空表示尚未确定",
                        max_length=16,
                        verbose_name="确定分流",
                    ),
                ),
                ("override_reason", models.CharField(blank=True, max_length=200, verbose_name="调整理由")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="决定时间")),
                (
                    "effects",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="决定的效果：移送的团队、承办人、分流期限",
                        verbose_name="分流效果",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
                    ),
                ),
                (
                    "court",
                    models.ForeignKey(
                        help_text="案件的执行法院（分流队列按此筛选）",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="决定人",
                    ),
                ),
            ],
            options={
                "verbose_name": "繁简分流",
                "verbose_name_plural": "繁简分流",
                "indexes": [
                    models.Index(fields=["court", "status", "evaluated_at"], name="triage_court_status")
                ],
            },
        ),
        migrations.CreateModel(
            name="ControlAlert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("warn", "即将到期"),
                            ("lapsed", "已到期失效"),
                            ("effective", "轮候转为正式查封"),
                        ],
                        max_length=16,
                        verbose_name="预警类型",
                    ),
                ),
                (
                    "expires_on",
                    models.DateField(
                        help_text="预警所针对的控制到期日；续行后新的到期日会再次预警",
                        verbose_name="控制到期日",
                    ),
                ),
                ("raised_at", models.DateTimeField(verbose_name="预警时间")),
                (
                    "asset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="inquiry.asset",
                        verbose_name="财产",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
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
                    "handler",
                    models.ForeignKey(
                        blank=True,
                        help_text="预警时案件的承办人（局长按法院范围查看）",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="承办人",
                    ),
                ),
            ],
            options={
                "verbose_name": "控制措施预警",
                "verbose_name_plural": "控制措施预警",
                "indexes": [
                    models.Index(fields=["court", "-raised_at"], name="control_alert_court"),
                    models.Index(fields=["handler", "-raised_at"], name="control_alert_handler"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("asset", "level", "expires_on"), name="control_alert_once"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DormantAttention",
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
                        help_text="无法网络查控的原因，如被执行人身份号码无效",
                        max_length=500,
                        verbose_name="原因",
                    ),
                ),
                ("since", models.DateField(verbose_name="首次发现日期")),
                ("last_seen", models.DateField(verbose_name="最近一次定期查询日期")),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
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
                "verbose_name": "终本案件需关注",
                "verbose_name_plural": "终本案件需关注",
                "indexes": [models.Index(fields=["court", "since"], name="dormant_attention_court")],
            },
        ),
        migrations.AddIndex(
            model_name="dormantround",
            index=models.Index(fields=["court", "run_on"], name="dormant_round_court_day"),
        ),
        migrations.AddIndex(
            model_name="dormantround",
            index=models.Index(
                condition=models.Q(("outcome", "pending")), fields=["outcome"], name="dormant_round_pending"
            ),
        ),
        migrations.AddConstraint(
            model_name="dormantround",
            constraint=models.UniqueConstraint(fields=("case", "run_on"), name="dormant_round_once_a_day"),
        ),
        migrations.AddIndex(
            model_name="inquiryrequest",
            index=models.Index(
                condition=models.Q(("status__in", ["pending", "waiting"])),
                fields=["due_at"],
                name="inqreq_due",
            ),
        ),
        migrations.AddIndex(
            model_name="inquiryrequest",
            index=models.Index(
                condition=models.Q(("status", "sending")), fields=["lease_until"], name="inqreq_lease"
            ),
        ),
        migrations.AddIndex(
            model_name="inquiryrequest",
            index=models.Index(fields=["case", "-id"], name="inqreq_case"),
        ),
        migrations.AddIndex(
            model_name="inquiryrequest",
            index=models.Index(fields=["court", "status"], name="inqreq_court_status"),
        ),
        migrations.AddIndex(
            model_name="asset",
            index=models.Index(fields=["case", "party"], name="asset_case_party"),
        ),
        migrations.AddIndex(
            model_name="asset",
            index=models.Index(
                condition=models.Q(("state__in", ["frozen", "seized", "queued"])),
                fields=["control_expires"],
                name="asset_control_expiry",
            ),
        ),
        migrations.AddIndex(
            model_name="asset",
            index=models.Index(
                condition=models.Q(("state", "lapsed")), fields=["control_expires"], name="asset_lapsed"
            ),
        ),
        migrations.AddIndex(
            model_name="asset",
            index=models.Index(fields=["partner", "ref"], name="asset_partner_ref"),
        ),
        migrations.AddConstraint(
            model_name="asset",
            constraint=models.UniqueConstraint(
                fields=("case", "party", "partner", "ref"), name="asset_unique_per_case"
            ),
        ),
        migrations.AddConstraint(
            model_name="registerview",
            constraint=models.UniqueConstraint(
                fields=("actor", "case", "day"), name="register_view_once_a_day"
            ),
        ),
        migrations.AddIndex(
            model_name="reinquirynotice",
            index=models.Index(
                condition=models.Q(("status", "to_serve")),
                fields=["status"],
                name="reinquiry_notice_to_serve",
            ),
        ),
        migrations.AddConstraint(
            model_name="triageflag",
            constraint=models.UniqueConstraint(
                condition=models.Q(("cleared_at__isnull", True)),
                fields=("case", "kind"),
                name="triage_flag_once",
            ),
        ),
        migrations.RunPython(_seed_categories_partners.seed, _seed_categories_partners.unseed),
    ]
