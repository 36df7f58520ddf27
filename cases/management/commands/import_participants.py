from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alnaaktiv.actor import actor_from_options, add_actor_argument
from alnaaktiv.command_options import office_option
from cases.imports import ImportRefused, import_participants


class Command(BaseCommand):
    help = "Importerer pilotens deltakerliste (fnr, navn, henvist, mott, ... ) for ett kontor."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV-fil med deltakerlisten")
        parser.add_argument("--office", required=True, help="kontorets enhetsnummer, f.eks. 0326")
        parser.add_argument("--skip-invalid", action="store_true", help="importer gyldige rader og rapporter resten")
        add_actor_argument(parser)

    def handle(self, *args, **options):
        actor = actor_from_options(options, "import_participants")
        office = office_option(options["office"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fant ikke filen {path}.")
        try:
            result = import_participants(path.read_bytes(), office=office, skip_invalid=options["skip_invalid"],
                                         actor=actor)
        except ImportRefused as refused:
            raise CommandError("Ingenting ble importert:\n" + "\n".join(refused.errors)) from None
        for error in result.errors:
            self.stderr.write(error)
        self.stdout.write(result.summary())
        for notice in result.notices:
            self.stdout.write(f"  til kontroll {notice}")
