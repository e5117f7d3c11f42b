"""The auctions app's history (0001_lots_bidders_bids … 0005_lot_suspension_cause, 6 migrations) as one migration.

A fresh database is created from the models' final state in one step instead of replaying every
AlterField of the history (Django re-renders every related model after each operation: that made
`migrate` take over a minute). A database that has applied the old migrations keeps them: Django
marks this one applied too (`replaces`). The old files stay until every database has migrated past
them; the data the history leaves in a fresh database is made by the same functions, imported from
the old files (see docs/adr/0030-squashed-migrations.md).
"""

import zhixing.auctions.rules_settlement
from decimal import Decimal
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("auctions", "0001_lots_bidders_bids"),
        ("auctions", "0002_lot_status_suspended"),
        ("auctions", "0003_lot_suspension_resumption"),
        ("auctions", "0003_reference_price_set_aside"),
        ("auctions", "0004_merge_suspension_and_price_set_aside"),
        ("auctions", "0005_lot_suspension_cause"),
    ]

    dependencies = [
        ("cases", "0033_coercion_document_help_text"),
        ("courts", "0001_initial"),
        ("inquiry", "0001_squashed_0012_merge_0011_asset_preserved_in_0011_asset_title_passed"),
    ]

    operations = [
        migrations.CreateModel(
            name="Bid",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.PositiveIntegerField(help_text="本标的第几次出价", verbose_name="序号")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=15, verbose_name="出价（元）")),
                ("at", models.DateTimeField(verbose_name="服务器接收时间")),
                (
                    "ends_at",
                    models.DateTimeField(
                        help_text="本次出价后的竞价结束时间（含延时）", verbose_name="出价后结束时间"
                    ),
                ),
            ],
            options={
                "verbose_name": "出价记录",
                "verbose_name_plural": "出价记录",
            },
        ),
        migrations.CreateModel(
            name="Bidder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64, verbose_name="姓名")),
                (
                    "id_number",
                    models.CharField(
                        help_text="实名认证的公民身份号码",
                        max_length=18,
                        unique=True,
                        verbose_name="身份证号",
                    ),
                ),
                ("phone", models.CharField(blank=True, max_length=20, verbose_name="手机号")),
                (
                    "token_hash",
                    models.CharField(
                        help_text="登录凭证的SHA-256", max_length=64, unique=True, verbose_name="登录凭证摘要"
                    ),
                ),
                ("verified_at", models.DateTimeField(verbose_name="认证时间")),
            ],
            options={
                "verbose_name": "竞买人",
                "verbose_name_plural": "竞买人",
            },
        ),
        migrations.CreateModel(
            name="Lot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "round_no",
                    models.PositiveSmallIntegerField(
                        default=1, help_text="1为一拍，2为二拍", verbose_name="拍次"
                    ),
                ),
                (
                    "step",
                    models.CharField(
                        choices=[
                            ("auction", "一拍"),
                            ("reauction", "二拍"),
                            ("sale", "变卖"),
                            ("set_off", "以物抵债"),
                        ],
                        default=zhixing.auctions.rules_settlement.Step["AUCTION"],
                        max_length=16,
                        verbose_name="处置方式",
                    ),
                ),
                (
                    "title",
                    models.CharField(help_text="公告中的标的物名称", max_length=120, verbose_name="标的名称"),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True, help_text="现状、瑕疵、权利负担、税费承担等", verbose_name="标的物介绍"
                    ),
                ),
                (
                    "asset_class",
                    models.CharField(
                        choices=[("movable", "动产"), ("real_estate", "不动产及其他财产权")],
                        help_text="决定公告期：动产15日、不动产30日（再次拍卖7日、15日）",
                        max_length=16,
                        verbose_name="财产类别",
                    ),
                ),
                (
                    "start_price",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="即保留价；一拍不得低于参考价的70%",
                        max_digits=15,
                        verbose_name="起拍价（元）",
                    ),
                ),
                (
                    "increment",
                    models.DecimalField(decimal_places=2, max_digits=15, verbose_name="加价幅度（元）"),
                ),
                (
                    "deposit",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="起拍价的5%至20%",
                        max_digits=15,
                        verbose_name="保证金（元）",
                    ),
                ),
                (
                    "notified_on",
                    models.DateField(
                        blank=True, help_text="应在公告3日前通知", null=True, verbose_name="通知当事人日"
                    ),
                ),
                ("announced_on", models.DateField(verbose_name="公告日")),
                ("starts_at", models.DateTimeField(verbose_name="竞价开始时间")),
                (
                    "scheduled_end",
                    models.DateTimeField(
                        help_text="公告的结束时间；竞价不少于24小时", verbose_name="原定结束时间"
                    ),
                ),
                (
                    "ends_at",
                    models.DateTimeField(
                        help_text="最后5分钟内有出价的，顺延至该出价后5分钟（服务器时间）",
                        verbose_name="结束时间",
                    ),
                ),
                (
                    "panel",
                    models.JSONField(
                        default=list,
                        help_text="决定起拍价、保证金、加价幅度的合议庭成员",
                        verbose_name="合议庭成员",
                    ),
                ),
                (
                    "preemption",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="[{name, id_number, rank}]，顺序1为第一顺位",
                        verbose_name="优先购买权人",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "待公告"),
                            ("announced", "已公告"),
                            ("sold", "已成交（待付款）"),
                            ("paid", "已付清"),
                            ("confirmed", "已裁定确认"),
                            ("failed", "流拍"),
                            ("defaulted", "悔拍"),
                            ("set_off", "以物抵债"),
                            ("cancelled", "已撤回"),
                            ("suspended", "中止拍卖"),
                        ],
                        default="draft",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                (
                    "current_price",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=15, null=True, verbose_name="当前价（元）"
                    ),
                ),
                ("bid_count", models.PositiveIntegerField(default=0, verbose_name="出价次数")),
                ("ended_at", models.DateTimeField(blank=True, null=True, verbose_name="结束处理时间")),
                (
                    "balance_due_on",
                    models.DateField(
                        blank=True, help_text="买受人应付清余款的日期", null=True, verbose_name="尾款期限"
                    ),
                ),
                (
                    "next_due_on",
                    models.DateField(
                        blank=True,
                        help_text="流拍后再次拍卖（30日内）或变卖、以物抵债的期限",
                        null=True,
                        verbose_name="后续处置期限",
                    ),
                ),
                (
                    "ruling_document_id",
                    models.IntegerField(blank=True, null=True, verbose_name="成交裁定文书"),
                ),
                (
                    "ruling_served_on",
                    models.DateField(
                        blank=True, help_text="送达买受人时所有权转移", null=True, verbose_name="裁定送达日"
                    ),
                ),
                ("set_off_to", models.CharField(blank=True, max_length=128, verbose_name="抵债受让人")),
                (
                    "suspended_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="裁定中止拍卖之时；恢复拍卖时据此计算剩余竞价时间",
                        null=True,
                        verbose_name="中止拍卖时间",
                    ),
                ),
                (
                    "suspension_cause",
                    models.CharField(
                        blank=True,
                        choices=[("third_party", "案外人异议"), ("price_objection", "参考价异议")],
                        help_text="最近一次中止拍卖的事由（案外人异议或参考价异议）；标的页面与拒绝出价的说明据此显示",
                        max_length=16,
                        verbose_name="中止拍卖事由",
                    ),
                ),
                (
                    "resumed_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="中止事由消失后恢复拍卖之时（网拍规定第28条：5日内）",
                        null=True,
                        verbose_name="恢复拍卖时间",
                    ),
                ),
                (
                    "withdrawn_reason",
                    models.CharField(
                        blank=True,
                        help_text="撤回拍卖（如案外人异议成立）的原因及依据",
                        max_length=200,
                        verbose_name="撤回拍卖原因",
                    ),
                ),
                ("created_by", models.CharField(blank=True, max_length=64, verbose_name="经办人")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
            ],
            options={
                "verbose_name": "拍卖标的",
                "verbose_name_plural": "拍卖标的",
            },
        ),
        migrations.CreateModel(
            name="ReferencePrice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("agreement", "当事人议价"),
                            ("directed", "定向询价"),
                            ("online", "网络询价"),
                            ("appraisal", "委托评估"),
                        ],
                        help_text="当事人议价、定向询价、网络询价、委托评估，依次适用",
                        max_length=16,
                        verbose_name="确定方式",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="议价结果、询价结果、网络询价平均值或评估价",
                        max_digits=15,
                        verbose_name="参考价（元）",
                    ),
                ),
                (
                    "started_on",
                    models.DateField(
                        help_text="启动确定参考价程序之日（应在查封后30日内）", verbose_name="启动日"
                    ),
                ),
                (
                    "reported_on",
                    models.DateField(help_text="议价达成、询价或评估报告送达之日", verbose_name="结果日"),
                ),
                (
                    "valid_until",
                    models.DateField(
                        blank=True,
                        help_text="网络询价、委托评估结果有效期一年；议价、定向询价不限",
                        null=True,
                        verbose_name="有效期至",
                    ),
                ),
                (
                    "objection_until",
                    models.DateField(
                        blank=True,
                        help_text="当事人收到报告后5日内可提出异议；议价、定向询价不得异议",
                        null=True,
                        verbose_name="异议期至",
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="询价平台、评估机构及报告编号等",
                        max_length=200,
                        verbose_name="说明",
                    ),
                ),
                (
                    "set_aside_on",
                    models.DateField(
                        blank=True,
                        help_text="参考价异议成立（参考价规定第23条）而撤销之日；撤销后须重新确定参考价，不得据此拍卖",
                        null=True,
                        verbose_name="撤销日",
                    ),
                ),
                (
                    "set_aside_reason",
                    models.CharField(
                        blank=True,
                        help_text="如：执行行为异议成立的异议案号",
                        max_length=200,
                        verbose_name="撤销原因",
                    ),
                ),
                ("created_by", models.CharField(blank=True, max_length=64, verbose_name="经办人")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
            ],
            options={
                "verbose_name": "处置参考价",
                "verbose_name_plural": "处置参考价",
            },
        ),
        migrations.CreateModel(
            name="Registration",
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
                        help_text="匿名竞买代码；优先购买权人以Y开头", max_length=12, verbose_name="竞买号"
                    ),
                ),
                (
                    "rank",
                    models.PositiveSmallIntegerField(
                        blank=True, help_text="优先购买权人的顺位", null=True, verbose_name="优先顺位"
                    ),
                ),
                (
                    "applicant_claim",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="申请执行人竞买时可在债权额内免交保证金",
                        max_digits=15,
                        null=True,
                        verbose_name="申请执行人债权（元）",
                    ),
                ),
                (
                    "deposit_due",
                    models.DecimalField(decimal_places=2, max_digits=15, verbose_name="应交保证金（元）"),
                ),
                (
                    "deposit_paid",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0.00"),
                        max_digits=15,
                        verbose_name="已交保证金（元）",
                    ),
                ),
                (
                    "deposit_state",
                    models.CharField(
                        choices=[
                            ("due", "待交纳"),
                            ("paid", "已交纳"),
                            ("exempt", "申请执行人免交"),
                            ("released", "已退还"),
                            ("applied", "已抵作价款"),
                            ("forfeited", "悔拍不予退还"),
                        ],
                        default="due",
                        max_length=12,
                        verbose_name="保证金状态",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="报名时间")),
            ],
            options={
                "verbose_name": "竞买报名",
                "verbose_name_plural": "竞买报名",
            },
        ),
        migrations.AddField(
            model_name="lot",
            name="asset",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="inquiry.asset",
                verbose_name="查封财产",
            ),
        ),
        migrations.AddField(
            model_name="lot",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.enforcementcase",
                verbose_name="案件",
            ),
        ),
        migrations.AddField(
            model_name="lot",
            name="court",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="courts.court",
                verbose_name="法院",
            ),
        ),
        migrations.AddField(
            model_name="lot",
            name="previous",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="auctions.lot",
                verbose_name="前次拍卖",
            ),
        ),
        migrations.AddField(
            model_name="bid",
            name="lot",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="bids",
                to="auctions.lot",
                verbose_name="标的",
            ),
        ),
        migrations.AddField(
            model_name="referenceprice",
            name="asset",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="inquiry.asset",
                verbose_name="查封财产",
            ),
        ),
        migrations.AddField(
            model_name="referenceprice",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.enforcementcase",
                verbose_name="案件",
            ),
        ),
        migrations.AddField(
            model_name="referenceprice",
            name="court",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="courts.court",
                verbose_name="法院",
            ),
        ),
        migrations.AddField(
            model_name="lot",
            name="reference",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="auctions.referenceprice",
                verbose_name="参考价",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="bidder",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="registrations",
                to="auctions.bidder",
                verbose_name="竞买人",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="lot",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="registrations",
                to="auctions.lot",
                verbose_name="标的",
            ),
        ),
        migrations.AddField(
            model_name="lot",
            name="leader",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="auctions.registration",
                verbose_name="领先者",
            ),
        ),
        migrations.AddField(
            model_name="bid",
            name="registration",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="bids",
                to="auctions.registration",
                verbose_name="竞买号",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(fields=("lot", "bidder"), name="registration_once_per_lot"),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(fields=("lot", "code"), name="registration_code_per_lot"),
        ),
        migrations.AddIndex(
            model_name="lot",
            index=models.Index(fields=["status", "ends_at"], name="lot_status_end"),
        ),
        migrations.AddIndex(
            model_name="lot",
            index=models.Index(fields=["court", "status"], name="lot_court_status"),
        ),
        migrations.AddConstraint(
            model_name="bid",
            constraint=models.UniqueConstraint(fields=("lot", "seq"), name="bid_seq_per_lot"),
        ),
    ]
