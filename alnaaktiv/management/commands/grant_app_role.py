"""Gives the application's own PostgreSQL role the rights it needs, and no more.

Run by the database owner after every `migrate` (docker-compose's migrate service does), so new
tables get their grants on each deploy. The app role may read and write every table except the
audit and security logs, where it may only INSERT and SELECT: it owns nothing, so it can never
TRUNCATE or ALTER a table, or drop the trigger that keeps the logs append-only. The log's own
retention is done by the owner role, outside the application."""
import os
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from alnaaktiv.models import AuditEntry, SecurityEvent

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def log_tables() -> list[str]:
    return [AuditEntry._meta.db_table, SecurityEvent._meta.db_table]


class Command(BaseCommand):
    help = "Gi applikasjonens databaserolle tilgang: les og skriv alle tabeller, bare les og legg til i loggene."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="databaserollen web, worker og beat kobler til med")
        parser.add_argument("--password-env", default="",
                            help="miljøvariabel med rollens passord: rollen lages (eller passordet settes) med det")

    def handle(self, *args, role: str, password_env: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role gjelder bare PostgreSQL.")
        if not ROLE_NAME.match(role):
            raise CommandError(f"Ugyldig rollenavn: {role!r} (små bokstaver, tall og _).")
        password = None
        if password_env:
            password = os.environ.get(password_env, "")
            if not password:
                raise CommandError(f"Miljøvariabelen {password_env} er tom eller mangler.")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_schema()")
            owner, schema = cursor.fetchone()
            if role == owner:
                raise CommandError("Applikasjonsrollen må være en annen enn eieren som kjører migreringene.")
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            exists = cursor.fetchone() is not None
            if password is not None:
                verb = "ALTER" if exists else "CREATE"
                cursor.execute(f'{verb} ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %s',
                               [password])
            elif not exists:
                raise CommandError(f"Rollen {role} finnes ikke. Lag den, eller gi --password-env.")
            cursor.execute("SELECT current_database()")
            database = cursor.fetchone()[0]
            quoted_schema = connection.ops.quote_name(schema)
            cursor.execute(f'GRANT CONNECT ON DATABASE {connection.ops.quote_name(database)} TO "{role}"')
            cursor.execute(f'GRANT USAGE ON SCHEMA {quoted_schema} TO "{role}"')
            # Everything the app needs, on every table there is now; then the logs taken back to
            # append-only. Nothing here makes the role an owner (no ALTER, DROP, TRUNCATE, TRIGGER).
            cursor.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA {quoted_schema} FROM "{role}"')
            cursor.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quoted_schema} TO "{role}"')
            cursor.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quoted_schema} TO "{role}"')
            for table in log_tables():
                cursor.execute(f'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {connection.ops.quote_name(table)} '
                               f'FROM "{role}"')
        self.stdout.write(f"Rollen {role} kan lese og skrive tabellene i {database}; "
                          f"i {', '.join(log_tables())} bare lese og legge til.")
