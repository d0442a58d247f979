"""Mentorpact's one settings file, read from environment variables.

SQLite by default; DATABASE_URL (or PGDATABASE) switches to PostgreSQL. See README.md for
every variable.
"""

import base64
import hashlib
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from mentorpact.lib.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

SITE_ROOT = env_str("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Mentorpact"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_ROOT)

INSTALLED_APPS = [
    # Before django.contrib.auth, so its createsuperuser (which asks for the full name) wins.
    "mentorpact.accounts",
    "mentorpact.apps.MentorpactAdminConfig",  # django.contrib.admin with our admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "mentorpact.apps.MentorpactConfig",
    "mentorpact.audit",
    "mentorpact.outbox",
    "mentorpact.sso",
    "mentorpact.programs",
    "mentorpact.partnerships",
    "mentorpact.agreement_templates",
    "mentorpact.agreements",
    "mentorpact.meetings",
    "mentorpact.confidentiality",
    "mentorpact.events",
    "mentorpact.evaluations",
    "mentorpact.progress",
    "mentorpact.support",
    "mentorpact.pairing",
    "mentorpact.matching",
    "mentorpact.office",
    "mentorpact.workspace",
    "mentorpact.dashboard",
    "mentorpact.privacy",
    "mentorpact.webhooks",
    "mentorpact.api",
    "ninja",  # its vendored Swagger UI (static/ninja/), so the API docs load nothing from a CDN
]
# The demo (the top-level `demo` package: `manage.py load_demo`, `generate_load`) is no part
# of the product: only a development setup has it.
if DEBUG:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mentorpact.accounts.middleware.TimeZoneMiddleware",
    # After authentication: a refusal is recorded with who was refused.
    "mentorpact.audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "mentorpact.urls"
WSGI_APPLICATION = "mentorpact.wsgi.application"

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
                "django.template.context_processors.csp",
                "mentorpact.context_processors.site",
            ],
            "builtins": ["django_htmx.templatetags.django_htmx", "mentorpact.lib.ui"],
        },
    }
]

# --- Database --------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    _db = database_from_url(DATABASE_URL)
elif env_str("PGDATABASE"):
    _db = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": env_str("PGDATABASE"),
        "USER": env_str("PGUSER"),
        "PASSWORD": env_str("PGPASSWORD"),
        "HOST": env_str("PGHOST", "127.0.0.1"),
        "PORT": env_str("PGPORT", "5432"),
        "OPTIONS": {},
    }
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "mentorpact.sqlite3")),
        "OPTIONS": {
            # The web process and the worker share one file: WAL lets readers and one writer
            # work at once, busy_timeout makes a writer wait instead of failing, and
            # IMMEDIATE takes the write lock at BEGIN so two writers never deadlock on upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        },
        "TEST": {"NAME": env_str("SQLITE_TEST_PATH", "") or None},
    }
