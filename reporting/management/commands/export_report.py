"""Writes one office's monthly report as JSON, CSV, XLSX or PDF (docs/contracts.md "Reports"),
building the month first when it has never been built."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alnaaktiv import audit
from alnaaktiv.actor import actor_from_options, add_actor_argument
from alnaaktiv.audit import Action
from alnaaktiv.command_options import office_option
from reporting import renderers
from reporting.builder import ReportError, parse_month
from reporting.services import monthly_report_build_if_missing


class Command(BaseCommand):
    help = "Eksporterer månedsrapporten for ett kontor og én måned (json, csv, xlsx eller pdf)."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="kontorets enhetsnummer, f.eks. 0326")
        parser.add_argument("--month", required=True, help="måneden som ÅÅÅÅ-MM, f.eks. 2015-03")
        parser.add_argument("--format", required=True, help="json, csv, xlsx eller pdf")
        parser.add_argument("--out", required=True, help="filen rapporten skrives til")
        add_actor_argument(parser)

    def handle(self, *args, **options):
        if options["format"] not in renderers.FORMATS:
            raise CommandError(f"Ukjent format «{options['format']}»: velg json, csv, xlsx eller pdf.")
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"Mappen {out.parent} finnes ikke.")
        actor = actor_from_options(options, "export_report")
        try:
            report = monthly_report_build_if_missing(office=office_option(options["office"]),
                                                     month=parse_month(options["month"]), actor=actor)
        except ReportError as error:
            raise CommandError(str(error)) from None
        content = renderers.render(report, options["format"])
        out.write_bytes(content)
        audit.record_change(Action.EXPORT, actor=actor, obj=report, office=report.office.enhetsnummer)
        self.stdout.write(f"Månedsrapport {report.month_code} for {report.office.enhetsnummer} skrevet til {out}.")
