"""The portal app's history (0001_public_portal_tips_petitions … 0002_party_portal, 2 migrations) as one migration.

A fresh database is created from the models' final state in one step instead of replaying every
AlterField of the history (Django re-renders every related model after each operation: that made
`migrate` take over a minute). A database that has applied the old migrations keeps them: Django
marks this one applied too (`replaces`). The old files stay until every database has migrated past
them; the data the history leaves in a fresh database is made by the same functions, imported from
the old files (see docs/adr/0030-squashed-migrations.md).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("portal", "0001_public_portal_tips_petitions"),
        ("portal", "0002_party_portal"),
    ]

    dependencies = [
        ("cases", "0033_coercion_document_help_text"),
        ("courts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PortalCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("phone", models.CharField(db_index=True, max_length=11, verbose_name="手机号码")),
                (
                    "code_hash",
                    models.CharField(
                        help_text="验证码的HMAC-SHA256，不保存明文", max_length=64, verbose_name="验证码摘要"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="发送时间")),
                ("expires_at", models.DateTimeField(verbose_name="失效时间")),
                (
                    "tries",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="达到上限后此验证码作废", verbose_name="核验次数"
                    ),
                ),
                ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="使用时间")),
            ],
            options={
                "verbose_name": "门户登录验证码",
                "verbose_name_plural": "门户登录验证码",
            },
        ),
        migrations.CreateModel(
            name="CaseQueryCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "query_code",
                    models.CharField(
                        help_text="告知当事人的8位查询码；与案号一起在执行公开网查询案件进度",
                        max_length=16,
                        verbose_name="查询码",
                    ),
                ),
                (
                    "issued_at",
                    models.DateTimeField(help_text="最近一次生成查询码的时间", verbose_name="发放时间"),
                ),
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
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="空表示系统（演示数据）",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发放人",
                    ),
                ),
            ],
            options={
                "verbose_name": "案件查询码",
                "verbose_name_plural": "案件查询码",
            },
        ),
        migrations.CreateModel(
            name="NodePushRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "node_code",
                    models.CharField(
                        help_text="流程节点类型的代码，如 notice、inquiry",
                        max_length=32,
                        verbose_name="节点代码",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[("portal", "当事人门户"), ("sms", "短信")],
                        max_length=16,
                        verbose_name="推送渠道",
                    ),
                ),
                (
                    "audience",
                    models.CharField(
                        choices=[("all", "全部当事人"), ("applicant", "申请执行人"), ("debtor", "被执行人")],
                        default="all",
                        max_length=16,
                        verbose_name="推送对象",
                    ),
                ),
                ("enabled", models.BooleanField(default=True, verbose_name="启用")),
            ],
            options={
                "verbose_name": "节点推送配置",
                "verbose_name_plural": "节点推送配置",
                "constraints": [
                    models.UniqueConstraint(fields=("node_code", "channel"), name="node_push_rule_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="PublishedRuling",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "document_id",
                    models.PositiveBigIntegerField(
                        help_text="所公开的已制作文书（同一份文书只公开一次）",
                        unique=True,
                        verbose_name="文书编号",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        help_text="文书种类代码，如冻结裁定", max_length=40, verbose_name="文书种类"
                    ),
                ),
                ("title", models.CharField(max_length=64, verbose_name="文书名称")),
                (
                    "text",
                    models.TextField(
                        help_text="已屏蔽身份证号、电话号码、住址等个人信息的全文", verbose_name="公开文本"
                    ),
                ),
                ("published_at", models.DateTimeField(verbose_name="公开时间")),
                (
                    "withdrawn_at",
                    models.DateTimeField(
                        blank=True, help_text="撤回后不再对公众显示", null=True, verbose_name="撤回时间"
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
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="公开人",
                    ),
                ),
            ],
            options={
                "verbose_name": "公开裁判文书",
                "verbose_name_plural": "公开裁判文书",
                "ordering": ["-published_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Tip",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reference",
                    models.CharField(
                        help_text="告知举报人的受理编号，凭此领取悬赏",
                        max_length=20,
                        unique=True,
                        verbose_name="受理编号",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("whereabouts", "下落线索"), ("assets", "财产线索")],
                        max_length=16,
                        verbose_name="线索类型",
                    ),
                ),
                (
                    "content",
                    models.TextField(help_text="举报人描述的下落或财产情况", verbose_name="线索内容"),
                ),
                (
                    "reporter_name",
                    models.CharField(help_text="仅承办人可见", max_length=64, verbose_name="举报人"),
                ),
                (
                    "reporter_phone",
                    models.CharField(
                        help_text="仅承办人可见，用于核实与发放悬赏", max_length=32, verbose_name="举报人电话"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("new", "待处理"), ("acted", "已核查"), ("closed", "已办结")],
                        db_index=True,
                        default="new",
                        max_length=8,
                        verbose_name="状态",
                    ),
                ),
                ("received_at", models.DateTimeField(verbose_name="收到时间")),
                ("due_on", models.DateField(help_text="承办人须在此日前核查线索", verbose_name="处理期限")),
                ("acted_at", models.DateTimeField(blank=True, null=True, verbose_name="核查时间")),
                (
                    "action_note",
                    models.CharField(
                        blank=True, help_text="承办人采取的措施", max_length=500, verbose_name="核查情况"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "—"),
                            ("recovered", "据此执行到位"),
                            ("useful", "有价值但未执行到位"),
                            ("useless", "经核查不属实或无价值"),
                        ],
                        default="",
                        max_length=12,
                        verbose_name="办结结果",
                    ),
                ),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="办结时间")),
                (
                    "acted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="核查人",
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
                "verbose_name": "举报线索",
                "verbose_name_plural": "举报线索",
            },
        ),
        migrations.CreateModel(
            name="RewardOffer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="申请执行人承诺的悬赏金（元）",
                        max_digits=14,
                        verbose_name="悬赏金额",
                    ),
                ),
                (
                    "terms",
                    models.CharField(
                        help_text="向社会公布的悬赏内容，如提供可供执行的财产线索并执行到位",
                        max_length=300,
                        verbose_name="悬赏条件",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("offered", "悬赏中"), ("paid", "已发放"), ("withdrawn", "已撤回")],
                        db_index=True,
                        default="offered",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("offered_on", models.DateField(verbose_name="发布日期")),
                ("paid_at", models.DateTimeField(blank=True, null=True, verbose_name="发放时间")),
                (
                    "ledger_key",
                    models.CharField(
                        blank=True, help_text="发放悬赏的记账凭证键", max_length=64, verbose_name="记账幂等键"
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
                    "offered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发布人",
                    ),
                ),
                (
                    "paid_tip",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.tip",
                        verbose_name="获奖线索",
                    ),
                ),
            ],
            options={
                "verbose_name": "悬赏",
                "verbose_name_plural": "悬赏",
            },
        ),
        migrations.CreateModel(
            name="TipPhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "content_type",
                    models.CharField(
                        help_text="image/jpeg 或 image/png", max_length=16, verbose_name="文件类型"
                    ),
                ),
                ("content", models.BinaryField(verbose_name="照片")),
                ("size", models.PositiveIntegerField(verbose_name="大小（字节）")),
                ("sha256", models.CharField(max_length=64, verbose_name="文件摘要")),
                (
                    "tip",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="portal.tip",
                        verbose_name="举报线索",
                    ),
                ),
            ],
            options={
                "verbose_name": "线索照片",
                "verbose_name_plural": "线索照片",
            },
        ),
        migrations.CreateModel(
            name="PartyMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "party_id",
                    models.IntegerField(help_text="发送人（本案当事人）的编号", verbose_name="当事人"),
                ),
                ("party_name", models.CharField(max_length=128, verbose_name="当事人姓名/名称")),
                (
                    "kind",
                    models.CharField(
                        choices=[("message", "留言"), ("lead", "财产线索")],
                        max_length=16,
                        verbose_name="类别",
                    ),
                ),
                ("text", models.TextField(max_length=2000, verbose_name="内容")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="发送时间")),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="承办人阅读时间")),
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
                    "read_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="阅读人",
                    ),
                ),
            ],
            options={
                "verbose_name": "当事人留言与线索",
                "verbose_name_plural": "当事人留言与线索",
                "indexes": [models.Index(fields=["case", "-id"], name="party_message_case")],
            },
        ),
        migrations.CreateModel(
            name="Petition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reference",
                    models.CharField(
                        help_text="告知信访人的编号", max_length=20, unique=True, verbose_name="信访编号"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[("public", "网上信访"), ("counter", "来访登记")],
                        max_length=8,
                        verbose_name="来源",
                    ),
                ),
                ("petitioner_name", models.CharField(max_length=64, verbose_name="信访人")),
                (
                    "petitioner_phone",
                    models.CharField(help_text="仅办理人可见", max_length=32, verbose_name="联系电话"),
                ),
                (
                    "content",
                    models.TextField(help_text="对本案执行工作的意见、投诉或请求", verbose_name="信访事项"),
                ),
                ("received_on", models.DateField(verbose_name="收到日期")),
                ("due_on", models.DateField(help_text="按工作日自动计算", verbose_name="答复期限")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "办理中"), ("answered", "已答复")],
                        db_index=True,
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("answer", models.TextField(blank=True, verbose_name="答复内容")),
                ("answered_on", models.DateField(blank=True, null=True, verbose_name="答复日期")),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="答复人",
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
                    "registered_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="来访登记的工作人员；网上信访为空",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "routed_to",
                    models.ForeignKey(
                        blank=True,
                        help_text="承办法官；案件未分案时为执行局局长",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="办理人",
                    ),
                ),
            ],
            options={
                "verbose_name": "信访",
                "verbose_name_plural": "信访",
                "indexes": [models.Index(fields=["court", "due_on"], name="portal_petition_due")],
            },
        ),
        migrations.AddIndex(
            model_name="tip",
            index=models.Index(fields=["court", "status", "due_on"], name="portal_tip_due"),
        ),
    ]
