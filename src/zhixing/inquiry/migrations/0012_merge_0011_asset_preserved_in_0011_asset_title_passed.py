
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('inquiry', '0011_asset_preserved_in'),
        ('inquiry', '0011_asset_title_passed'),
    ]

    operations = [
    ]
