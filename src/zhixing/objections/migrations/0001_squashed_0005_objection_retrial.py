"""The objections app's history (0001_objections … 0005_objection_retrial, 6 migrations) as one migration.

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
        ("objections", "0001_objections"),
        ("objections", "0002_notice_and_ruling_service_tracking"),
        ("objections", "0003_act_type_valuation"),
        ("objections", "0003_suit_outcome_and_final_on"),
        ("objections", "0004_merge_finality_and_valuation"),
        ("objections", "0005_objection_retrial"),
    ]

    dependencies = [
        ("cases", "0033_coercion_document_help_text"),
        ("courts", "0001_initial"),
        ("inquiry", "0001_squashed_0012_merge_0011_asset_preserved_in_0011_asset_title_passed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Objection",
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
                        help_text="执异字案号，立案时自动编号",
                        max_length=64,
                        unique=True,
                        verbose_name="异议案号",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("third_party", "案外人异议"), ("act", "执行行为异议")],
                        max_length=16,
                        verbose_name="异议类型",
                    ),
                ),
                (
                    "act_type",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("freeze", "冻结"),
                            ("seizure", "查封、扣押"),
                            ("listing", "纳入失信名单"),
                            ("valuation", "处置参考价"),
                        ],
                        help_text="执行行为异议所指向的执行行为的种类",
                        max_length=16,
                        verbose_name="执行行为类型",
                    ),
                ),
                (
                    "act_id",
                    models.IntegerField(
                        blank=True,
                        help_text="财产登记、失信名单或处置参考价的编号",
                        null=True,
                        verbose_name="执行行为编号",
                    ),
                ),
                (
                    "act_label",
                    models.CharField(
                        blank=True,
                        help_text="执行行为异议所指向的具体执行行为",
                        max_length=200,
                        verbose_name="异议的执行行为",
                    ),
                ),
                (
                    "objector_name",
                    models.CharField(help_text="异议人的姓名或名称", max_length=128, verbose_name="异议人"),
                ),
                (
                    "objector_id_number",
                    models.CharField(
                        help_text="居民身份证号码或统一社会信用代码；页面上脱敏显示",
                        max_length=32,
                        verbose_name="异议人证件号码",
                    ),
                ),
                ("objector_phone", models.CharField(blank=True, max_length=32, verbose_name="联系电话")),
                (
                    "claim",
                    models.CharField(
                        help_text="如：该房屋系本人所有、已支付全部价款并实际占有",
                        max_length=200,
                        verbose_name="主张的权利",
                    ),
                ),
                ("grounds", models.TextField(max_length=2000, verbose_name="异议理由")),
                (
                    "channel",
                    models.CharField(
                        choices=[("counter", "窗口立案"), ("online", "网上提交")],
                        max_length=16,
                        verbose_name="提交方式",
                    ),
                ),
                (
                    "received_on",
                    models.DateField(
                        help_text="收到书面异议之日，审查期限自次日起算", verbose_name="收到异议日期"
                    ),
                ),
                (
                    "decision_due",
                    models.DateField(
                        help_text="收到异议之日起15日（民事诉讼法第236、238条）",
                        verbose_name="审查期限届满日",
                    ),
                ),
                (
                    "notify_due",
                    models.DateField(
                        help_text="立案后3日内通知异议人和当事人（执行异议复议规定第2条）",
                        verbose_name="通知期限",
                    ),
                ),
                (
                    "notified_on",
                    models.DateField(
                        blank=True,
                        help_text="立案通知发出之日（电子送达、门户消息或书面、电话通知登记）；为空表示尚未通知",
                        null=True,
                        verbose_name="通知当事人日期",
                    ),
                ),
                (
                    "notice_method",
                    models.CharField(
                        blank=True,
                        help_text="如：门户消息2人、短信1人；或书面通知、电话通知",
                        max_length=200,
                        verbose_name="通知方式",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "审查中"),
                            ("upheld", "异议成立"),
                            ("rejected", "异议驳回"),
                            ("withdrawn", "撤回异议"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                (
                    "panel",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="[{id, name}]，至少三名法官",
                        verbose_name="合议庭",
                    ),
                ),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="裁定日期")),
                ("decision_reason", models.TextField(blank=True, max_length=2000, verbose_name="裁定理由")),
                (
                    "ruling_document_id",
                    models.IntegerField(
                        blank=True, help_text="生成的执行裁定书", null=True, verbose_name="裁定书编号"
                    ),
                ),
                ("served_on", models.DateField(blank=True, null=True, verbose_name="裁定送达日期")),
                (
                    "service_due",
                    models.DateField(
                        blank=True,
                        help_text="裁定作出后应送达异议人之日（本平台配置，默认5日）；执行行为异议自送达次日起算10日复议期",
                        null=True,
                        verbose_name="裁定送达期限",
                    ),
                ),
                (
                    "suit_due",
                    models.DateField(
                        blank=True,
                        help_text="裁定送达之日起15日内可提起执行异议之诉",
                        null=True,
                        verbose_name="起诉期限届满日",
                    ),
                ),
                (
                    "suit_state",
                    models.CharField(
                        blank=True,
                        choices=[("", "未起诉"), ("pending", "诉讼审理中"), ("ended", "诉讼已终结")],
                        default="",
                        max_length=16,
                        verbose_name="执行异议之诉",
                    ),
                ),
                ("suit_number", models.CharField(blank=True, max_length=64, verbose_name="诉讼案号")),
                ("suit_filed_on", models.DateField(blank=True, null=True, verbose_name="起诉日期")),
                ("suit_ended_on", models.DateField(blank=True, null=True, verbose_name="诉讼终结日期")),
                (
                    "suit_outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "未登记"),
                            ("objector_lost", "案外人败诉（可以执行该标的）"),
                            ("objector_won", "案外人胜诉（不得执行该标的）"),
                        ],
                        default="",
                        help_text="执行异议之诉或许可执行之诉生效裁判的结果；决定恢复拍卖或解除控制",
                        max_length=16,
                        verbose_name="诉讼结果",
                    ),
                ),
                (
                    "retrial_state",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "未申请再审"),
                            ("pending", "再审申请审查中"),
                            ("dismissed", "驳回再审申请"),
                            ("granted", "裁定再审（中止原判决执行）"),
                        ],
                        default="",
                        help_text="认为原判决、裁定错误的，依照审判监督程序办理（民事诉讼法第238条）；审查期间该财产不得处分",
                        max_length=16,
                        verbose_name="再审申请",
                    ),
                ),
                ("retrial_filed_on", models.DateField(blank=True, null=True, verbose_name="申请再审日期")),
                (
                    "retrial_court",
                    models.CharField(
                        blank=True,
                        help_text="受理再审申请的法院（作出原判决、裁定的法院或其上一级法院）",
                        max_length=128,
                        verbose_name="再审审查法院",
                    ),
                ),
                (
                    "retrial_number",
                    models.CharField(
                        blank=True,
                        help_text="再审审查案件的案号或申请的收件编号",
                        max_length=64,
                        verbose_name="再审案号",
                    ),
                ),
                (
                    "retrial_decided_on",
                    models.DateField(blank=True, null=True, verbose_name="再审审查结果日期"),
                ),
                (
                    "retrial_document_ref",
                    models.CharField(
                        blank=True,
                        help_text="驳回再审申请或裁定再审的裁定书文号",
                        max_length=64,
                        verbose_name="再审裁定书文号",
                    ),
                ),
                (
                    "final_on",
                    models.DateField(
                        blank=True,
                        help_text="起诉期间届满未起诉（届满次日）或诉讼终结之日；由定期扫描或登记诉讼终结时记录",
                        null=True,
                        verbose_name="异议结果确定日",
                    ),
                ),
                (
                    "review_due",
                    models.DateField(
                        blank=True,
                        help_text="执行行为异议裁定送达之日起10日内可向上一级法院申请复议",
                        null=True,
                        verbose_name="复议申请期限",
                    ),
                ),
                ("review_filed_on", models.DateField(blank=True, null=True, verbose_name="申请复议日期")),
                ("review_decision_due", models.DateField(blank=True, null=True, verbose_name="复议审查期限")),
                (
                    "review_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "未申请复议"),
                            ("pending", "复议审查中"),
                            ("upheld", "撤销原裁定"),
                            ("rejected", "驳回复议"),
                        ],
                        default="",
                        max_length=16,
                        verbose_name="复议结果",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "asset",
                    models.ForeignKey(
                        blank=True,
                        help_text="案外人异议所指向的已查封、扣押、冻结的财产",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inquiry.asset",
                        verbose_name="异议的执行标的",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.enforcementcase",
                        verbose_name="执行案件",
                    ),
                ),
                (
                    "court",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="审查法院",
                    ),
                ),
                (
                    "filed_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="网上提交的为空",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="立案人",
                    ),
                ),
                (
                    "objector_party",
                    models.ForeignKey(
                        blank=True,
                        help_text="执行行为异议由本案当事人提出时的当事人",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.party",
                        verbose_name="异议的当事人",
                    ),
                ),
                (
                    "review_court",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="复议法院",
                    ),
                ),
            ],
            options={
                "verbose_name": "执行异议",
                "verbose_name_plural": "执行异议",
                "ordering": ["-id"],
                "indexes": [
                    models.Index(fields=["court", "status"], name="objection_court_status"),
                    models.Index(fields=["asset"], name="objection_asset"),
                ],
            },
        ),
    ]
