
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0030_preservation'),
        ('cases', '0030_settlement_agreements'),
    ]

    operations = [
    ]
