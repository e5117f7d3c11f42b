"""Database-level append-only guard for the ledger (entries and transactions are never edited).

PostgreSQL: UPDATE and DELETE are refused (TRUNCATE, used only by test teardown, is not a row event).
SQLite: UPDATE is refused; DELETE stays possible there because the test runner flushes with DELETE.
"""

from django.db import migrations

TABLES = ("funds_entry", "funds_transaction")


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(
                """
                CREATE OR REPLACE FUNCTION funds_append_only() RETURNS trigger AS $$
                BEGIN
                  RAISE EXCEPTION '账簿记录只能追加，不能修改或删除（%）', TG_TABLE_NAME;
                END $$ LANGUAGE plpgsql;
                """
            )
            for t in TABLES:
                cur.execute(
                    f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                    "FOR EACH ROW EXECUTE FUNCTION funds_append_only();"
                )
        elif conn.vendor == "sqlite":
            for t in TABLES:
                cur.execute(
                    f"CREATE TRIGGER {t}_append_only BEFORE UPDATE ON {t} "
                    "BEGIN SELECT RAISE(ABORT, '账簿记录只能追加，不能修改'); END;"
                )


def backwards(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for t in TABLES:
            if conn.vendor == "postgresql":
                cur.execute(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};")
            elif conn.vendor == "sqlite":
                cur.execute(f"DROP TRIGGER IF EXISTS {t}_append_only;")


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
