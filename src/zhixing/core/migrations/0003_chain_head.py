from django.db import migrations


def create_head(apps, schema_editor):
    apps.get_model("core", "AuditChainHead").objects.get_or_create(pk=1, defaults={"last_hash": "0" * 64})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
