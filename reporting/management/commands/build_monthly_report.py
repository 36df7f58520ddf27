"""Computes and stores one office's monthly report (docs/contracts.md "Reports"); the scheduled task
runs the same service."""
from django.core.management.base import BaseCommand, CommandError

from alnaaktiv.actor import actor_from_options, add_actor_argument
from alnaaktiv.command_options import office_option
from reporting.builder import ReportError, parse_month
from reporting.services import monthly_report_build


class Command(BaseCommand):
    help = "Bygger og lagrer månedsrapporten for ett kontor og én måned."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="kontorets enhetsnummer, f.eks. 0326")
        parser.add_argument("--month", required=True, help="måneden som ÅÅÅÅ-MM, f.eks. 2015-03")
        add_actor_argument(parser)

    def handle(self, *args, **options):
        actor = actor_from_options(options, "build_monthly_report")
        try:
            month = parse_month(options["month"])
            office = office_option(options["office"])
            report = monthly_report_build(office=office, month=month, actor=actor)
        except ReportError as error:
            raise CommandError(str(error)) from None
        participants = report.data["participants_by_month"][-1]["total"]
        self.stdout.write(
            f"Månedsrapport {report.month_code} for {office.name} ({office.enhetsnummer}) er bygget: "
            f"{len(report.data['targets'])} måltall, {participants} aktive deltakere ved månedsslutt."
        )
