
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0004_consequence_key_and_sale_events'),
        ('measures', '0004_event_objection_upheld'),
    ]

    operations = [
    ]
