"""The credit app's history (0001_initial … 0019_measures_carried_into_resumed_case, 22 migrations) as one migration.

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
        ("credit", "0001_initial"),
        ("credit", "0002_exit_reconsideration_and_trigger"),
        ("credit", "0003_privacy_tables"),
        ("credit", "0004_credit11_ground1_record"),
        ("credit", "0005_credit11_exposure_delivery"),
        ("credit", "0006_measures_removal_trigger"),
        ("credit", "0007_words_field_labels"),
        ("credit", "0008_privacy_partner_feed"),
        ("credit", "0009_objection_correction_review"),
        ("credit", "0010_decide_proposals_border"),
        ("credit", "0010_repair_notices_and_repair"),
        ("credit", "0011_decide_exit_service_method"),
        ("credit", "0011_merge_decide_repair"),
        ("credit", "0012_credit15_private_window"),
        ("credit", "0012_merge_decide_service_method"),
        ("credit", "0013_credit15_exit_guardian"),
        ("credit", "0014_merge_credit15"),
        ("credit", "0015_art8_performance_updates"),
        ("credit", "0016_correction_rejection_service"),
        ("credit", "0017_art8_change_notices"),
        ("credit", "0018_proposal_signer_title"),
        ("credit", "0019_measures_carried_into_resumed_case"),
    ]

    dependencies = [
        ("cases", "0033_coercion_document_help_text"),
        ("courts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("subject_key", models.CharField(max_length=18, verbose_name="身份号码")),
                ("old_mask", models.BigIntegerField(verbose_name="原限制编码")),
                ("new_mask", models.BigIntegerField(verbose_name="新限制编码")),
                ("at", models.DateTimeField(verbose_name="时间")),
            ],
            options={
                "verbose_name": "限制变更记录",
                "verbose_name_plural": "限制变更记录",
            },
        ),
        migrations.CreateModel(
            name="NoticeRecipient",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64, unique=True, verbose_name="单位名称")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("credit_bureau", "征信机构"),
                            ("employer", "公职人员所在单位"),
                            ("superior", "上级单位或主管部门"),
                        ],
                        max_length=16,
                        verbose_name="通报对象类型",
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="签名协议中 X-ZX-Partner 的取值，如 PBOC-CRC",
                        max_length=32,
                        unique=True,
                        verbose_name="协议代码",
                    ),
                ),
                (
                    "shared_secret",
                    models.CharField(
                        help_text="HMAC-SHA256 签名密钥，双方共享",
                        max_length=128,
                        verbose_name="协议共享密钥",
                    ),
                ),
                (
                    "base_url",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="为空时使用配置 ZHIXING_SANDBOX_URL",
                        max_length=200,
                        verbose_name="接口地址",
                    ),
                ),
                (
                    "active",
                    models.BooleanField(
                        default=True, help_text="停用后不再向其发送新的通报", verbose_name="启用"
                    ),
                ),
            ],
            options={
                "verbose_name": "失信通报对象",
                "verbose_name_plural": "失信通报对象",
            },
        ),
        migrations.CreateModel(
            name="RestrictedSubject",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("subject_key", models.CharField(max_length=18, unique=True, verbose_name="身份号码")),
                (
                    "mask",
                    models.BigIntegerField(
                        default=0, help_text="各项限制的位掩码；0 表示不再受限", verbose_name="限制编码"
                    ),
                ),
                ("since", models.DateField(blank=True, null=True, verbose_name="受限起始日")),
            ],
            options={
                "verbose_name": "受限主体",
                "verbose_name_plural": "受限主体",
            },
        ),
        migrations.CreateModel(
            name="Listing",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "subject_key",
                    models.CharField(
                        db_index=True,
                        help_text="自然人身份证号或单位统一社会信用代码",
                        max_length=18,
                        verbose_name="身份号码",
                    ),
                ),
                ("name", models.CharField(db_index=True, max_length=128, verbose_name="姓名/名称")),
                (
                    "name_key",
                    models.CharField(
                        db_index=True,
                        help_text="简体化后的姓名，用于公开查询",
                        max_length=128,
                        verbose_name="检索名",
                    ),
                ),
                (
                    "name_pinyin",
                    models.CharField(
                        db_index=True, help_text="不带声调的全拼", max_length=256, verbose_name="姓名拼音"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("person", "自然人"), ("organisation", "单位")],
                        max_length=16,
                        verbose_name="主体类型",
                    ),
                ),
                ("sex", models.CharField(blank=True, max_length=1, verbose_name="性别")),
                (
                    "age",
                    models.PositiveSmallIntegerField(
                        blank=True, help_text="纳入时的周岁年龄", null=True, verbose_name="年龄"
                    ),
                ),
                (
                    "legal_representative",
                    models.CharField(blank=True, max_length=64, verbose_name="法定代表人/负责人"),
                ),
                (
                    "ground",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "第1项：有履行能力而拒不履行生效法律文书确定义务"),
                            (2, "第2项：以伪造证据、暴力、威胁等方法妨碍、抗拒执行"),
                            (3, "第3项：以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行"),
                            (4, "第4项：违反财产报告制度"),
                            (5, "第5项：违反限制消费令"),
                            (6, "第6项：无正当理由拒不履行执行和解协议"),
                        ],
                        help_text="失信规定第1条第1至6项之一；第1项无固定期限，其余2年",
                        verbose_name="失信情形",
                    ),
                ),
                (
                    "dishonest_act",
                    models.CharField(
                        help_text="向社会公布的具体情形", max_length=300, verbose_name="具体失信行为"
                    ),
                ),
                (
                    "obligation",
                    models.CharField(
                        help_text="向社会公布的义务内容，自动取自执行依据",
                        max_length=300,
                        verbose_name="生效法律文书确定的义务",
                    ),
                ),
                (
                    "performance",
                    models.CharField(
                        default="全部未履行",
                        help_text="被执行人的履行情况，如 全部未履行、部分履行",
                        max_length=100,
                        verbose_name="履行情况",
                    ),
                ),
                (
                    "initiation",
                    models.CharField(
                        choices=[("application", "依申请"), ("ex_officio", "依职权")],
                        help_text="依申请执行人申请或人民法院依职权",
                        max_length=16,
                        verbose_name="启动方式",
                    ),
                ),
                (
                    "guarantee_confirmed",
                    models.BooleanField(
                        default=False,
                        help_text="第1项情形：法官确认被执行人未提供充分有效担保（失信规定第3条第1项）",
                        verbose_name="已核实未提供充分有效担保",
                    ),
                ),
                (
                    "order_confirmed",
                    models.BooleanField(
                        default=False,
                        help_text="第1项情形：法官确认被执行人的履行顺序不在后、依法可对其强制执行（失信规定第3条第3项）",
                        verbose_name="已核实履行顺序不在后",
                    ),
                ),
                (
                    "ability_confirmed",
                    models.BooleanField(
                        default=False,
                        help_text="第1项情形：法官确认不存在其他不属于有履行能力而拒不履行的情形（失信规定第3条第4项）",
                        verbose_name="已核实不属其他不应纳入情形",
                    ),
                ),
                (
                    "controlled_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="第1项情形：决定时财产登记中已查封、扣押、冻结、扣划的金额（元），系统读取（第3条第2项）",
                        max_digits=15,
                        null=True,
                        verbose_name="决定时已控制财产",
                    ),
                ),
                (
                    "owed_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="第1项情形：决定时本案尚欠的本金、利息、迟延履行利息及费用（元），系统计算",
                        max_digits=15,
                        null=True,
                        verbose_name="决定时尚欠金额",
                    ),
                ),
                (
                    "serious",
                    models.BooleanField(
                        default=False,
                        help_text="暴力、威胁妨碍执行情节严重或多次失信",
                        verbose_name="情节严重",
                    ),
                ),
                (
                    "extension_years",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="情节严重的延长1至3年", verbose_name="延长年数"
                    ),
                ),
                (
                    "decided_on",
                    models.DateField(help_text="决定书作出之日，即生效之日", verbose_name="决定日期"),
                ),
                (
                    "document_number",
                    models.CharField(
                        help_text="自动生成：案号之N，如（2026）粤0106执1号之1",
                        max_length=64,
                        unique=True,
                        verbose_name="决定书文号",
                    ),
                ),
                (
                    "grace_months",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="0为不设宽限期", verbose_name="宽限期（月）"
                    ),
                ),
                (
                    "publish_on",
                    models.DateField(
                        db_index=True, help_text="宽限期届满后向社会公布", verbose_name="公布日期"
                    ),
                ),
                (
                    "expires_on",
                    models.DateField(
                        blank=True, help_text="第1项情形无固定期限", null=True, verbose_name="期限届满日"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "在册"), ("removed", "已删除"), ("revoked", "已撤销")],
                        default="active",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                (
                    "removal_trigger",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("performed", "被执行人已履行全部义务或已执行完毕"),
                            ("settlement", "执行和解协议已履行完毕"),
                            ("applicant_request", "申请执行人书面申请删除且人民法院准许"),
                            (
                                "dormant_no_assets",
                                "终结本次执行程序后两次网络查询均未发现财产且无人提供有效线索",
                            ),
                            ("suspended", "因审判监督或破产程序中止执行"),
                            ("non_enforcement", "人民法院裁定不予执行"),
                            ("termination", "人民法院裁定终结执行"),
                            ("expired", "失信期限届满"),
                            ("wrongful", "不应纳入失信名单（撤销）"),
                            ("case_cancelled", "案件已销案"),
                            ("early", "被执行人积极履行或主动纠正失信行为，提前删除"),
                        ],
                        max_length=32,
                        verbose_name="删除事由",
                    ),
                ),
                (
                    "trigger_on",
                    models.DateField(
                        blank=True,
                        help_text="删除期限（3个工作日）自次日起算",
                        null=True,
                        verbose_name="删除事由发生日",
                    ),
                ),
                (
                    "removal_due",
                    models.DateField(
                        blank=True,
                        db_index=True,
                        help_text="事由发生后3个工作日内删除",
                        null=True,
                        verbose_name="应删除日期",
                    ),
                ),
                (
                    "trigger_confirmed",
                    models.BooleanField(
                        default=False,
                        help_text="法官登记的删除事由由系统在3个工作日内自动删除；系统发现的终本两次查询无财产须法官确认无人提供有效线索",
                        verbose_name="删除事由已确认",
                    ),
                ),
                ("removed_on", models.DateField(blank=True, null=True, verbose_name="删除日期")),
                ("removal_note", models.CharField(blank=True, max_length=200, verbose_name="删除说明")),
                (
                    "registered",
                    models.BooleanField(
                        default=False, help_text="公布日起进入联合惩戒筛查名单", verbose_name="已进入筛查名单"
                    ),
                ),
                (
                    "exposed_on",
                    models.DateField(
                        blank=True, help_text="在曝光台公开曝光之日", null=True, verbose_name="曝光日期"
                    ),
                ),
                (
                    "carried_from",
                    models.ForeignKey(
                        blank=True,
                        help_text="恢复执行时由原案件（终本等）承继而来的，记录原案件；决定书文号保持不变",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="原案件",
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
                        verbose_name="执行法院",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="承办人",
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
                "verbose_name": "失信名单",
                "verbose_name_plural": "失信名单",
            },
        ),
        migrations.CreateModel(
            name="CreditRepair",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "applied_on",
                    models.DateField(help_text="收到被执行人书面申请之日", verbose_name="申请日期"),
                ),
                (
                    "decision_due",
                    models.DateField(help_text="收到申请之日起15日内（可配置）", verbose_name="应决定日期"),
                ),
                ("statement", models.CharField(max_length=300, verbose_name="申请理由")),
                (
                    "settled",
                    models.BooleanField(
                        default=False,
                        help_text="执行和解协议已履行完毕，或申请执行人书面同意修复",
                        verbose_name="和解已履行或申请人同意",
                    ),
                ),
                (
                    "corrected",
                    models.BooleanField(
                        default=False,
                        help_text="法官核实被执行人已主动纠正失信行为",
                        verbose_name="已纠正失信行为",
                    ),
                ),
                (
                    "conditions",
                    models.JSONField(
                        default=dict, help_text="决定时各项修复条件是否满足", verbose_name="条件核查"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "审查中"), ("granted", "准予修复"), ("rejected", "不予修复")],
                        default="pending",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="决定日期")),
                ("reason", models.CharField(blank=True, max_length=300, verbose_name="决定理由")),
                (
                    "certificate_number",
                    models.CharField(
                        blank=True,
                        help_text="准予修复的，自动生成：案号之N修",
                        max_length=64,
                        verbose_name="信用修复证明编号",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="决定人",
                    ),
                ),
                (
                    "listing",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="repairs",
                        to="credit.listing",
                        verbose_name="失信记录",
                    ),
                ),
            ],
            options={
                "verbose_name": "信用修复申请",
                "verbose_name_plural": "信用修复申请",
            },
        ),
        migrations.CreateModel(
            name="Correction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "ground",
                    models.CharField(
                        choices=[
                            ("should_not_list", "不应纳入失信名单"),
                            ("inaccurate", "记载和公布的失信信息不准确"),
                            ("should_delete", "失信信息应予删除"),
                        ],
                        help_text="失信规定第11条所列三种情形之一",
                        max_length=32,
                        verbose_name="申请事由",
                    ),
                ),
                ("detail", models.CharField(max_length=300, verbose_name="申请内容")),
                ("received_on", models.DateField(verbose_name="收到申请日期")),
                (
                    "review_due",
                    models.DateField(help_text="收到书面申请之日起15日内", verbose_name="应审查完毕日期"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "审查中"),
                            ("upheld", "理由成立，待纠正"),
                            ("corrected", "已纠正"),
                            ("rejected", "驳回"),
                            ("reconsidering", "上一级法院复议中"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="审查决定日期")),
                (
                    "fix_due",
                    models.DateField(
                        blank=True,
                        help_text="理由成立的，3个工作日内纠正",
                        null=True,
                        verbose_name="应纠正日期",
                    ),
                ),
                (
                    "reconsideration_due",
                    models.DateField(
                        blank=True,
                        help_text="驳回决定送达之日起10日内向上一级法院申请复议",
                        null=True,
                        verbose_name="复议申请截止日",
                    ),
                ),
                ("fixed_on", models.DateField(blank=True, null=True, verbose_name="纠正日期")),
                (
                    "service_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("personal", "直接送达"),
                            ("residence", "留置送达"),
                            ("electronic", "电子送达"),
                            ("post", "邮寄送达"),
                            ("entrusted", "委托送达"),
                            ("publication", "公告送达"),
                        ],
                        help_text="驳回决定书向申请人送达的方式；空为尚未登记送达",
                        max_length=16,
                        verbose_name="驳回决定送达方式",
                    ),
                ),
                (
                    "service_act_on",
                    models.DateField(
                        blank=True,
                        help_text="签收、留置、邮寄签收或公告发布之日",
                        null=True,
                        verbose_name="驳回决定送达行为日",
                    ),
                ),
                (
                    "served_on",
                    models.DateField(
                        blank=True,
                        help_text="送达生效之日（公告送达的，公告之日起经过30日）；复议申请期限自此起算（失信规定第12条）",
                        null=True,
                        verbose_name="驳回决定送达日期",
                    ),
                ),
                (
                    "reconsideration_filed_on",
                    models.DateField(
                        blank=True,
                        help_text="上一级法院收到复议申请之日",
                        null=True,
                        verbose_name="收到复议申请日期",
                    ),
                ),
                (
                    "higher_review_due",
                    models.DateField(
                        blank=True,
                        help_text="上一级法院收到复议申请之日起15日内",
                        null=True,
                        verbose_name="复议应审查完毕日期",
                    ),
                ),
                (
                    "higher_result",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("upheld", "驳回复议申请，维持原决定"),
                            ("revoked", "撤销驳回决定，予以纠正"),
                        ],
                        help_text="上一级法院的复议决定",
                        max_length=16,
                        verbose_name="复议结果",
                    ),
                ),
                ("higher_decided_on", models.DateField(blank=True, null=True, verbose_name="复议决定日期")),
                (
                    "review_court",
                    models.ForeignKey(
                        blank=True,
                        help_text="作出驳回决定的执行法院的上一级法院",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="复议法院",
                    ),
                ),
                (
                    "listing",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="corrections",
                        to="credit.listing",
                        verbose_name="失信记录",
                    ),
                ),
            ],
            options={
                "verbose_name": "纠正申请",
                "verbose_name_plural": "纠正申请",
            },
        ),
        migrations.CreateModel(
            name="ListingApplication",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "received_on",
                    models.DateField(
                        help_text="收到书面申请之日，15日决定期限自此起算", verbose_name="收到申请日期"
                    ),
                ),
                (
                    "decision_due",
                    models.DateField(
                        db_index=True, help_text="收到申请之日起15日内", verbose_name="应决定日期"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "待决定"), ("granted", "已纳入"), ("rejected", "不予纳入")],
                        default="pending",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="决定日期")),
                ("reason", models.CharField(blank=True, max_length=200, verbose_name="不予纳入理由")),
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
                "verbose_name": "纳入失信申请",
                "verbose_name_plural": "纳入失信申请",
            },
        ),
        migrations.AddField(
            model_name="listing",
            name="application",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="listing",
                to="credit.listingapplication",
                verbose_name="纳入申请",
            ),
        ),
        migrations.CreateModel(
            name="ListingNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("listed", "纳入失信名单"),
                            ("updated", "公布信息变更"),
                            ("removed", "删除失信信息"),
                        ],
                        max_length=16,
                        verbose_name="通报事项",
                    ),
                ),
                (
                    "sequence",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="公布信息变更通报的第几次（纳入、删除通报为0）；每次变更只通报一次最新的公布信息",
                        verbose_name="变更次序",
                    ),
                ),
                (
                    "previous_id",
                    models.CharField(
                        blank=True,
                        help_text="更正身份证号码/统一社会信用代码的变更通报：通报对象已记录的原号码",
                        max_length=18,
                        verbose_name="原身份号码",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "待发送"),
                            ("sent", "已送达待确认"),
                            ("acknowledged", "对方已确认"),
                            ("failed", "发送失败"),
                        ],
                        db_index=True,
                        default="queued",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                (
                    "idempotency_key",
                    models.CharField(
                        help_text="重试沿用同一键", max_length=64, unique=True, verbose_name="幂等键"
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="发送次数")),
                ("due_at", models.DateTimeField(blank=True, null=True, verbose_name="下次发送时间")),
                ("lease_until", models.DateTimeField(blank=True, null=True, verbose_name="发送租约到期")),
                (
                    "reason",
                    models.CharField(
                        blank=True,
                        help_text="对方拒收理由、失败原因或重试安排",
                        max_length=300,
                        verbose_name="说明",
                    ),
                ),
                (
                    "partner_ref",
                    models.CharField(
                        blank=True, help_text="对方确认回执中的编号", max_length=64, verbose_name="对方编号"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="送达时间")),
                ("acknowledged_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
                (
                    "listing",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="art8_notices",
                        to="credit.listing",
                        verbose_name="失信记录",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="credit.noticerecipient",
                        verbose_name="通报对象",
                    ),
                ),
            ],
            options={
                "verbose_name": "失信通报",
                "verbose_name_plural": "失信通报",
            },
        ),
        migrations.CreateModel(
            name="DebtorProfile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "state_functionary",
                    models.BooleanField(
                        default=False,
                        help_text="自然人被执行人为国家工作人员（含人大代表、政协委员等）",
                        verbose_name="公职人员",
                    ),
                ),
                (
                    "unit_nature",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "其他单位"),
                            ("state_organ", "国家机关"),
                            ("public_institution", "事业单位"),
                            ("soe", "国有企业"),
                        ],
                        default="",
                        help_text="单位被执行人为国家机关、事业单位、国有企业的，通报其上级单位或主管部门",
                        max_length=24,
                        verbose_name="单位性质",
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now=True, verbose_name="登记时间")),
                (
                    "party",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.party",
                        verbose_name="被执行人",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "employer",
                    models.ForeignKey(
                        blank=True,
                        help_text="公职人员的工作单位（须为已接入的通报对象）",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="credit.noticerecipient",
                        verbose_name="所在单位",
                    ),
                ),
                (
                    "superior",
                    models.ForeignKey(
                        blank=True,
                        help_text="国家机关、国有企业等的上级单位、主管部门或履行出资人职责的机构",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="credit.noticerecipient",
                        verbose_name="上级单位/主管部门",
                    ),
                ),
            ],
            options={
                "verbose_name": "被执行人通报信息",
                "verbose_name_plural": "被执行人通报信息",
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
                ("name", models.CharField(max_length=64, unique=True, verbose_name="单位名称")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("airline", "航空公司"),
                            ("railway", "铁路"),
                            ("hotel", "酒店集团"),
                            ("market", "市场监管部门"),
                            ("bank", "银行"),
                            ("recruitment", "招录单位"),
                            ("media", "媒体"),
                            ("border", "出入境边防检查"),
                        ],
                        help_text="决定可查看的限制事项",
                        max_length=16,
                        verbose_name="单位类型",
                    ),
                ),
                (
                    "key_digest",
                    models.CharField(editable=False, max_length=64, unique=True, verbose_name="接口密钥摘要"),
                ),
                (
                    "key_prefix",
                    models.CharField(
                        editable=False,
                        help_text="便于核对，非完整密钥",
                        max_length=12,
                        verbose_name="密钥前缀",
                    ),
                ),
                (
                    "hmac_key",
                    models.CharField(
                        editable=False,
                        help_text="隐私模式下双方用于计算身份证号HMAC-SHA256的共享密钥",
                        max_length=64,
                        verbose_name="隐私模式共享密钥",
                    ),
                ),
                ("rate_per_minute", models.PositiveIntegerField(default=600, verbose_name="每分钟调用上限")),
                (
                    "area_code",
                    models.CharField(
                        blank=True,
                        help_text="媒体：覆盖的行政区划代码前缀（2位省、4位市、6位县）；为空表示全国",
                        max_length=6,
                        verbose_name="覆盖地区代码",
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="媒体：签名协议中 X-ZX-Partner 的取值，如 MEDIA-GZTV",
                        max_length=32,
                        verbose_name="协议代码",
                    ),
                ),
                (
                    "shared_secret",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="媒体：HMAC-SHA256 签名密钥，双方共享",
                        max_length=128,
                        verbose_name="协议共享密钥",
                    ),
                ),
                (
                    "base_url",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="媒体：为空时使用配置 ZHIXING_SANDBOX_URL（模拟联动单位）",
                        max_length=200,
                        verbose_name="接口地址",
                    ),
                ),
                (
                    "privacy_mode",
                    models.BooleanField(
                        default=False,
                        help_text="开启后只能使用隐私模式接口（哈希比对与哈希变更订阅），明文身份号码接口一律拒绝（403）",
                        verbose_name="隐私模式",
                    ),
                ),
                (
                    "full_sync",
                    models.BooleanField(
                        default=False,
                        help_text="允许从游标0读取变更订阅的全部历史（全量同步）；否则只能读取本单位登记之后的变更",
                        verbose_name="可全量同步",
                    ),
                ),
                (
                    "feed_floor",
                    models.BigIntegerField(
                        default=0,
                        editable=False,
                        help_text="本单位登记时最后一条限制变更记录编号；不可全量同步的单位从此之后读取变更",
                        verbose_name="订阅起点",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "revoked_at",
                    models.DateTimeField(
                        blank=True, help_text="吊销后密钥立即失效", null=True, verbose_name="吊销时间"
                    ),
                ),
            ],
            options={
                "verbose_name": "联合惩戒单位",
                "verbose_name_plural": "联合惩戒单位",
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("code", ""), _negated=True),
                        fields=("code",),
                        name="credit_partner_code_unique",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="KeyedHash",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "digest",
                    models.BigIntegerField(
                        help_text="HMAC-SHA256 前8字节（有符号64位整数），命中后再核对全值",
                        verbose_name="哈希前缀",
                    ),
                ),
                ("subject_key", models.CharField(max_length=18, verbose_name="身份号码")),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="credit.partner",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "隐私模式哈希",
                "verbose_name_plural": "隐私模式哈希",
            },
        ),
        migrations.CreateModel(
            name="Interception",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("subject_key", models.CharField(max_length=18, verbose_name="身份号码")),
                ("code", models.CharField(max_length=16, verbose_name="拦截事项")),
                ("at", models.DateTimeField(verbose_name="拦截时间")),
                (
                    "channel",
                    models.CharField(help_text="如 App、售票窗口", max_length=64, verbose_name="渠道"),
                ),
                ("place", models.CharField(max_length=128, verbose_name="地点")),
                (
                    "case",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="案件",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="credit.partner",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "拦截回执",
                "verbose_name_plural": "拦截回执",
            },
        ),
        migrations.CreateModel(
            name="ExposureNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "area_code",
                    models.CharField(
                        help_text="身份证号前六位（县级行政区划）", max_length=6, verbose_name="户籍地代码"
                    ),
                ),
                ("area_name", models.CharField(blank=True, max_length=64, verbose_name="户籍地")),
                ("address", models.CharField(blank=True, max_length=200, verbose_name="户籍地址")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "待推送"),
                            ("sent", "已推送"),
                            ("refused", "被拒收"),
                            ("failed", "推送失败"),
                            ("withdrawing", "撤回中"),
                            ("withdrawn", "已撤回"),
                            ("withdraw_failed", "撤回失败"),
                        ],
                        db_index=True,
                        default="queued",
                        max_length=16,
                        verbose_name="推送状态",
                    ),
                ),
                (
                    "idempotency_key",
                    models.CharField(
                        help_text="当前待发消息（推送或撤回）的幂等键；重试沿用",
                        max_length=64,
                        verbose_name="幂等键",
                    ),
                ),
                (
                    "attempts",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="当前消息已发送的次数", verbose_name="发送次数"
                    ),
                ),
                (
                    "due_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="待推送、撤回中的消息何时发送",
                        null=True,
                        verbose_name="下次发送时间",
                    ),
                ),
                (
                    "lease_until",
                    models.DateTimeField(
                        blank=True,
                        help_text="发送中的消息由某个工作进程持有至此时",
                        null=True,
                        verbose_name="发送租约到期",
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        blank=True,
                        help_text="媒体拒收的理由、发送失败的原因或待重试的说明",
                        max_length=300,
                        verbose_name="原因",
                    ),
                ),
                (
                    "partner_ref",
                    models.CharField(
                        blank=True, help_text="媒体回执中的曝光编号", max_length=64, verbose_name="媒体编号"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "sent_at",
                    models.DateTimeField(
                        blank=True, help_text="媒体确认接收之时", null=True, verbose_name="推送时间"
                    ),
                ),
                ("withdraw_reason", models.CharField(blank=True, max_length=200, verbose_name="撤回原因")),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="撤回时间")),
                ("impressions", models.PositiveIntegerField(default=0, verbose_name="曝光次数")),
                ("reported_at", models.DateTimeField(blank=True, null=True, verbose_name="最近回报时间")),
                (
                    "listing",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exposures",
                        to="credit.listing",
                        verbose_name="失信记录",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="credit.partner",
                        verbose_name="媒体",
                    ),
                ),
            ],
            options={
                "verbose_name": "曝光推送",
                "verbose_name_plural": "曝光推送",
            },
        ),
        migrations.CreateModel(
            name="PrivacyTable",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key_digest",
                    models.CharField(
                        help_text="生成本表所用共享密钥的SHA-256摘要；密钥轮换后需重建",
                        max_length=64,
                        verbose_name="密钥摘要",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("building", "准备中"), ("ready", "可用")],
                        default="building",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                (
                    "cursor",
                    models.BigIntegerField(
                        default=0,
                        help_text="已并入本表的最后一条限制变更记录编号",
                        verbose_name="已同步至变更记录",
                    ),
                ),
                ("rows", models.PositiveIntegerField(default=0, verbose_name="条目数")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "partner",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="privacy_table",
                        to="credit.partner",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "隐私模式比对表",
                "verbose_name_plural": "隐私模式比对表",
            },
        ),
        migrations.CreateModel(
            name="Proposal",
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
                        choices=[("listing", "纳入失信被执行人名单决定书"), ("consumption", "限制消费令")],
                        max_length=16,
                        verbose_name="决定类型",
                    ),
                ),
                (
                    "data",
                    models.JSONField(
                        default=dict,
                        help_text="承办法官提请的决定内容（失信情形、具体行为、限制事项、宽限期等）",
                        verbose_name="提请内容",
                    ),
                ),
                (
                    "summary",
                    models.CharField(
                        help_text="院长审批页显示的决定要点", max_length=300, verbose_name="提请摘要"
                    ),
                ),
                ("proposed_on", models.DateField(verbose_name="提请日期")),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "待院长审批"), ("approved", "已签发"), ("rejected", "不予批准")],
                        db_index=True,
                        default="pending",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("approver_name", models.CharField(blank=True, max_length=64, verbose_name="签发人姓名")),
                (
                    "signer_title",
                    models.CharField(
                        default="院长",
                        help_text="决定书署名的职务：院长签发的为院长；配置为无需院长签发的，为自行作出决定的法官的职务",
                        max_length=16,
                        verbose_name="签发人职务",
                    ),
                ),
                (
                    "decided_on",
                    models.DateField(
                        blank=True, help_text="签发之日即决定作出之日", null=True, verbose_name="审批日期"
                    ),
                ),
                ("reject_reason", models.CharField(blank=True, max_length=200, verbose_name="不予批准理由")),
                ("document_number", models.CharField(blank=True, max_length=64, verbose_name="文书文号")),
                ("grace_months", models.PositiveSmallIntegerField(default=0, verbose_name="宽限期（月）")),
                (
                    "service_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("personal", "直接送达"),
                            ("residence", "留置送达"),
                            ("electronic", "电子送达"),
                            ("post", "邮寄送达"),
                            ("entrusted", "委托送达"),
                            ("publication", "公告送达"),
                        ],
                        max_length=16,
                        verbose_name="送达方式",
                    ),
                ),
                (
                    "service_act_on",
                    models.DateField(
                        blank=True,
                        help_text="签收、留置、到达系统、邮件签收或公告发布之日",
                        null=True,
                        verbose_name="送达日期",
                    ),
                ),
                (
                    "served_on",
                    models.DateField(
                        blank=True,
                        help_text="送达生效之日；公告送达自公告之日起经过30日视为送达；自此起算各期间",
                        null=True,
                        verbose_name="视为送达日",
                    ),
                ),
                (
                    "approver",
                    models.ForeignKey(
                        blank=True,
                        help_text="审批的院长；决定书上署其姓名",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="签发人",
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
                        verbose_name="执行法院",
                    ),
                ),
                (
                    "listing",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="proposal",
                        to="credit.listing",
                        verbose_name="失信记录",
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
                    "proposed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="提请人",
                    ),
                ),
            ],
            options={
                "verbose_name": "信用惩戒决定审批",
                "verbose_name_plural": "信用惩戒决定审批",
            },
        ),
        migrations.CreateModel(
            name="Restriction",
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
                        choices=[("consumption", "限制消费"), ("exit", "限制出境")],
                        help_text="限制消费（限制消费令）或限制出境",
                        max_length=16,
                        verbose_name="措施",
                    ),
                ),
                (
                    "bound",
                    models.CharField(
                        choices=[
                            ("debtor", "被执行人本人"),
                            ("legal_rep", "法定代表人"),
                            ("principal", "主要负责人"),
                            ("responsible", "影响债务履行的直接责任人员"),
                            ("controller", "实际控制人"),
                            ("guardian", "法定代理人（监护人）"),
                        ],
                        default="debtor",
                        max_length=16,
                        verbose_name="被限制人身份",
                    ),
                ),
                (
                    "subject_key",
                    models.CharField(
                        db_index=True,
                        help_text="被限制人的身份证号或统一社会信用代码",
                        max_length=18,
                        verbose_name="身份号码",
                    ),
                ),
                ("name", models.CharField(max_length=128, verbose_name="被限制人")),
                (
                    "items",
                    models.JSONField(
                        default=list,
                        help_text="限制消费规定第3条第1款所列事项序号1–9",
                        verbose_name="限制事项",
                    ),
                ),
                (
                    "document_number",
                    models.CharField(
                        help_text="限制消费令、限制出境决定书的文号（案号）",
                        max_length=64,
                        verbose_name="文书文号",
                    ),
                ),
                ("ordered_on", models.DateField(verbose_name="决定日期")),
                (
                    "effective_on",
                    models.DateField(help_text="设宽限期的，宽限期满后生效", verbose_name="生效日期"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "生效中"), ("lifted", "已解除")],
                        default="active",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                (
                    "lift_trigger",
                    models.CharField(
                        blank=True,
                        help_text="如 已履行完毕（应当解除）、提供担保、申请人同意",
                        max_length=32,
                        verbose_name="解除事由",
                    ),
                ),
                ("trigger_on", models.DateField(blank=True, null=True, verbose_name="解除事由发生日")),
                (
                    "lift_due",
                    models.DateField(blank=True, db_index=True, null=True, verbose_name="应解除日期"),
                ),
                ("lifted_on", models.DateField(blank=True, null=True, verbose_name="解除日期")),
                ("lift_note", models.CharField(blank=True, max_length=200, verbose_name="解除说明")),
                ("registered", models.BooleanField(default=False, verbose_name="已进入筛查名单")),
                (
                    "served_on",
                    models.DateField(
                        blank=True,
                        help_text="限制出境决定书送达被限制人之日（公告送达的，为公告之日起经过30日视为送达之日）",
                        null=True,
                        verbose_name="决定书送达日",
                    ),
                ),
                (
                    "service_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("personal", "直接送达"),
                            ("residence", "留置送达"),
                            ("electronic", "电子送达"),
                            ("post", "邮寄送达"),
                            ("entrusted", "委托送达"),
                            ("publication", "公告送达"),
                        ],
                        max_length=16,
                        verbose_name="送达方式",
                    ),
                ),
                (
                    "reconsideration_due",
                    models.DateField(
                        blank=True,
                        help_text="送达之日起10日内可向上一级法院申请复议",
                        null=True,
                        verbose_name="复议申请截止日",
                    ),
                ),
                (
                    "reconsideration_filed_on",
                    models.DateField(blank=True, null=True, verbose_name="收到复议申请日"),
                ),
                (
                    "review_due",
                    models.DateField(
                        blank=True,
                        db_index=True,
                        help_text="上一级法院收到复议申请之日起15日内审结",
                        null=True,
                        verbose_name="复议应审结日",
                    ),
                ),
                (
                    "review_result",
                    models.CharField(
                        blank=True,
                        choices=[("upheld", "驳回复议，维持限制"), ("revoked", "撤销限制出境决定")],
                        max_length=16,
                        verbose_name="复议结果",
                    ),
                ),
                ("reviewed_on", models.DateField(blank=True, null=True, verbose_name="复议决定日")),
                (
                    "awaiting_service",
                    models.BooleanField(
                        default=False,
                        help_text="院长签发的限制消费令自送达被执行人之日（及宽限期满）起生效",
                        verbose_name="待送达生效",
                    ),
                ),
                (
                    "carried_from",
                    models.ForeignKey(
                        blank=True,
                        help_text="恢复执行时由原案件（终本等）承继而来的，记录原案件；决定书文号保持不变",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="原案件",
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
                        verbose_name="执行法院",
                    ),
                ),
                (
                    "listing",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="restrictions",
                        to="credit.listing",
                        verbose_name="失信记录",
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
                    "proposal",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="restrictions",
                        to="credit.proposal",
                        verbose_name="审批记录",
                    ),
                ),
            ],
            options={
                "verbose_name": "限制措施",
                "verbose_name_plural": "限制措施",
            },
        ),
        migrations.CreateModel(
            name="PrivateConsumption",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("applied_on", models.DateField(verbose_name="申请日期")),
                (
                    "purpose",
                    models.CharField(help_text="如 就医乘坐飞机", max_length=200, verbose_name="消费事项"),
                ),
                (
                    "granted",
                    models.BooleanField(
                        help_text="经核实确属使用个人财产或生活工作必需的，准许", verbose_name="是否准许"
                    ),
                ),
                ("reason", models.CharField(max_length=200, verbose_name="决定理由")),
                ("decided_on", models.DateField(verbose_name="决定日期")),
                (
                    "codes",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="准许期间合作单位不予拦截的限制事项编码，如 flight（飞机）、hsr（高铁）",
                        verbose_name="准许事项编码",
                    ),
                ),
                (
                    "valid_from",
                    models.DateField(
                        blank=True, help_text="准许消费期间的第一日", null=True, verbose_name="准许起始日"
                    ),
                ),
                (
                    "valid_until",
                    models.DateField(
                        blank=True, help_text="准许消费期间的最后一日", null=True, verbose_name="准许截止日"
                    ),
                ),
                (
                    "window_state",
                    models.CharField(
                        blank=True,
                        choices=[("pending", "尚未开始"), ("applied", "准许期间中"), ("ended", "已届满")],
                        help_text="定期扫描据此在期间开始、届满时更新筛查名单",
                        max_length=8,
                        verbose_name="期间状态",
                    ),
                ),
                (
                    "restriction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="private_applications",
                        to="credit.restriction",
                        verbose_name="限制措施",
                    ),
                ),
            ],
            options={
                "verbose_name": "私人消费申请",
                "verbose_name_plural": "私人消费申请",
            },
        ),
        migrations.CreateModel(
            name="LegalRepChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("former_name", models.CharField(max_length=64, verbose_name="原法定代表人")),
                ("new_name", models.CharField(max_length=64, verbose_name="新法定代表人")),
                (
                    "new_key",
                    models.CharField(
                        help_text="已校验的身份号码", max_length=18, verbose_name="新法定代表人身份证号"
                    ),
                ),
                ("changed_on", models.DateField(verbose_name="变更登记日期")),
                (
                    "former_released",
                    models.BooleanField(
                        default=False,
                        help_text="原法定代表人申请并举证证明其并非实际控制人、影响债务履行的直接责任人员，经审查属实（善意文明执行意见第17条）",
                        verbose_name="原法定代表人获准解除",
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
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
                    "party",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.party",
                        verbose_name="被执行单位",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "imposed",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="credit.restriction",
                        verbose_name="新采取的限制",
                    ),
                ),
                (
                    "lifted",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="credit.restriction",
                        verbose_name="解除的限制",
                    ),
                ),
            ],
            options={
                "verbose_name": "法定代表人变更",
                "verbose_name_plural": "法定代表人变更",
            },
        ),
        migrations.CreateModel(
            name="BorderNotice",
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
                        choices=[("control", "布控（限制出境）"), ("lift", "撤控（解除限制出境）")],
                        max_length=8,
                        verbose_name="事项",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "待发送"),
                            ("done", "边检已接收"),
                            ("refused", "被拒收"),
                            ("failed", "发送失败"),
                        ],
                        db_index=True,
                        default="queued",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("idempotency_key", models.CharField(max_length=64, unique=True, verbose_name="幂等键")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="发送次数")),
                ("due_at", models.DateTimeField(blank=True, null=True, verbose_name="下次发送时间")),
                (
                    "reason",
                    models.CharField(
                        blank=True, help_text="拒收理由或发送失败的原因", max_length=300, verbose_name="原因"
                    ),
                ),
                (
                    "partner_ref",
                    models.CharField(
                        blank=True, help_text="边检回执中的布控编号", max_length=64, verbose_name="边检编号"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="接收时间")),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="credit.partner",
                        verbose_name="边检单位",
                    ),
                ),
                (
                    "restriction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="border_notices",
                        to="credit.restriction",
                        verbose_name="限制出境",
                    ),
                ),
            ],
            options={
                "verbose_name": "边控通知",
                "verbose_name_plural": "边控通知",
            },
        ),
        migrations.AddIndex(
            model_name="listing",
            index=models.Index(fields=["court", "status", "removal_due"], name="listing_court_due"),
        ),
        migrations.AddConstraint(
            model_name="listing",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "active")),
                fields=("party",),
                name="listing_one_active_per_party",
            ),
        ),
        migrations.AddIndex(
            model_name="listingnotice",
            index=models.Index(fields=["status", "due_at"], name="art8_notice_due"),
        ),
        migrations.AddConstraint(
            model_name="listingnotice",
            constraint=models.UniqueConstraint(
                fields=("listing", "recipient", "event", "sequence"), name="art8_notice_once"
            ),
        ),
        migrations.AddIndex(
            model_name="keyedhash",
            index=models.Index(fields=["partner", "digest"], name="credit_keyed_partner_digest"),
        ),
        migrations.AddIndex(
            model_name="interception",
            index=models.Index(fields=["case", "code"], name="interception_case_code"),
        ),
        migrations.AddIndex(
            model_name="exposurenotice",
            index=models.Index(fields=["status", "due_at"], name="exposure_outbound_due"),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(fields=["court", "status"], name="credit_proposal_court_status"),
        ),
        migrations.AddIndex(
            model_name="restriction",
            index=models.Index(fields=["subject_key", "status"], name="restriction_subject_status"),
        ),
        migrations.AddIndex(
            model_name="bordernotice",
            index=models.Index(fields=["status", "due_at"], name="border_outbound_due"),
        ),
        # Made unique as the history did (AlterField), so PostgreSQL names the constraint as it did there
        # (`…_uniq`, not CREATE TABLE's `…_key`): fresh and migrated databases stay identical.
        migrations.AlterField(
            model_name="exposurenotice",
            name="idempotency_key",
            field=models.CharField(
                help_text="当前待发消息（推送或撤回）的幂等键；重试沿用",
                max_length=64,
                unique=True,
                verbose_name="幂等键",
            ),
        ),
    ]
