"""Node types of rules.md §2.2 that were missing (issue 15, cov012).

* ``ask_leads`` — the handling officer asks the applicant for the debtor's assets or asset leads within
  3 days of receiving the case materials (2006 期限规定 Art 5). Anchored on the assignment (the officer
  receives the materials then): created by the first assignment.
* ``investigate_on_request`` — the court starts an investigation within 10 days of the applicant's
  request (2006 期限规定 Art 6(2)); added on demand on the day of the request.
* ``supplement_report`` — the debtor's supplementary asset report within 10 days of a change of its
  assets (财产调查规定 Art 7); added on demand, starting on the day of the change.
"""

from django.db import migrations, models

NODE_TYPES = [
    # code, name, order, budget, unit, anchor, auto, yellow, basis
    (
        "ask_leads",
        "告知申请执行人提供财产线索",
        45,
        3,
        "days",
        "assigned",
        True,
        1,
        "2006年期限规定第5条：承办人收到案件材料后3日内通知申请执行人提供被执行人财产状况或财产线索",
    ),
    (
        "investigate_on_request",
        "依申请启动财产调查",
        62,
        10,
        "days",
        "created",
        False,
        2,
        "2006年期限规定第6条第2款：申请执行人申请人民法院调查的，应在10日内启动调查",
    ),
    (
        "supplement_report",
        "被执行人补充报告财产（财产变动后）",
        65,
        10,
        "days",
        "created",
        False,
        2,
        "财产调查规定第7条：被执行人报告财产后财产情况发生变动的，应自变动之日起10日内补充报告；"
        "起算日填财产变动之日",
    ),
]


def load(apps, schema_editor):
    NodeType = apps.get_model("cases", "NodeType")
    for code, name, order, budget, unit, anchor, auto, yellow, basis in NODE_TYPES:
        NodeType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "order": order,
                "budget": budget,
                "budget_non_litigation": None,
                "unit": unit,
                "anchor": anchor,
                "auto_create": auto,
                "completion": "manual",
                "extendable": False,
                "yellow_workdays": yellow,
                "legal_basis": basis,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("cases", "NodeType").objects.filter(code__in=[row[0] for row in NODE_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0020_fidelity_extension_report")]

    operations = [
        migrations.AlterField(
            model_name="nodetype",
            name="anchor",
            field=models.CharField(
                choices=[
                    ("applied", "收到申请之日"),
                    ("filed", "立案之日"),
                    ("assigned", "承办人收到案件材料之日（分案）"),
                    ("created", "节点生成之日"),
                ],
                default="filed",
                max_length=16,
                verbose_name="起算",
            ),
        ),
        migrations.RunPython(load, unload),
    ]
