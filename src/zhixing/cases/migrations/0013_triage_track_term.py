"""繁简分流: the `track_term` completion and the simple track's internal term (seed 004: 3 months)."""

from django.db import migrations, models

TRACK_SIMPLE = {
    "name": "简案快执内部期限",
    "order": 85,
    "budget": 3,
    "budget_non_litigation": None,
    "unit": "months",
    "anchor": "created",
    "auto_create": False,
    "completion": "track_term",
    "extendable": False,
    "pausable": True,
    "yellow_workdays": 10,
    "legal_basis": (
        "繁简分流（种子文献004，地方法院做法）：分流至简易执行组的案件在3个月内结案归档；"
        "内部管理期限，最高法层面未核实，可调整或停用"
    ),
}


def load(apps, schema_editor):
    NodeType = apps.get_model("cases", "NodeType")
    NodeType.objects.update_or_create(code="track_simple", defaults=TRACK_SIMPLE)


def unload(apps, schema_editor):
    if not apps.get_model("cases", "Node").objects.filter(node_type__code="track_simple").exists():
        apps.get_model("cases", "NodeType").objects.filter(code="track_simple").delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_casemodel_parties_excluded")]
    operations = [
        migrations.AlterField(
            model_name="nodetype",
            name="completion",
            field=models.CharField(
                choices=[
                    ("manual", "手动办理"),
                    ("on_filing", "立案时完成"),
                    ("on_assignment", "分案时完成"),
                    ("on_closing", "结案时完成"),
                    ("track_term", "分流后生成、结案时完成"),
                ],
                default="manual",
                max_length=16,
                verbose_name="完成方式",
            ),
        ),
        migrations.RunPython(load, unload),
    ]
