"""The command app's history (0001_alerts_dispatch_field_watch … 0007_alert_routed_role, 7 migrations) as one migration.

A fresh database is created from the models' final state in one step instead of replaying every
AlterField of the history (Django re-renders every related model after each operation: that made
`migrate` take over a minute). A database that has applied the old migrations keeps them: Django
marks this one applied too (`replaces`). The old files stay until every database has migrated past
them; the data the history leaves in a fresh database is made by the same functions, imported from
the old files (see docs/adr/0030-squashed-migrations.md).
"""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("command", "0001_alerts_dispatch_field_watch"),
        ("command", "0002_alert_kind_settlement_missed"),
        ("command", "0003_alert_kind_objection_late"),
        ("command", "0004_situation_totals"),
        ("command", "0005_plate_hit_possible_sighting"),
        ("command", "0006_possible_sighting_age_index"),
        ("command", "0007_alert_routed_role"),
    ]

    dependencies = [
        ("cases", "0033_coercion_document_help_text"),
        ("courts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ParkingOperator",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64, unique=True, verbose_name="单位名称")),
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
                    "revoked_at",
                    models.DateTimeField(
                        blank=True, help_text="吊销后密钥立即失效", null=True, verbose_name="吊销时间"
                    ),
                ),
            ],
            options={
                "verbose_name": "停车场运营方",
                "verbose_name_plural": "停车场运营方",
            },
        ),
        migrations.CreateModel(
            name="Alert",
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
                            ("node_overdue", "流程节点超期"),
                            ("control_expiring", "控制措施即将到期"),
                            ("control_lapsed", "控制措施已失效"),
                            ("payout_overdue", "案款发放超期"),
                            ("removal_overdue", "失信名单删除超期"),
                            ("receipt_unclaimed", "不明款超期未认领"),
                            ("plate_hit", "布控车辆出现"),
                            ("interception", "被执行人出行被拦截"),
                            ("tip_off", "群众举报线索"),
                            ("settlement_missed", "执行和解协议逾期未履行"),
                            ("objection_late", "执行异议逾期未通知或未送达"),
                        ],
                        max_length=24,
                        verbose_name="预警类型",
                    ),
                ),
                (
                    "routed_role",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("judge", "执行法官"),
                            ("assistant", "法官助理"),
                            ("clerk", "书记员"),
                            ("bailiff", "司法警察"),
                            ("operator", "指挥中心操作员"),
                            ("finance", "财务人员"),
                            ("director", "执行局局长"),
                            ("president", "院长"),
                        ],
                        help_text="不属于具体案件、没有责任人的预警（如超期不明款）推送给本院该岗位的全体人员，任何一人均可签收处置",
                        max_length=16,
                        verbose_name="承办岗位",
                    ),
                ),
                (
                    "subject",
                    models.CharField(
                        help_text="一句话说明预警的对象，如车牌号、节点名称",
                        max_length=200,
                        verbose_name="事项",
                    ),
                ),
                (
                    "detail",
                    models.TextField(
                        blank=True, help_text="预警的具体情况，如出现地点、超期天数", verbose_name="详情"
                    ),
                ),
                (
                    "place",
                    models.CharField(
                        blank=True, help_text="车辆出现的停车场等地点", max_length=200, verbose_name="地点"
                    ),
                ),
                ("latitude", models.FloatField(blank=True, null=True, verbose_name="纬度")),
                ("longitude", models.FloatField(blank=True, null=True, verbose_name="经度")),
                (
                    "due_at",
                    models.DateTimeField(
                        blank=True, help_text="应在此时间前处置", null=True, verbose_name="处置期限"
                    ),
                ),
                (
                    "source_key",
                    models.CharField(
                        help_text="产生预警的事件标识；同一事件只预警一次",
                        max_length=120,
                        unique=True,
                        verbose_name="来源标识",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "待处理"),
                            ("acknowledged", "已签收"),
                            ("acting", "处置中"),
                            ("closed", "已办结"),
                        ],
                        default="open",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("raised_at", models.DateTimeField(verbose_name="预警时间")),
                ("updated_at", models.DateTimeField(verbose_name="最近处理时间")),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        help_text="预警所属案件；不属于具体案件（如不明款）时为空",
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
                    "handler",
                    models.ForeignKey(
                        blank=True,
                        help_text="预警推送给的责任人（案件承办人）；指挥中心按法院范围查看全部预警",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="责任人",
                    ),
                ),
            ],
            options={
                "verbose_name": "预警",
                "verbose_name_plural": "预警",
            },
        ),
        migrations.CreateModel(
            name="AlertStep",
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
                            ("raise", "预警"),
                            ("acknowledge", "签收"),
                            ("act", "处置"),
                            ("dispatch", "派警"),
                            ("close", "办结"),
                        ],
                        max_length=16,
                        verbose_name="操作",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="说明")),
                ("at", models.DateTimeField(verbose_name="时间")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        help_text="系统自动预警时为空",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "alert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="command.alert",
                        verbose_name="预警",
                    ),
                ),
            ],
            options={
                "verbose_name": "预警处理记录",
                "verbose_name_plural": "预警处理记录",
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="FieldTask",
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
                            ("search", "搜查"),
                            ("seal", "查封"),
                            ("seize_vehicle", "扣押车辆"),
                            ("serve", "送达文书"),
                            ("investigate", "现场调查"),
                        ],
                        max_length=16,
                        verbose_name="任务类型",
                    ),
                ),
                (
                    "target",
                    models.CharField(
                        help_text="如 被执行人车辆 粤AB5218、被执行人住所",
                        max_length=200,
                        verbose_name="执行对象",
                    ),
                ),
                ("place", models.CharField(help_text="任务地址", max_length=200, verbose_name="地点")),
                ("latitude", models.FloatField(blank=True, null=True, verbose_name="纬度")),
                ("longitude", models.FloatField(blank=True, null=True, verbose_name="经度")),
                ("starts_at", models.DateTimeField(verbose_name="开始时间")),
                ("ends_at", models.DateTimeField(verbose_name="预计结束时间")),
                (
                    "instructions",
                    models.TextField(blank=True, help_text="指挥中心对现场的要求", verbose_name="指挥指令"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("assigned", "已派出"),
                            ("en_route", "出发"),
                            ("on_site", "到达现场"),
                            ("done", "已完成"),
                            ("cancelled", "已取消"),
                        ],
                        default="assigned",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="派出时间")),
                (
                    "alert",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tasks",
                        to="command.alert",
                        verbose_name="来源预警",
                    ),
                ),
                (
                    "bailiffs",
                    models.ManyToManyField(
                        blank=True,
                        help_text="随队司法警察",
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="司法警察",
                    ),
                ),
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
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="派出人",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.team",
                        verbose_name="执行团队",
                    ),
                ),
            ],
            options={
                "verbose_name": "外勤任务",
                "verbose_name_plural": "外勤任务",
            },
        ),
        migrations.CreateModel(
            name="EvidenceUpload",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="上传标识"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("photo", "照片"), ("video", "视频")], max_length=8, verbose_name="类型"
                    ),
                ),
                ("filename", models.CharField(max_length=200, verbose_name="文件名")),
                ("content_type", models.CharField(max_length=100, verbose_name="文件类型")),
                ("size", models.PositiveBigIntegerField(verbose_name="大小（字节）")),
                (
                    "sha256",
                    models.CharField(
                        help_text="客户端声明的SHA-256，完成时核对", max_length=64, verbose_name="声明的哈希"
                    ),
                ),
                ("received", models.PositiveBigIntegerField(default=0, verbose_name="已接收（字节）")),
                ("captured_at", models.DateTimeField(verbose_name="拍摄时间")),
                ("latitude", models.FloatField(blank=True, null=True, verbose_name="纬度")),
                ("longitude", models.FloatField(blank=True, null=True, verbose_name="经度")),
                ("started_at", models.DateTimeField(verbose_name="开始时间")),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="上传人",
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="command.fieldtask",
                        verbose_name="任务",
                    ),
                ),
            ],
            options={
                "verbose_name": "证据上传",
                "verbose_name_plural": "证据上传",
            },
        ),
        migrations.CreateModel(
            name="Evidence",
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
                        choices=[("photo", "照片"), ("video", "视频")], max_length=8, verbose_name="类型"
                    ),
                ),
                ("filename", models.CharField(max_length=200, verbose_name="文件名")),
                ("content_type", models.CharField(max_length=100, verbose_name="文件类型")),
                ("size", models.PositiveBigIntegerField(verbose_name="大小（字节）")),
                (
                    "sha256",
                    models.CharField(
                        help_text="上传时计算的SHA-256，已写入审计链", max_length=64, verbose_name="内容哈希"
                    ),
                ),
                ("stored_as", models.CharField(editable=False, max_length=200, verbose_name="存储路径")),
                (
                    "captured_at",
                    models.DateTimeField(help_text="拍摄设备报告的时间", verbose_name="拍摄时间"),
                ),
                ("latitude", models.FloatField(blank=True, null=True, verbose_name="纬度")),
                ("longitude", models.FloatField(blank=True, null=True, verbose_name="经度")),
                ("uploaded_at", models.DateTimeField(verbose_name="上传完成时间")),
                (
                    "audit_id",
                    models.BigIntegerField(help_text="记录本文件哈希的审计记录", verbose_name="审计记录号"),
                ),
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
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="上传人",
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="evidence",
                        to="command.fieldtask",
                        verbose_name="任务",
                    ),
                ),
            ],
            options={
                "verbose_name": "现场证据",
                "verbose_name_plural": "现场证据",
            },
        ),
        migrations.CreateModel(
            name="CarPark",
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
                        help_text="运营方系统中的停车场编码", max_length=32, verbose_name="停车场编码"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="停车场名称")),
                ("address", models.CharField(max_length=200, verbose_name="地址")),
                ("latitude", models.FloatField(verbose_name="纬度")),
                ("longitude", models.FloatField(verbose_name="经度")),
                (
                    "operator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="car_parks",
                        to="command.parkingoperator",
                        verbose_name="运营方",
                    ),
                ),
            ],
            options={
                "verbose_name": "停车场",
                "verbose_name_plural": "停车场",
            },
        ),
        migrations.CreateModel(
            name="SituationTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "period_start",
                    models.DateField(help_text="统计期（本月）的第一天", verbose_name="统计期起日"),
                ),
                (
                    "key",
                    models.CharField(
                        help_text="态势屏指标代码，如 received（本月执行到位）",
                        max_length=32,
                        verbose_name="指标",
                    ),
                ),
                (
                    "value",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="由各事件的增量累加，定期按业务数据重新核算",
                        max_digits=18,
                        verbose_name="数值",
                    ),
                ),
                (
                    "reconciled_at",
                    models.DateTimeField(
                        help_text="最近一次按业务数据重新核算的时间", verbose_name="最近核算时间"
                    ),
                ),
                (
                    "court",
                    models.ForeignKey(
                        help_text="数字所属法院（本院）",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
            ],
            options={
                "verbose_name": "态势累计数",
                "verbose_name_plural": "态势累计数",
            },
        ),
        migrations.CreateModel(
            name="TaskStep",
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
                        blank=True,
                        choices=[
                            ("assigned", "已派出"),
                            ("en_route", "出发"),
                            ("on_site", "到达现场"),
                            ("done", "已完成"),
                            ("cancelled", "已取消"),
                        ],
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="说明或指令")),
                ("at", models.DateTimeField(verbose_name="时间")),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="command.fieldtask",
                        verbose_name="任务",
                    ),
                ),
            ],
            options={
                "verbose_name": "任务记录",
                "verbose_name_plural": "任务记录",
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="TeamPost",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "label",
                    models.CharField(help_text="如 法院执行局停车场", max_length=100, verbose_name="执勤点"),
                ),
                ("latitude", models.FloatField(verbose_name="纬度")),
                ("longitude", models.FloatField(verbose_name="经度")),
                (
                    "on_duty",
                    models.BooleanField(
                        default=True, help_text="不在岗的团队不参与就近派警", verbose_name="在岗"
                    ),
                ),
                (
                    "team",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="courts.team",
                        verbose_name="执行团队",
                    ),
                ),
            ],
            options={
                "verbose_name": "团队执勤点",
                "verbose_name_plural": "团队执勤点",
            },
        ),
        migrations.CreateModel(
            name="Vehicle",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "plate",
                    models.CharField(help_text="执行车辆的车牌号", max_length=12, verbose_name="车牌号"),
                ),
                ("name", models.CharField(help_text="如 执行指挥车1号", max_length=64, verbose_name="车辆")),
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
                "verbose_name": "执行车辆",
                "verbose_name_plural": "执行车辆",
            },
        ),
        migrations.AddField(
            model_name="fieldtask",
            name="vehicle",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="command.vehicle",
                verbose_name="车辆",
            ),
        ),
        migrations.CreateModel(
            name="WatchedPlate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "plate",
                    models.CharField(
                        help_text="规范化后的车牌号，如 粤AB5218", max_length=12, verbose_name="车牌号"
                    ),
                ),
                (
                    "asset_id",
                    models.BigIntegerField(
                        help_text="查控财产登记中该车辆的编号", unique=True, verbose_name="财产编号"
                    ),
                ),
                ("description", models.CharField(blank=True, max_length=200, verbose_name="车辆说明")),
                (
                    "active",
                    models.BooleanField(default=True, help_text="解除查封后自动撤控", verbose_name="布控中"),
                ),
                ("since", models.DateTimeField(verbose_name="布控时间")),
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
            ],
            options={
                "verbose_name": "布控车辆",
                "verbose_name_plural": "布控车辆",
            },
        ),
        migrations.CreateModel(
            name="PlateHit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "read_id",
                    models.CharField(
                        help_text="运营方的识别记录编号，用于去重", max_length=64, verbose_name="识别记录号"
                    ),
                ),
                (
                    "plate_read",
                    models.CharField(help_text="摄像头识别出的车牌", max_length=12, verbose_name="识别车牌"),
                ),
                (
                    "score",
                    models.FloatField(help_text="1.0为完全一致；每个易混字符扣分", verbose_name="匹配度"),
                ),
                ("seen_at", models.DateTimeField(verbose_name="出现时间")),
                ("camera", models.CharField(blank=True, max_length=64, verbose_name="摄像头")),
                (
                    "alert",
                    models.ForeignKey(
                        blank=True,
                        help_text="为空表示疑似出现：易混字符多于布控名单规模所容许的个数，只记录不预警、不通知",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="command.alert",
                        verbose_name="预警",
                    ),
                ),
                (
                    "car_park",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="command.carpark",
                        verbose_name="停车场",
                    ),
                ),
                (
                    "operator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="command.parkingoperator",
                        verbose_name="运营方",
                    ),
                ),
                (
                    "watch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="command.watchedplate",
                        verbose_name="布控车辆",
                    ),
                ),
            ],
            options={
                "verbose_name": "布控命中",
                "verbose_name_plural": "布控命中",
            },
        ),
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(fields=["court", "status", "-id"], name="cmd_alert_court_status"),
        ),
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(fields=["handler", "status", "-id"], name="cmd_alert_handler_status"),
        ),
        migrations.AddConstraint(
            model_name="carpark",
            constraint=models.UniqueConstraint(fields=("operator", "code"), name="cmd_carpark_unique"),
        ),
        migrations.AddConstraint(
            model_name="situationtotal",
            constraint=models.UniqueConstraint(
                fields=("court", "period_start", "key"), name="cmd_situation_total_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="vehicle",
            constraint=models.UniqueConstraint(fields=("court", "plate"), name="cmd_vehicle_unique"),
        ),
        migrations.AddIndex(
            model_name="fieldtask",
            index=models.Index(fields=["team", "starts_at"], name="cmd_task_team_start"),
        ),
        migrations.AddIndex(
            model_name="watchedplate",
            index=models.Index(fields=["court", "active"], name="cmd_watch_court"),
        ),
        migrations.AddIndex(
            model_name="platehit",
            index=models.Index(
                condition=models.Q(("alert__isnull", True)), fields=["seen_at"], name="cmd_hit_possible_age"
            ),
        ),
        migrations.AddConstraint(
            model_name="platehit",
            constraint=models.UniqueConstraint(fields=("operator", "read_id"), name="cmd_hit_once_per_read"),
        ),
    ]
