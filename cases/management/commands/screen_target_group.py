"""Prints the target-group funnel of docs/domain.md §4 for one office and date (docs/contracts.md, "Screening")."""
import json

from django.core.management.base import BaseCommand

from alnaaktiv.command_options import date_option, office_option
from cases.selectors import screen


class Command(BaseCommand):
    help = "Screener målgruppen: trakten fra sosialhjelpsmottakere til kandidater for ett kontor og én dato."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="kontorets enhetsnummer, f.eks. 0326")
        parser.add_argument("--as-of", required=True, help="referansedato (åååå-mm-dd eller dd.mm.åååå)")
        parser.add_argument("--format", choices=["json", "tabell"], default="tabell")

    def handle(self, *args, **options):
        as_of = date_option("--as-of", options["as_of"])
        office = office_option(options["office"])
        funnel = screen(office=office, as_of=as_of)
        if options["format"] == "json":
            self.stdout.write(json.dumps(funnel.as_dict(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"Screening av målgruppen – {office.name} ({office.enhetsnummer}) per {as_of:%d.%m.%Y}")
        if funnel.oskar_as_of is None:
            self.stdout.write("Ingen Oskar-uttrekk på eller før datoen: ingenting å telle.")
            return
        arena = f"{funnel.arena_as_of:%d.%m.%Y}" if funnel.arena_as_of else "mangler"
        self.stdout.write(f"Oskar-uttrekk {funnel.oskar_as_of:%d.%m.%Y}, Arena-uttrekk {arena}, "
                          f"arbeidssøkervindu {funnel.window_months} måneder")
        self.stdout.write("")
        for step in funnel.steps:
            note = f"  ({step['note']})" if step["note"] else ""
            self.stdout.write(f"{step['number']}. {step['label']:<62}{step['count']:>7}{note}")
        self.stdout.write("")
        for extra in funnel.extras:
            self.stdout.write(f"   {extra['label']:<62}{extra['count']:>7}")
