"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit and security logs,
so not even a bug or a stray admin query can rewrite history."""
from django.db import migrations

TABLES = ["alnaaktiv_auditentry", "alnaaktiv_securityevent"]

FUNCTION = """
CREATE OR REPLACE FUNCTION alnaaktiv_refuse_log_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Loggen kan ikke endres eller slettes (%)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the function body has a literal % that must not be read as a placeholder
    schema_editor.execute(FUNCTION, None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION alnaaktiv_refuse_log_change();"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS alnaaktiv_refuse_log_change();")


class Migration(migrations.Migration):
    dependencies = [("alnaaktiv", "0002_reference_offices")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
