"""Lists every read and change of one person's data from the sporingslogg."""
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from alnaaktiv import audit
from alnaaktiv.actor import actor_from_options, add_actor_argument
from alnaaktiv.auditlog_format import PersonByFnr, entries_for_person, entry_as_cef, entry_as_dict
from alnaaktiv.fnr import clean_fnr, parse_fnr
from alnaaktiv.models import AuditEntry


class Command(BaseCommand):
    help = "Viser sporingsloggen for én person: hvem som har sett eller endret opplysningene."

    def add_arguments(self, parser):
        parser.add_argument("--fnr", required=True, help="personens fødselsnummer (11 siffer)")
        parser.add_argument("--format", choices=["json", "cef", "tekst"], default="tekst")
        add_actor_argument(parser)

    def handle(self, *args, **options):
        fnr = clean_fnr(options["fnr"])
        try:
            parse_fnr(fnr)
        except ValidationError as error:
            raise CommandError(f"Ugyldig fødselsnummer: {error.messages[0]}") from None
        entries = list(entries_for_person(fnr))
        # Reading a person's log is itself an export of personal data.
        actor = actor_from_options(options, f"audit_log --format {options['format']}")
        audit.record_change(AuditEntry.Action.EXPORT, actor=actor, person=PersonByFnr(fnr))
        if options["format"] == "json":
            self.stdout.write(json.dumps([entry_as_dict(entry) for entry in entries], ensure_ascii=False, indent=1))
        elif options["format"] == "cef":
            for entry in entries:
                self.stdout.write(entry_as_cef(entry))
        else:
            if not entries:
                self.stdout.write("Ingen innslag i sporingsloggen for denne personen.")
            for entry in entries:
                row = entry_as_dict(entry)
                self.stdout.write(f"{row['time']}  {row['user']:<16} {row['role']:<16} {row['action']:<7} "
                                  f"{row['object']:<28} {row['path']}")

