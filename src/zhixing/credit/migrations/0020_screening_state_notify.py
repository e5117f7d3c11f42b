"""PostgreSQL: a change to what the screening engine reads per group is announced (LISTEN/NOTIFY).

The engine's process on the documented deployment keeps the partners it has read and the change log's
cursor, and reads them again only when told they changed (`credit.gateway.state_watch`): these triggers
notify the channel `zhixing_screening_state` when a partner's screening fields change (a key issued or
revoked, a limit or privacy mode changed) or the change log grows. A notification is sent when the
writing transaction commits, never for one rolled back. Statement-level: one per statement, however many
rows it writes (the register's bulk load). SQLite has no such channel: its engine reads every group.
"""

from django.db import migrations

CHANNEL = "zhixing_screening_state"
# The partner columns the engine's state reads (services.partners._PARTNER_COLUMNS, and revoked_at).
PARTNER_COLUMNS = "name, kind, key_digest, rate_per_minute, privacy_mode, full_sync, feed_floor, revoked_at"


def _tables(apps):
    return (
        apps.get_model("credit", "Partner")._meta.db_table,
        apps.get_model("credit", "ChangeEvent")._meta.db_table,
    )


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    partner, change = _tables(apps)
    with conn.cursor() as cur:
        cur.execute(
            f"""
            CREATE OR REPLACE FUNCTION zhixing_screening_state_changed() RETURNS trigger AS $$
            BEGIN
              PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
              RETURN NULL;
            END $$ LANGUAGE plpgsql;
            """
        )
        cur.execute(
            f"CREATE TRIGGER {partner}_screening_state AFTER INSERT OR DELETE OR TRUNCATE "
            f"OR UPDATE OF {PARTNER_COLUMNS} ON {partner} "
            "FOR EACH STATEMENT EXECUTE FUNCTION zhixing_screening_state_changed();"
        )
        cur.execute(
            f"CREATE TRIGGER {change}_screening_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {change} FOR EACH STATEMENT EXECUTE FUNCTION zhixing_screening_state_changed();"
        )


def backwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        for table in _tables(apps):
            cur.execute(f"DROP TRIGGER IF EXISTS {table}_screening_state ON {table};")
        cur.execute("DROP FUNCTION IF EXISTS zhixing_screening_state_changed();")


class Migration(migrations.Migration):
    dependencies = [("credit", "0019_measures_carried_into_resumed_case")]
    operations = [migrations.RunPython(forwards, backwards)]
