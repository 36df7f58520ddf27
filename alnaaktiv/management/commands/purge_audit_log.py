"""Deletes audit and security log entries older than AUDIT_RETENTION_YEARS (docs/deploy.md
«Personvern og sletting»).

The logs are append-only in the application (AppendOnlyModel) and, on PostgreSQL, in the
database: the trigger of alnaaktiv/migrations/0003_append_only_logs.py refuses every UPDATE and
DELETE, and the app's role may only INSERT and SELECT. So this command runs as the tables'
owner, with the owner's DATABASE_URL like the migrations, and uses raw SQL: in ONE transaction
it disables the trigger, deletes the rows older than the cutoff and enables the trigger again.
ALTER TABLE holds an ACCESS EXCLUSIVE lock until commit, so no other session writes or changes
a row while the trigger is off (their writes wait for the few seconds it takes), and any error
rolls the whole of it back, the trigger included. Only a table owner may disable a trigger: run
with the app's role the command stops with a message and changes nothing."""
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from alnaaktiv import audit
from alnaaktiv.actor import actor_from_options, add_actor_argument
from alnaaktiv.dates import years_before
from alnaaktiv.models import AuditEntry

TABLES = ["alnaaktiv_auditentry", "alnaaktiv_securityevent"]


def audit_cutoff(now: datetime.datetime) -> datetime.datetime:
    return years_before(now, settings.AUDIT_RETENTION_YEARS)


class Command(BaseCommand):
    help = ("Sletter innslag i sporingsloggen og sikkerhetsloggen eldre enn AUDIT_RETENTION_YEARS år. "
            "Kjøres med databaseeierens DATABASE_URL, som migreringer.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="vis bare hvor mange innslag som ville blitt slettet")
        add_actor_argument(parser)

    def handle(self, *args, **options):
        cutoff = audit_cutoff(timezone.now())
        postgresql = connection.vendor == "postgresql"
        with transaction.atomic(), connection.cursor() as cursor:
            counts = {}
            for table in TABLES:
                # Table names are this module's constants, never input.
                cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE time < %s", [cutoff])  # noqa: S608
                counts[table] = cursor.fetchone()[0]
            summary = (f"sporingslogg: {counts['alnaaktiv_auditentry']}, "
                       f"sikkerhetslogg: {counts['alnaaktiv_securityevent']} innslag eldre enn "
                       f"{timezone.localtime(cutoff):%d.%m.%Y}")
            if options["dry_run"]:
                self.stdout.write(f"Ville slettet {summary} (prøvekjøring, ingenting er endret).")
                return
            try:
                if postgresql:
                    # ALTER TABLE refuses while deferred foreign-key checks are queued in the
                    # transaction; checking them now empties that queue.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in TABLES:
                    if postgresql:
                        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
                    cursor.execute(f"DELETE FROM {table} WHERE time < %s", [cutoff])  # noqa: S608
                    if postgresql:
                        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
            except DatabaseError as error:
                raise CommandError(
                    "Kunne ikke slette fra loggen. Kommandoen må kjøres med databaseeierens DATABASE_URL "
                    f"(som migreringer), ikke appens egen databasebruker. Ingenting er slettet. ({error})"
                ) from None
            # The purge itself is on record: who ran it and up to when.
            entry = audit.build_entry(AuditEntry.Action.DELETE, actor=actor_from_options(options, "purge_audit_log"))
            entry.object_type, entry.object_id = AuditEntry._meta.label_lower, f"før {cutoff:%Y-%m-%d}"
            entry.save()
        self.stdout.write(f"Slettet {summary}.")
