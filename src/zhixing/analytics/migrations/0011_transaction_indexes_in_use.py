"""The statement lines keep only the indexes their queries use (docs/adr/0028-transaction-indexes-in-use.md).

Dropped: `txn_id` and `line_hash` (never looked up in the database), `party_id` alone (the
`an_tx_party_time` index leads with it) and `duplicate_of_id` for every line (replaced by a partial
index of the lines that have a link). The indexes are dropped by name as the database reports them
(`DROP INDEX`), so SQLite does not copy the table four times as `AlterField` would (a large
database migrates in seconds); the model state changes with the same `AlterField`s.
"""

import django.db.models.deletion
from django.db import migrations, models


COLUMNS = ("txn_id", "line_hash", "party_id", "duplicate_of_id")


def drop_single_column_indexes(apps, schema_editor):
    """Drop each plain (non-unique) index of exactly one of COLUMNS, whatever its name (on PostgreSQL a
    `CharField`'s `_like` index too); the foreign key constraints stay."""
    Transaction = apps.get_model("analytics", "Transaction")
    table = Transaction._meta.db_table
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    for name, info in sorted(found.items()):
        if (
            info.get("index")
            and not info.get("unique")
            and not info.get("primary_key")
            and not info.get("foreign_key")
            and len(info.get("columns") or []) == 1
            and info["columns"][0] in COLUMNS
        ):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_single_column_indexes(apps, schema_editor):
    """The reverse: the four indexes as Django names them for `db_index=True`."""
    Transaction = apps.get_model("analytics", "Transaction")
    for column in COLUMNS:
        field = next(f for f in Transaction._meta.local_fields if f.column == column)
        for sql in schema_editor._field_indexes_sql(Transaction, field):
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0010_importjob_lease'),
        ('cases', '0033_coercion_document_help_text'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='transaction',
                    name='duplicate_of',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='analytics.transaction', verbose_name='重复于'),
                ),
                migrations.AlterField(
                    model_name='transaction',
                    name='line_hash',
                    field=models.CharField(help_text='用于识别重复行', max_length=64, verbose_name='行摘要'),
                ),
                migrations.AlterField(
                    model_name='transaction',
                    name='party',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.party', verbose_name='被执行人'),
                ),
                migrations.AlterField(
                    model_name='transaction',
                    name='txn_id',
                    field=models.CharField(blank=True, max_length=80, verbose_name='交易流水号'),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_single_column_indexes, create_single_column_indexes),
            ],
        ),
        migrations.AddIndex(
            model_name='transaction',
            index=models.Index(condition=models.Q(('duplicate_of__isnull', False)), fields=['duplicate_of'], name='an_tx_dup_of'),
        ),
    ]
