"""Settings shared by every environment. Configuration comes only from the environment
variables named in docs/contracts (see .env.example); local, test and production only change
defaults."""
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from alnaaktiv.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY må settes når DJANGO_DEBUG er av")
    SECRET_KEY = "dev-only-insecure-key-alnaaktiv-not-for-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])

# Synthetic fødselsnumre (month +40 / +80) are for demo and test data only.
ALLOW_SYNTHETIC_FNR = env_bool("ALLOW_SYNTHETIC_FNR", False)
SCREENING_WINDOW_MONTHS = env_int("SCREENING_WINDOW_MONTHS", 6)

INSTALLED_APPS = [
    "alnaaktiv.apps.AlnaAktivAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "mozilla_django_oidc",
    "alnaaktiv",
    "cases",
    "conditions",
    "arbeidsboks",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "alnaaktiv.middleware.RequestIdMiddleware",
    "alnaaktiv.middleware.NoStoreMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "alnaaktiv.middleware.SecurityLogMiddleware",
    # Axes must be last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alnaaktiv.urls"
WSGI_APPLICATION = "alnaaktiv.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "alnaaktiv.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
# One request, one transaction: a failed audit write rolls back everything the view did.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: a writing transaction takes SQLite's lock when it begins and waits up to
    # 20 s for it, so two people saving at once are served one after the other, not with «database
    # is locked» (a deferred transaction cannot wait when it upgrades from reading to writing).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "alnaaktiv.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Idle sessions end after SESSION_IDLE_MINUTES: every request renews the cookie's age.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# The page warns this long before the idle logout and offers «Forbli innlogget» (static/js/alnaaktiv.js).
SESSION_IDLE_WARNING_SECONDS = 120
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Login throttling: five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "alnaaktiv.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "alnaaktiv.views.lockout_response"
# How many reverse proxies in front of the app append to X-Forwarded-For (docker-compose: 1).
# 0 trusts no forwarded header: the client address is REMOTE_ADDR and X-Request-ID is ours.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
CSRF_FAILURE_VIEW = "alnaaktiv.views.csrf_failure"

# Security headers. HSTS is only sent over HTTPS, so it is safe to set everywhere.
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # Bootstrap draws form controls with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål")]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["alnaaktiv.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap is pinned in package-lock.json and installed by npm, never fetched at run time.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
# Uploaded documents are never served as static files: MEDIA_URL stays unused on purpose.
MEDIA_URL = "/media-not-served/"
# Uploaded documentation (conditions): PDF, JPEG or PNG up to this size.
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 10)
# Largest uploaded image, in millions of pixels: above it an image is refused before it is decoded
# (a decompression bomb is a few kB on disk and gigabytes in memory). 40 is a 48 MP phone's
# 8000 × 5000 at most.
UPLOAD_MAX_MEGAPIXELS = env_int("UPLOAD_MAX_MEGAPIXELS", 40)
# Largest register extract or tracking list on /import/: its preview and its confirm each run in one
# web request, and must finish well inside gunicorn's timeout (docs/benchmarks.md, issue 11).
IMPORT_UPLOAD_MAX_MB = env_int("IMPORT_UPLOAD_MAX_MB", 1)
# Vedtak processing deadline (docs/domain.md §3) and how many days before it a case counts as near.
DECISION_DEADLINE_DAYS = env_int("DECISION_DEADLINE_DAYS", 14)
DECISION_WARNING_DAYS = env_int("DECISION_WARNING_DAYS", 3)
# Sanctions (sosialtjenesteloven § 20): a reduction never leaves less than this per vedtak for
# livsopphold, and a forhåndsvarsel gives this many days to respond by default.
LIVSOPPHOLD_MINIMUM_KR = env_int("LIVSOPPHOLD_MINIMUM_KR", 3000)
FORHANDSVARSEL_SVARFRIST_DAGER = env_int("FORHANDSVARSEL_SVARFRIST_DAGER", 7)
# Places of arbeid med bistand earmarked for the pilot (docs/domain.md §3, Arbeidsboks); never overbooked.
ARBEID_MED_BISTAND_PLASSER = env_int("ARBEID_MED_BISTAND_PLASSER", 20)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery and cache. Without REDIS_URL tasks run eagerly in the web process.
REDIS_URL = env_str("REDIS_URL") or None
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "alnaaktiv.tasks.clear_expired_sessions",
        "schedule": 24 * 60 * 60,
    },
    # docs/domain.md §6: last month's report for every office, on the 1st at 06:00 (Oslo time).
    "build-last-months-reports": {
        "task": "reporting.tasks.build_last_months_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
    "build-current-months-reports": {
        "task": "reporting.tasks.build_current_months_reports",
        "schedule": crontab(minute=30, hour=5),
    },
    # The outbox sweeps: work saved while the queue was down (an approved lifting without its
    # PDF, a report still "I kø") is sent again once the queue answers.
    "resend-pending-lifting-pdfs": {
        "task": "conditions.tasks.resend_pending_lifting_pdfs",
        "schedule": 5 * 60,
    },
    "resend-queued-report-builds": {
        "task": "reporting.tasks.resend_queued_report_builds",
        "schedule": 5 * 60,
    },
    # Personvern: anonymise what is past RETENTION_YEARS_AFTER_COURSE, on the 2nd at 03:00, after
    # the 1st's reports (which stay identical either way).
    "anonymise-expired-persons": {
        "task": "alnaaktiv.tasks.anonymise_expired_persons",
        "schedule": crontab(minute=0, hour=3, day_of_month=2),
    },
    # Possible breaches of activity vilkår (no-shows, absence, missing job search) reach the vedtak
    # unit's work list and the veileder's inbox each morning before the day's work.
    "detect-possible-breaches": {
        "task": "conditions.tasks.detect_possible_breaches_task",
        "schedule": crontab(minute=0, hour=6),
    },
    # The inbox's daily e-mail (counts and a link, no personal data) to the users who turned it on.
    "send-inbox-digests": {
        "task": "alnaaktiv.inbox.send_inbox_digests",
        "schedule": crontab(minute=0, hour=7),
    },
    # Import files (with fødselsnumre) of an abandoned preview: hourly, older than 23 h, so none lives 24 h.
    "delete-abandoned-import-files": {
        "task": "cases.tasks.delete_abandoned_import_files_task",
        "schedule": 60 * 60,
    },
}
# Personvern og sletting (docs/deploy.md): a participant's personal data is anonymised when
# every course of theirs ended (avsluttet) this many years ago and no vedtak on their sak is open
# or within its klage period; the audit and security logs are kept for their own, longer period.
RETENTION_YEARS_AFTER_COURSE = env_int("RETENTION_YEARS_AFTER_COURSE", 5)
AUDIT_RETENTION_YEARS = env_int("AUDIT_RETENTION_YEARS", 10)
if RETENTION_YEARS_AFTER_COURSE < 1 or AUDIT_RETENTION_YEARS < 1:
    raise ImproperlyConfigured("RETENTION_YEARS_AFTER_COURSE og AUDIT_RETENTION_YEARS må være minst 1 år")
