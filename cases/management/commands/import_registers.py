"""Imports a dated Oskar and/or Arena extract for one office (docs/contracts.md, "Register extracts")."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alnaaktiv.actor import actor_from_options, add_actor_argument
from alnaaktiv.command_options import date_option, office_option
from cases.imports import ARENA, KIND_LABELS, OSKAR, ImportRefused, RegisterImportRefused, import_registers

REFUSED = "Importen ble avvist, og ingenting ble lagret."


def _read_files(paths: dict[str, str]) -> dict[str, bytes]:
    data = {}
    for kind, path in paths.items():
        try:
            data[kind] = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Kan ikke lese {path}: {error.strerror}") from None
    return data


def _refused_message(refused: ImportRefused, paths: dict[str, str]) -> str:
    """The errors under the file they are in (when the import got that far)."""
    if not isinstance(refused, RegisterImportRefused):
        return "\n".join([REFUSED, *refused.errors])
    lines = [REFUSED]
    for kind, errors in refused.errors_by_kind.items():
        lines.append(f"{KIND_LABELS[kind]} ({paths[kind]}):")
        lines.extend(f"  {error}" for error in errors)
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Importerer et Oskar- og/eller Arena-uttrekk for ett kontor og én dato. Alt eller ingenting."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="kontorets enhetsnummer, f.eks. 0326")
        parser.add_argument("--as-of", required=True, help="uttrekkets dato (åååå-mm-dd eller dd.mm.åååå)")
        parser.add_argument("--oskar", help="Oskar-uttrekket (CSV)")
        parser.add_argument("--arena", help="Arena-uttrekket (CSV)")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="importer de gyldige radene og rapporter resten")
        parser.add_argument("--dry-run", action="store_true", help="kontroller filene uten å lagre noe")
        add_actor_argument(parser)

    def handle(self, *args, **options):
        actor = actor_from_options(options, "import_registers")
        as_of = date_option("--as-of", options["as_of"])
        office = office_option(options["office"])
        paths = {kind: options[kind] for kind in (OSKAR, ARENA) if options[kind]}
        if not paths:
            raise CommandError("Oppgi --oskar og/eller --arena.")
        data = _read_files(paths)
        try:
            results = import_registers(
                office=office, as_of=as_of, oskar=data.get(OSKAR), arena=data.get(ARENA),
                skip_invalid=options["skip_invalid"], dry_run=options["dry_run"], actor=actor,
            )
        except ImportRefused as refused:
            raise CommandError(_refused_message(refused, paths)) from None
        for kind, result in results.items():
            self._report(f"{KIND_LABELS[kind]} for {office.enhetsnummer} per {as_of:%d.%m.%Y}", result)
        if options["dry_run"]:
            self.stdout.write("Prøvekjøring: ingenting ble lagret.")

    def _report(self, heading: str, result) -> None:
        self.stdout.write(f"{heading}: {result.summary()}")
        for error in result.errors:
            self.stdout.write(f"  hoppet over {error}")
        for notice in result.notices:
            self.stdout.write(f"  til kontroll {notice}")
