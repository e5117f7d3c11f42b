"""The urgent variant of verifying a concrete property lead: 3 days (财产调查规定 Art 2, rules.md §2.2)."""

from django.db import migrations


def load(apps, schema_editor):
    NodeType = apps.get_model("cases", "NodeType")
    NodeType.objects.update_or_create(
        code="verify_lead_urgent",
        defaults={
            "name": "核查财产线索（紧急）",
            "order": 61,
            "budget": 3,
            "budget_non_litigation": None,
            "unit": "days",
            "anchor": "created",
            "auto_create": False,
            "completion": "manual",
            "extendable": False,
            "yellow_workdays": 1,
            "legal_basis": "财产调查规定第2条：收到具体财产线索后7日内核查，情况紧急的3日内核查",
        },
    )


def unload(apps, schema_editor):
    apps.get_model("cases", "NodeType").objects.filter(code="verify_lead_urgent").delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_obligation")]
    operations = [migrations.RunPython(load, unload)]
