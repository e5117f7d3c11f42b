"""The measures app's history (0001_initial … 0012_price_objection_events, 14 migrations) as one migration.

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
        ("measures", "0001_initial"),
        ("measures", "0002_chinese_labels"),
        ("measures", "0003_words_field_labels"),
        ("measures", "0004_consequence_key_and_sale_events"),
        ("measures", "0004_event_objection_upheld"),
        ("measures", "0005_merge_sale_and_objection"),
        ("measures", "0006_event_choices_sale_and_objection"),
        ("measures", "0007_event_set_off_ruling_served"),
        ("measures", "0008_third_party_objection_suspends_lot"),
        ("measures", "0009_objection_upheld_sets_aside_valuation"),
        ("measures", "0009_third_party_objection_outcomes"),
        ("measures", "0010_merge_lot_outcomes_and_valuation"),
        ("measures", "0011_actions_resume_cancel_lot_and_set_aside"),
        ("measures", "0012_price_objection_events"),
    ]

    dependencies = [
        ("cases", "0033_coercion_document_help_text"),
        ("courts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
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
                    "event",
                    models.CharField(
                        choices=[
                            ("payment", "部分执行到位"),
                            ("paid_in_full", "执行标的全部到位"),
                            ("closed_performed", "以执行完毕结案"),
                            ("closed_dormant", "终结本次执行程序"),
                            ("closed_terminated", "以终结执行结案"),
                            ("closed_withdrawn", "以销案方式结案"),
                            ("closed_refused", "以不予执行结案"),
                            ("closed_dismissed", "以驳回申请结案"),
                            ("suspended_applicant_agrees", "中止执行（申请人同意延期）"),
                            ("suspended_objection", "中止执行（案外人异议）"),
                            ("suspended_heir_pending", "中止执行（等待继承人）"),
                            ("suspended_successor_pending", "中止执行（等待权利义务承受人）"),
                            ("suspended_retrial", "中止执行（再审）"),
                            ("suspended_bankruptcy", "中止执行（受理破产申请）"),
                            ("suspended_other", "中止执行（其他情形）"),
                            ("resumed", "恢复执行"),
                            ("listing_removed", "失信信息删除"),
                            ("sale_ruling_served", "拍卖成交裁定送达买受人"),
                            ("sale_balance_paid", "买受人付清尾款"),
                            ("auction_started", "拍卖公告发布（处置开始）"),
                            ("auction_ended", "处置结束（成交裁定或以物抵债）"),
                            ("objection_upheld", "执行行为异议成立"),
                            ("set_off_ruling_served", "以物抵债裁定送达承受人"),
                            ("third_party_objection_filed", "案外人异议立案"),
                            ("third_party_objection_cleared", "案外人异议中止事由消失"),
                            ("third_party_objection_upheld", "案外人异议成立"),
                            ("third_party_objection_final", "案外人异议成立裁定生效"),
                            ("price_objection_filed", "参考价异议立案"),
                            ("price_objection_cleared", "参考价异议撤回或驳回"),
                            ("price_objection_upheld", "参考价异议成立"),
                        ],
                        max_length=32,
                        verbose_name="触发事件",
                    ),
                ),
                (
                    "measure",
                    models.CharField(
                        choices=[
                            ("freeze", "冻结"),
                            ("seizure", "查封、扣押"),
                            ("deduction", "在途扣划"),
                            ("consumption", "限制消费"),
                            ("exit", "限制出境"),
                            ("listing", "失信名单"),
                            ("exposure", "媒体曝光"),
                            ("pending", "未反馈的控制请求"),
                            ("title", "所有权"),
                            ("proceeds", "拍卖价款"),
                            ("term", "执行期限"),
                            ("lot", "拍卖标的"),
                            ("valuation", "处置参考价"),
                        ],
                        max_length=16,
                        verbose_name="措施",
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("release", "解除"),
                            ("cancel", "撤回"),
                            ("lift", "解除"),
                            ("remove", "删除"),
                            ("keep", "保持"),
                            ("transfer", "登记转移"),
                            ("post", "入账"),
                            ("pause", "停止计算"),
                            ("resume", "恢复计算"),
                            ("suspend", "中止拍卖"),
                            ("resume_lot", "恢复拍卖"),
                            ("cancel_lot", "撤回拍卖"),
                            ("set_aside", "撤销"),
                        ],
                        max_length=16,
                        verbose_name="建议动作",
                    ),
                ),
                (
                    "article",
                    models.CharField(
                        help_text="后果表中该项所引的法律条文", max_length=200, verbose_name="依据"
                    ),
                ),
                (
                    "summary",
                    models.CharField(
                        help_text="向法官说明要解除、撤回或删除什么及金额",
                        max_length=300,
                        verbose_name="建议内容",
                    ),
                ),
                (
                    "targets",
                    models.JSONField(
                        default=list,
                        help_text="财产、请求、限制措施或失信信息的编号（及金额）",
                        verbose_name="对象",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "待决定"),
                            ("accepted", "已采纳"),
                            ("declined", "不予采纳"),
                            ("superseded", "已被新事件取代"),
                            ("moot", "已无可执行对象"),
                        ],
                        default="open",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="提出时间")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="决定时间")),
                ("decline_reason", models.CharField(blank=True, max_length=200, verbose_name="不予采纳理由")),
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
                "verbose_name": "措施联动建议",
                "verbose_name_plural": "措施联动建议",
            },
        ),
        migrations.CreateModel(
            name="Consequence",
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
                            ("payment", "部分执行到位"),
                            ("paid_in_full", "执行标的全部到位"),
                            ("closed_performed", "以执行完毕结案"),
                            ("closed_dormant", "终结本次执行程序"),
                            ("closed_terminated", "以终结执行结案"),
                            ("closed_withdrawn", "以销案方式结案"),
                            ("closed_refused", "以不予执行结案"),
                            ("closed_dismissed", "以驳回申请结案"),
                            ("suspended_applicant_agrees", "中止执行（申请人同意延期）"),
                            ("suspended_objection", "中止执行（案外人异议）"),
                            ("suspended_heir_pending", "中止执行（等待继承人）"),
                            ("suspended_successor_pending", "中止执行（等待权利义务承受人）"),
                            ("suspended_retrial", "中止执行（再审）"),
                            ("suspended_bankruptcy", "中止执行（受理破产申请）"),
                            ("suspended_other", "中止执行（其他情形）"),
                            ("resumed", "恢复执行"),
                            ("listing_removed", "失信信息删除"),
                            ("sale_ruling_served", "拍卖成交裁定送达买受人"),
                            ("sale_balance_paid", "买受人付清尾款"),
                            ("auction_started", "拍卖公告发布（处置开始）"),
                            ("auction_ended", "处置结束（成交裁定或以物抵债）"),
                            ("objection_upheld", "执行行为异议成立"),
                            ("set_off_ruling_served", "以物抵债裁定送达承受人"),
                            ("third_party_objection_filed", "案外人异议立案"),
                            ("third_party_objection_cleared", "案外人异议中止事由消失"),
                            ("third_party_objection_upheld", "案外人异议成立"),
                            ("third_party_objection_final", "案外人异议成立裁定生效"),
                            ("price_objection_filed", "参考价异议立案"),
                            ("price_objection_cleared", "参考价异议撤回或驳回"),
                            ("price_objection_upheld", "参考价异议成立"),
                        ],
                        max_length=32,
                        verbose_name="触发事件",
                    ),
                ),
                (
                    "measure",
                    models.CharField(
                        choices=[
                            ("freeze", "冻结"),
                            ("seizure", "查封、扣押"),
                            ("deduction", "在途扣划"),
                            ("consumption", "限制消费"),
                            ("exit", "限制出境"),
                            ("listing", "失信名单"),
                            ("exposure", "媒体曝光"),
                            ("pending", "未反馈的控制请求"),
                            ("title", "所有权"),
                            ("proceeds", "拍卖价款"),
                            ("term", "执行期限"),
                            ("lot", "拍卖标的"),
                            ("valuation", "处置参考价"),
                        ],
                        max_length=16,
                        verbose_name="措施",
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("release", "解除"),
                            ("cancel", "撤回"),
                            ("lift", "解除"),
                            ("remove", "删除"),
                            ("keep", "保持"),
                            ("transfer", "登记转移"),
                            ("post", "入账"),
                            ("pause", "停止计算"),
                            ("resume", "恢复计算"),
                            ("suspend", "中止拍卖"),
                            ("resume_lot", "恢复拍卖"),
                            ("cancel_lot", "撤回拍卖"),
                            ("set_aside", "撤销"),
                        ],
                        max_length=16,
                        verbose_name="动作",
                    ),
                ),
                ("article", models.CharField(max_length=200, verbose_name="依据")),
                ("summary", models.CharField(max_length=300, verbose_name="内容")),
                ("targets", models.JSONField(default=list, verbose_name="对象")),
                (
                    "requests",
                    models.JSONField(
                        default=list,
                        help_text="因此发出的解除请求编号，反馈见查控记录",
                        verbose_name="控制请求",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("applied", "已执行"),
                            ("failed", "未能执行，待重试"),
                            ("gave_up", "多次重试未成功，需人工处理"),
                        ],
                        default="applied",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("error", models.CharField(blank=True, max_length=300, verbose_name="未能执行的原因")),
                ("attempts", models.PositiveSmallIntegerField(default=1, verbose_name="尝试次数")),
                ("retry_at", models.DateTimeField(blank=True, null=True, verbose_name="下次重试时间")),
                (
                    "key",
                    models.CharField(
                        blank=True,
                        help_text="针对单一对象的后果（如某次拍卖的查封解除）的标识；同一后果只执行一次",
                        max_length=80,
                        verbose_name="唯一标识",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
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
                    "proposal",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="measures.proposal",
                        verbose_name="联动建议",
                    ),
                ),
            ],
            options={
                "verbose_name": "措施联动记录",
                "verbose_name_plural": "措施联动记录",
            },
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(fields=["court", "status"], name="proposal_court_status"),
        ),
        migrations.AddConstraint(
            model_name="proposal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "open")),
                fields=("case", "measure"),
                name="one_open_proposal_per_measure",
            ),
        ),
        migrations.AddIndex(
            model_name="consequence",
            index=models.Index(fields=["case", "created_at"], name="consequence_case"),
        ),
        migrations.AddIndex(
            model_name="consequence",
            index=models.Index(
                condition=models.Q(("status", "failed")), fields=["retry_at"], name="consequence_retry"
            ),
        ),
        migrations.AddConstraint(
            model_name="consequence",
            constraint=models.UniqueConstraint(
                condition=models.Q(("key", ""), _negated=True),
                fields=("key",),
                name="consequence_once_per_key",
            ),
        ),
    ]
