import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from alnaaktiv.command_options import office_option
from alnaaktiv.models import User
from cases.scale import seed_scale


class Command(BaseCommand):
    help = "Lager syntetiske data i nasjonal skala for ytelsesmålinger (bulk-innsetting)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, required=True, help="antall husholdninger (saker)")
        parser.add_argument("--office", default="0326", help="kontorets enhetsnummer (standard 0326)")
        parser.add_argument("--participant-share", type=float, default=0.2, help="andel som blir deltakere (0-1)")

    def handle(self, *args, **options):
        if not settings.ALLOW_SYNTHETIC_FNR:
            raise CommandError("Skaladata bruker syntetiske fødselsnumre: kjør bare med ALLOW_SYNTHETIC_FNR på.")
        if options["households"] < 1:
            raise CommandError("--households må være minst 1.")
        if not 0 <= options["participant_share"] <= 1:
            raise CommandError("--participant-share må være mellom 0 og 1.")
        office = office_option(options["office"])
        started = time.monotonic()
        result = seed_scale(households=options["households"], office=office,
                            participant_share=options["participant_share"],
                            veileder=User.objects.filter(username="veileder").first())
        if connection.vendor == "postgresql":
            # Fresh planner statistics: right after a bulk load PostgreSQL still believes the
            # tables are small and picks nested loops that take minutes (seen on the reports).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"La til {result['households']} husholdninger ({result['persons']} personer), "
            f"{result['participants']} deltakere med {result['events']} hendelser og {result['arena_rows']} "
            f"Arena-rader på {time.monotonic() - started:.1f} s."
        )
