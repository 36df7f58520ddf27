"""python manage.py detect_possible_breaches [--date YYYY-MM-DD]: the morning's detection of
possible breaches by hand (beat runs the same at 06:00). Running it twice finds nothing new."""
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from alnaaktiv.actor import actor_from_options, add_actor_argument
from alnaaktiv.command_options import date_option
from alnaaktiv.templatetags.norsk import flertall
from conditions.services.breaches import detect_possible_breaches


class Command(BaseCommand):
    help = "Finner mulige brudd på aktivitetsvilkår (ikke møtt, fravær over terskelen, manglende jobbsøking)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="dagen det sjekkes for (ÅÅÅÅ-MM-DD; uten: i dag)")
        add_actor_argument(parser)

    def handle(self, *args, **options):
        day = date_option("--date", options["date"]) if options.get("date") else None
        if day is not None and day > timezone.localdate():
            # Attendance not registered yet would look like absence: the check is for today or before.
            raise CommandError(f"--date: {day:%d.%m.%Y} er fram i tid. Velg i dag eller en dag tilbake i tid.")
        made = detect_possible_breaches(on_date=day, actor=actor_from_options(options, "detect_possible_breaches"))
        self.stdout.write(f"Fant {flertall(len(made), 'nytt mulig brudd,nye mulige brudd')}.")
