"""Anonymises the persons past the retention period now, as beat does every month."""
from django.core.management.base import BaseCommand
from django.utils import timezone

from alnaaktiv import retention
from alnaaktiv.actor import actor_from_options, add_actor_argument


class Command(BaseCommand):
    help = ("Anonymiserer personer der alle løp ble avsluttet for mer enn RETENTION_YEARS_AFTER_COURSE år siden "
            "og ingen vedtak er åpent eller i klagefristen.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="vis bare hvor mange som ville blitt anonymisert")
        add_actor_argument(parser)

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["dry_run"]:
            ids = list(retention.expired_persons(today=today).values_list("pk", flat=True))
            self.stdout.write(f"{len(ids)} personer ville blitt anonymisert (prøvekjøring, ingenting er endret).")
            if ids:
                self.stdout.write("person-id: " + ", ".join(str(pk) for pk in ids))
            return
        done = retention.anonymise_expired_persons(today=today, actor=actor_from_options(options, "anonymise_expired"))
        self.stdout.write(f"{len(done)} personer anonymisert.")
