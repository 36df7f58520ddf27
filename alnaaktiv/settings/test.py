"""Settings for the pytest suite: the database of DATABASE_URL (SQLite when unset), tasks eager
(the Celery integration test switches that off for itself), fast password hashing."""
import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-alnaaktiv-0123456789abcdefghijklmnop")
os.environ.setdefault("ALLOW_SYNTHETIC_FNR", "1")

from alnaaktiv.settings.base import *  # noqa: E402,F403
from alnaaktiv.settings.base import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# Serve static files from the apps and node_modules without collectstatic, as in development.
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
