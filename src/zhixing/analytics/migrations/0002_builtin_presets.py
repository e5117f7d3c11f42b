"""Install the built-in layout presets for the real statement exports (see analytics/presets.py)."""

from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from zhixing.analytics.presets import BUILTIN

    preset = apps.get_model("analytics", "StatementPreset")
    for code, fields in BUILTIN.items():
        preset.objects.get_or_create(code=code, defaults={**fields, "builtin": True})


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
