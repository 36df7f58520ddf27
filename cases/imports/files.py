"""Uploaded import files waiting between the preview and the confirm step of /import/. They hold
fødselsnumre, so they live under MEDIA_ROOT/imports with random names (never under static) and
are deleted after confirm or cancel, or by beat when a preview was abandoned."""
import datetime
import logging
import re
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)
KINDS = ("oskar", "arena", "deltakere")
# Beat runs hourly, so a file older than 23 hours is gone before it is 24 hours old.
PENDING_MAX_AGE = datetime.timedelta(hours=23)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_PENDING_NAME = re.compile(r"^[0-9a-f]{32}\.(oskar|arena|deltakere)\.csv$")


def pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def pending_path(token: str, kind: str) -> Path:
    if not _TOKEN.match(token) or kind not in KINDS:
        raise ValueError("ugyldig importnøkkel")
    return pending_dir() / f"{token}.{kind}.csv"


def delete_abandoned_import_files(*, max_age: datetime.timedelta = PENDING_MAX_AGE) -> int:
    """Delete the pending import files last written more than `max_age` ago (a preview nobody
    confirmed or cancelled); returns how many. Only files named as the import page names them
    are touched."""
    directory = pending_dir()
    if not directory.is_dir():
        return 0
    cutoff = time.time() - max_age.total_seconds()
    deleted = 0
    for path in directory.iterdir():
        if not _PENDING_NAME.match(path.name):
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                deleted += 1
        except FileNotFoundError:
            continue  # confirmed or cancelled meanwhile
    if deleted:
        logger.info("Slettet %s forlatte importfiler", deleted)
    return deleted