# Cells under 5 in tables leaving the system are shown as "<5" (docs/domain.md §6); off by default.
REPORT_SUPPRESS_SMALL_NUMBERS = env_bool("REPORT_SUPPRESS_SMALL_NUMBERS", False)
HEALTH_CHECK_TIMEOUT_SECONDS = 1.0

# The address users open the app at, for links in e-mail (no request to build them from). Unset:
# the first DJANGO_ALLOWED_HOSTS over HTTPS (http://localhost:8000 with debug on).
SITE_URL = (env_str("SITE_URL") or ("http://localhost:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}")).rstrip("/")
# E-mail (the inbox's daily digest, alnaaktiv/inbox.py). Without EMAIL_HOST mail is written to the
# console (demo, development); with it, sent over SMTP. EMAIL_BACKEND overrides both.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Alna Aktiv <ikke-svar@alnaaktiv.example>")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Optional single sign-on with OpenID Connect (Azure AD). Enabled when the client id is set.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
    OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "NAVident")
    # Users are provisioned by an admin with roles and offices; SSO never creates them.
    OIDC_CREATE_USER = False
    missing = [
        name
        for name in ("OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT",
                     "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT")
        if not globals()[name]
    ]
    if missing:
        raise ImproperlyConfigured(f"OIDC er slått på, men disse mangler: {', '.join(missing)}")
    AUTHENTICATION_BACKENDS.append("alnaaktiv.oidc.NavOIDCBackend")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(OIDC_OP_AUTHORIZATION_ENDPOINT)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "alnaaktiv.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
