from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alnaaktiv.backups import BackupError, restore


class Command(BaseCommand):
    help = ("Gjenopprett en sikkerhetskopi fra `backup` til en ny, tom PostgreSQL-database og en tom "
            "mediemappe, og kontroller antall rader mot manifestet.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, type=Path, help="mappen `backup` skrev")
        parser.add_argument("--database-url", required=True, help="postgres://… til den nye databasen")
        parser.add_argument("--media-root", type=Path, default=None, help="tom mappe for filene; standard: MEDIA_ROOT")
        parser.add_argument("--no-create", action="store_true", help="ikke lag databasen om den mangler")

    def handle(self, *args, source: Path, database_url: str, media_root: Path | None, no_create: bool, **options):
        try:
            result = restore(source, database_url, Path(media_root or settings.MEDIA_ROOT), create=not no_create)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Gjenopprettet til {result['database']}: {sum(result['tables'].values())} rader i "
                          f"{len(result['tables'])} tabeller og {result['media_files']} filer stemmer med manifestet.")
