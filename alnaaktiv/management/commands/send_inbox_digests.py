"""python manage.py send_inbox_digests: the inbox's daily e-mail, by hand (beat runs the same task
at 07:00): one e-mail with counts and a link to each user who turned it on and has new items."""
from django.core.management.base import BaseCommand

from alnaaktiv import inbox


class Command(BaseCommand):
    help = "Sender den daglige e-posten om innboksen til brukerne som har slått den på."

    def handle(self, *args, **options):
        sent = inbox.send_inbox_digests()
        self.stdout.write(f"Sendte {sent} e-post{'er' if sent != 1 else ''} om innboksen.")
