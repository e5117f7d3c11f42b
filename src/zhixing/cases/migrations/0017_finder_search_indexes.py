"""Search indexes (issue 13): trigram GIN indexes for 案号 / identity-number substring search.

PostgreSQL only, and only when `pg_trgm` can be created (it ships with PostgreSQL's contrib package;
creating it needs the right privilege): otherwise the step is skipped and the search still works
(sequential filter within the scoped, date-ordered walk). SQLite needs nothing here.
"""

from django.db import migrations

INDEXES = (
    ("case_number_trgm", "cases_enforcementcase", "number"),
    ("party_id_number_trgm", "cases_party", "id_number"),
    ("party_credit_code_trgm", "cases_party", "credit_code"),
)


def _trgm_available(schema_editor) -> bool:
    conn = schema_editor.connection
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cur.fetchone():
            return True
        cur.execute("SAVEPOINT finder_trgm")
        try:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - no privilege or no contrib package: skip the indexes
            cur.execute("ROLLBACK TO SAVEPOINT finder_trgm")
            return False
        cur.execute("RELEASE SAVEPOINT finder_trgm")
        return True


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql" or not _trgm_available(schema_editor):
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0016_words_field_labels")]

    operations = [migrations.RunPython(create, drop)]
