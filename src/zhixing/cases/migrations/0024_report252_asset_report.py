"""The debtor's asset report (财产报告, CPL-2023 Art 252; 财产调查规定 Arts 3–6) — rule R-0.8.

* ``EnforcementNotice.report_due_on``: the last day of the reporting period the 报告财产令 fixes.
* ``AssetReport``: one debtor's written report.
* node type ``asset_report`` ("财产报告"): created when the notice with the order is served, started on the
  deemed day of service; its budget is the configuration's maximum (60 days) and the configured period
  (``ZHIXING_CASES["asset_report_days"]``, default 5) caps it through ``Node.due_cap``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

BASIS = (
    "民事诉讼法第252条、财产调查规定第3至6条：报告财产令与执行通知书同时发出，被执行人在令载明的期限内"
    "书面报告财产；期限为配置项（默认5日，自送达之日起算）"
)


def load(apps, schema_editor):
    apps.get_model("cases", "NodeType").objects.update_or_create(
        code="asset_report",
        defaults={
            "name": "财产报告",
            "order": 42,
            "budget": 60,
            "budget_non_litigation": None,
            "unit": "days",
            "anchor": "created",
            "roll_to_workday": True,
            "pausable": False,
            "auto_create": False,
            "completion": "manual",
            "extendable": False,
            "yellow_workdays": 1,
            "legal_basis": BASIS,
        },
    )


def unload(apps, schema_editor):
    apps.get_model("cases", "NodeType").objects.filter(code="asset_report").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0023_merge_20261203_1939"),
        ("courts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="enforcementnotice",
            name="report_due_on",
            field=models.DateField(
                blank=True,
                help_text="报告财产令指定的报告期间最后一日（自送达之日起算，财产调查规定第4条第1项）",
                null=True,
                verbose_name="财产报告期限届满日",
            ),
        ),
        migrations.CreateModel(
            name="AssetReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("received_on", models.DateField(help_text="法院收到书面财产报告之日", verbose_name="收到日期")),
                (
                    "period_from",
                    models.DateField(
                        help_text="收到报告财产令之日前一年的当日（财产调查规定第6条：变动情况自此日起报告）",
                        verbose_name="报告期间起",
                    ),
                ),
                ("period_to", models.DateField(help_text="提交财产报告之日（报告当前的财产情况）", verbose_name="报告期间止")),
                ("due_on", models.DateField(help_text="报告财产令指定的报告期间最后一日", verbose_name="报告期限届满日")),
                ("late", models.BooleanField(default=False, help_text="收到日期晚于报告期限届满日", verbose_name="逾期报告")),
                (
                    "summary",
                    models.CharField(
                        help_text="报告内容的简要摘要（财产种类、数额、变动）", max_length=500, verbose_name="内容摘要"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="asset_reports",
                        to="cases.enforcementcase",
                        verbose_name="案件",
                    ),
                ),
                (
                    "court",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="courts.court", verbose_name="法院"
                    ),
                ),
                (
                    "debtor",
                    models.ForeignKey(
                        help_text="提交财产报告的被执行人（本案当事人）",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="asset_reports",
                        to="cases.party",
                        verbose_name="被执行人",
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
            options={"verbose_name": "财产报告", "verbose_name_plural": "财产报告", "ordering": ["received_on", "id"]},
        ),
        migrations.RunPython(load, unload),
    ]
