from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alnaaktiv.backups import BackupError, backup


class Command(BaseCommand):
    help = "Ta sikkerhetskopi av databasen (pg_dump) og de opplastede filene (MEDIA_ROOT) til en ny mappe."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="ny eller tom mappe for kopien")
        parser.add_argument("--media-root", type=Path, default=None, help="standard: MEDIA_ROOT")

    def handle(self, *args, out: Path, media_root: Path | None, **options):
        try:
            manifest = backup(out, media_root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"Sikkerhetskopi i {out}: {len(manifest['tables'])} tabeller, {rows} rader, "
                          f"{manifest['media_files']} filer.")
