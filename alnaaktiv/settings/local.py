"""The embedded default: SQLite under var/, eager tasks, debug on, synthetic fødselsnumre."""
import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("ALLOW_SYNTHETIC_FNR", "1")

from alnaaktiv.settings.base import *  # noqa: E402,F403
from alnaaktiv.settings.base import VAR_DIR  # noqa: E402

VAR_DIR.mkdir(exist_ok=True)