if _db["ENGINE"].endswith("postgresql"):
    # Reusing connections matters: opening one per request costs about 5x throughput.
    _db["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
    _db["CONN_HEALTH_CHECKS"] = True
    _db["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "") or None}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------------------
# Each web worker's memory. Only what is keyed by its own freshness is cached (the overview's
# health rows: workspace.selectors.program_health, keyed by the pair's facts_version), so
# workers need not share a cache nor delete entries. Room for a 10,000-pair program's rows.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}

# --- People ----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Sign-in as accounts does it, each attempt recorded in the audit trail.
AUTHENTICATION_BACKENDS = ["mentorpact.audit.backends.AuditedEmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# After this many failed sign-ins for one account from one client address, that client's
# attempts for that account pause (even with the right password) for the cool-off; each next
# pause lasts twice as long, up to THROTTLE_MAX_MINUTES. Other clients are never affected.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
# A client failing across accounts (a password sprayer) pauses as a whole. Generous, since a
# campus may share one address behind NAT.
CLIENT_FAILURE_LIMIT = env_int("CLIENT_FAILURE_LIMIT", 30)
CLIENT_COOLOFF_MINUTES = env_int("CLIENT_COOLOFF_MINUTES", 5)
THROTTLE_MAX_MINUTES = env_int("THROTTLE_MAX_MINUTES", 24 * 60)
# Password-reset emails per address, and requests per client address, before a pause.
RESET_LIMIT = env_int("RESET_LIMIT", 5)
RESET_CLIENT_LIMIT = env_int("RESET_CLIENT_LIMIT", 20)
# The public verify page: checks per client address before a pause.
VERIFY_LIMIT = env_int("VERIFY_LIMIT", 30)
VERIFY_COOLOFF_MINUTES = env_int("VERIFY_COOLOFF_MINUTES", 10)
# The REST API (/api/v1/): requests per personal access token in each window of seconds.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600)
API_RATE_WINDOW_SECONDS = env_int("API_RATE_WINDOW_SECONDS", 60)
# Webhooks: waits between failed deliveries, in seconds (after the last, it is given up and
# shown on the program's Webhooks page); how long a sender holds a delivery it is sending;
# how old a signed timestamp a receiver should accept (documented to receivers).
WEBHOOK_BACKOFF_SECONDS = [
    int(wait) for wait in env_list("WEBHOOK_BACKOFF_SECONDS", "60,300,1800,7200,43200")
]
WEBHOOK_LEASE_SECONDS = env_int("WEBHOOK_LEASE_SECONDS", 120)
WEBHOOK_TOLERANCE_SECONDS = 300
# Webhook endpoints on this machine's loopback (127.0.0.1, ::1, localhost), plain http://
# too: for the tests' receiver (and a developer's own) only. Off unless set; the deploy
# check webhooks.E001 refuses it. Every other private or special address is always refused
# (webhooks/addresses.py).
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", False)
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated):
# only then does the header name the client, for throttling and for the signer's address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# How long an emailed invitation's link works; a resend starts the time again.
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 14)
# How long the link an agreement's invited signer (a parent or guardian) signs through works.
INVITED_SIGNER_MAX_AGE_DAYS = env_int("INVITED_SIGNER_MAX_AGE_DAYS", 30)
# How long a link to confirm a new email address works.
EMAIL_CHANGE_MAX_AGE_SECONDS = env_int("EMAIL_CHANGE_MAX_AGE_HOURS", 72) * 60 * 60

# --- Time and language -----------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES: dict[str, dict] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Generated and uploaded files (sealed PDFs) go through Django's storage API only, so several
# machines can share an S3-compatible bucket (django-storages) instead of MEDIA_ROOT.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "location": env_str("S3_PREFIX"),
            "file_overwrite": False,  # a name taken gets another, as on the filesystem
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
# Media (sealed agreement PDFs) readable by this installation's user only, like the SQLite file
# (made 0600 when a connection opens it: mentorpact.apps).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# --- Email -----------------------------------------------------------------------------
# Django 6.1's MAILERS; the environment variables keep their familiar EMAIL_* names.
_email_backend = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_mailer: dict = {"BACKEND": _email_backend}
if _email_backend.endswith("smtp.EmailBackend"):
    _mailer["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 20,
    }
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mentorpact <noreply@mentorpact.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work -------------------------------------------------------------------
# Django's default task backend runs tasks inline; the database backend queues them for
# `manage.py db_worker`, so a slow SMTP server never holds up a request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Durable delivery (mentorpact/outbox): a sender's lease on an email (it is claimed again once
# the lease runs out, so a dead worker's email is sent by another), the waits between failed
# attempts, and how long a task may stay RUNNING before it is taken to have lost its worker
# and is queued again (docs/architecture.md, "Durable delivery").
MAIL_LEASE_SECONDS = env_int("MAIL_LEASE_SECONDS", 300)
MAIL_BACKOFF_SECONDS = [
    int(wait) for wait in env_list("MAIL_BACKOFF_SECONDS", "300,1800,7200,43200")
]
TASK_STALL_SECONDS = env_int("TASK_STALL_SECONDS", 900)
# A task that raised is run again after the same waits, up to this many runs in all.
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)

# --- Security --------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token is on <body hx-headers>.
CSRF_FAILURE_VIEW = "mentorpact.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No token in any log line (mentorpact.lib.logs): every handler redacts the token of a
    # feed, reset, email-change or invitation URL, granian's access log included (granian
    # configures "granian.access" with a handler of its own; this replaces it in each worker
    # when Django sets up, with the same one-line format).
    "filters": {"redact_tokens": {"()": "mentorpact.lib.logs.RedactTokens"}},
    "formatters": {"message": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "message",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default handler for "django" would print its records unfiltered.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        # runserver's request lines (Django gives them a handler without our filter).
        "django.server": {"handlers": ["access"], "level": "INFO", "propagate": False},
        # pyHanko logs a traceback for an untrusted certificate check; it is not a crash.
        "pyhanko_certvalidator": {"level": "ERROR"},
        # WeasyPrint reports each layout step of every agreement PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- Mentorpact ------------------------------------------------------------------------
PAGE_SIZE = env_int("PAGE_SIZE", 25)
# Fernet keys (comma-separated; the first encrypts, all decrypt) for notes, feedback and
# meeting agendas at rest. Required when DEBUG is off (check meetings.E001); with DEBUG on and
# none set, a key derived from SECRET_KEY is used. Rotate with `manage.py rotate_notes_key`.
NOTES_ENCRYPTION_KEYS = env_list("NOTES_ENCRYPTION_KEYS")
if not NOTES_ENCRYPTION_KEYS and DEBUG:
    _digest = hashlib.sha256(b"mentorpact-notes-encryption:" + SECRET_KEY.encode()).digest()
    NOTES_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(_digest).decode()]
# PEM files of the key and certificate that seal signed agreement PDFs; when unset, they are
# created on first use under MEDIA_ROOT/sealing/.
AGREEMENT_SIGNING_KEY = env_str("AGREEMENT_SIGNING_KEY")
AGREEMENT_SIGNING_CERT = env_str("AGREEMENT_SIGNING_CERT")
# Unset, a key and certificate are made on first use, in development only: with DEBUG off each
# machine would seal with its own (check agreements.E001). Fixed here, from DEBUG at start-up,
# since Django's test runner turns DEBUG off while the tests run.
SEALING_KEY_ON_FIRST_USE = DEBUG
