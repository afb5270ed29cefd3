"""On PostgreSQL, the database itself refuses to change or delete a history row.

The code never does (tests/content/test_history_append_only.py scans it), and this makes the
guarantee hold for anything else that connects too: a shell, a script, a future bug.
The one update allowed is the one Django makes when a user is deleted: their history
rows keep everything but lose the link to the user (``history_user`` is SET_NULL).
SQLite, the development default, has no such triggers; the scan covers it there.
"""

from django.db import migrations

HISTORY_TABLES = ("notes_historicalbook", "notes_historicalchapter", "notes_historicalcomparisontable")

FUNCTION = """
CREATE OR REPLACE FUNCTION notes_history_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.history_user_id IS NULL
       AND (to_jsonb(NEW) - 'history_user_id') = (to_jsonb(OLD) - 'history_user_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'history is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in HISTORY_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION notes_history_append_only()"
        )


def drop_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in HISTORY_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS notes_history_append_only()")


class Migration(migrations.Migration):
    dependencies = [("notes", "0006_changerequest_resolution")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
