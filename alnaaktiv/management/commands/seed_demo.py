from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alnaaktiv.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo


class Command(BaseCommand):
    help = "Lager demokontorer, én demobruker per rolle og om lag 60 syntetiske husholdninger."

    def handle(self, *args, **options):
        if not settings.ALLOW_SYNTHETIC_FNR:
            raise CommandError(
                "Demodata bruker syntetiske fødselsnumre og kjente passord. "
                "Kjør bare med ALLOW_SYNTHETIC_FNR på, aldri i produksjon."
            )
        result = seed_demo()
        self.stdout.write(f"Demodata klar: {result['users']} nye brukere, {result['cases']} nye saker, "
                          f"{result['participants']} nye deltakere.")
        self.stdout.write(f"Logg inn med et av brukernavnene under og passordet «{DEMO_PASSWORD}»:")
        for username, _first, _last, office, roles in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {', '.join(roles)} ({office})")
