"""Settings for the BUT GMP application, configured by environment variables.

DATABASE_URL, SECRET_KEY, DEBUG and ALLOWED_HOSTS; see .env.example and the README.
"""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, str(default)).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = envbool("DEBUG", "true")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off: refusing to start. "
            "Set SECRET_KEY to a long random string (see .env.example)."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "butgmp",
    "curriculum",
    "grading",
    "accounts",
    "portal",
    "jury",
    "dashboard",
    "demo",
    "accounts.app_labels.AxesConfig",  # axes, named in French in the admin
    "accounts.app_labels.CasConfig",  # django_cas_ng, named in French in the admin
    "csp",
    "django_tasks",
    "accounts.app_labels.TasksConfig",  # django_tasks_db, named in French in the admin
]

MIDDLEWARE = [
    "butgmp.limits.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "butgmp.sessions.IdleTimeoutMiddleware",
    "grading.read_journal.ReadJournalMiddleware",
    "csp.middleware.CSPMiddleware",
    "butgmp.sessions.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "butgmp.urls"

# ---------------------------------------------------------------- request bodies
# The largest upload is a 5 MB spreadsheet; its multipart envelope adds little. A larger declared body is refused
# before it is read (butgmp/limits.py); form fields other than files are held to DATA_UPLOAD_MAX_MEMORY_SIZE.
MAX_REQUEST_BYTES = envint("BUTGMP_MAX_REQUEST_MB", 6) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("BUTGMP_MAX_FORM_KB", 2560) * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES  # an accepted upload stays in memory, never in a temporary file

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
                "butgmp.roles.roles_context",
                "accounts.context_processors.sign_in",
            ],
        },
    },
]

WSGI_APPLICATION = "butgmp.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,  # a connection dropped by a database restart is replaced, not a 500
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_config(url: str) -> dict:
    """Return Django's CACHES for CACHE_URL: empty, each process's own memory; `redis://…`, a Redis server the
    application servers share; `db`, the database's `butgmp_cache` table (`manage.py createcachetable`).

    Whichever it is, a page never reads a stale result: keys carry the instance's results version, read from the
    database (grading/cache_versions.py). A shared cache only spares each server computing the same results again."""
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "butgmp")}}
    if url == "db":
        return {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "butgmp_cache"}}
    raise ImproperlyConfigured(f"CACHE_URL={url!r}: expected redis://…, db, or nothing (each process's memory).")


CACHES = cache_config(os.environ.get("CACHE_URL", ""))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # French for the libraries that have none (django-tasks)
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# In development (and tests) whitenoise serves files from the apps' static folders as they change, so no
# collectstatic is needed; in production it serves the collected STATIC_ROOT.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# ---------------------------------------------------------------- sessions, browser policies
# Lab PCs are shared: a session ends after SESSION_IDLE_HOURS without a request (butgmp/sessions.py), or when the
# browser closes if « ne pas rester connecté » was ticked at login.
SESSION_IDLE_SECONDS = int(float(os.environ.get("BUTGMP_SESSION_IDLE_HOURS", "2")) * 3600)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# Scripts from the site only (no inline script, no handler attribute); inline styles allowed, for charts' SVG.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
                      "display-capture=(), fullscreen=(self)")

DOCUMENTS_PER_MINUTE = envint("BUTGMP_DOCUMENTS_PER_MINUTE", 6)  # PDFs and workbooks made on demand, per user

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "true")
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "true")

# ---------------------------------------------------------------- HTTPS (students' results)
# On by default when DEBUG is off, so `check --deploy` is clean; each can be switched off by an environment
# variable for a reverse proxy that terminates TLS and redirects itself (README, "Production").
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
if envbool("SECURE_PROXY_SSL_HEADER", "false"):
    # The proxy in front says whether the client used HTTPS; trust it only when there is such a proxy.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# ---------------------------------------------------------------- login throttling (django-axes)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.LocalLoginBackend",  # Django's password login, under BUTGMP_LOCAL_LOGIN when CAS is on
    "accounts.backends.UniversityCASBackend",  # only ever called with a CAS ticket
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# …and an address alone, over every login (password spraying), locked at a higher threshold (butgmp/security.py)
AXES_ADDRESS_FAILURE_LIMIT = envint("BUTGMP_ADDRESS_FAILURE_LIMIT", 30)
AXES_HANDLER = "butgmp.security.AddressAwareHandler"
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "butgmp.security.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
TRUST_X_FORWARDED_FOR = envbool("TRUST_X_FORWARDED_FOR", "false")

# ---------------------------------------------------------------- background tasks (django-tasks)
# Bulletins of a whole semester run in a worker, e-mails in another one on their own queue, never behind a batch:
# `python manage.py run_worker --queue-name default` and `… --queue-name email` (butgmp/worker.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
TASK_LEASE_SECONDS = envint("BUTGMP_TASK_LEASE_SECONDS", 60)  # a running task's worker is dead after this silence
TASK_MAX_ATTEMPTS = envint("BUTGMP_TASK_MAX_ATTEMPTS", 3)  # then the task is failed and its page says so
PURGE_INTERVAL_SECONDS = envint("BUTGMP_PURGE_INTERVAL_SECONDS", 3600)
PURGES = [
    "butgmp.purges.sessions_purge",
    "butgmp.purges.login_attempts_purge",
    "butgmp.purges.finished_tasks_purge",
    "grading.purges.bulletin_batches_purge",
    "grading.purges.stored_bulletins_purge",
    "grading.purges.staff_reads_purge",
    "grading.purges.justification_documents_purge",
]
LOGIN_ATTEMPTS_DAYS = envint("BUTGMP_LOGIN_ATTEMPTS_DAYS", 30)
FINISHED_TASKS_DAYS = envint("BUTGMP_FINISHED_TASKS_DAYS", 30)
BULLETIN_BATCHES_DAYS = envint("BUTGMP_BULLETIN_BATCHES_DAYS", 30)
# A bulletin made on demand is kept (grading.StoredBulletin) when its PDF is at most this size, then purged with
# the batches; the same bulletin is then served again rather than made twice.
STORED_BULLETIN_MAX_BYTES = envint("BUTGMP_STORED_BULLETIN_MAX_BYTES", 2 * 1024 * 1024)
# The journal of staff reads (who opened which student's page, which listing): its pages and how long it is kept.
READ_JOURNAL_NAMESPACES = ["grading", "jury", "portal"]
READ_JOURNAL_DAYS = envint("BUTGMP_READ_JOURNAL_DAYS", 365)
# The documents justifying absences are kept this long after the scolarité's decision (the decision stays).
JUSTIFICATION_DOCUMENTS_DAYS = envint("BUTGMP_JUSTIFICATION_DOCUMENTS_DAYS", 365)
# A student's personal data is kept this many years after 31 August of their last academic year, then may be
# anonymised (`manage.py student_data --student INE --anonymise`).
STUDENT_DATA_YEARS = envint("BUTGMP_STUDENT_DATA_YEARS", 5)

# ---------------------------------------------------------------- e-mail
# The console by default (development: e-mails are printed); SMTP as soon as EMAIL_HOST is set.
# Every message is queued (butgmp/mail.py) and delivered by the e-mail worker through EMAIL_DELIVERY_BACKEND.
EMAIL_BACKEND = "butgmp.mail.QueuedEmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "true")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "false")
EMAIL_TIMEOUT = envint("BUTGMP_EMAIL_TIMEOUT", 10)  # seconds: a silent server fails the try, retried later
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))  # the file backend's folder
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "BUT GMP <ne-pas-repondre@localhost>")
# The site's public address for links in e-mails (default: the address of the request that sent them).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_LINK_DAYS", "7")) * 24 * 3600
# « Mot de passe oublié »: requests per address and per hour beyond which no link is sent (accounts).
BUTGMP_PASSWORD_RESET_PER_HOUR = int(os.environ.get("BUTGMP_PASSWORD_RESET_PER_HOUR", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_without_traceback": {"()": "butgmp.log_filters.ForbiddenWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["forbidden_without_traceback"]},  # a 403 is one line, no traceback
                # the charts' inline SVG carries its paint as style attributes: WeasyPrint's SVG renderer applies them,
                # while its HTML cascade warns once per property and shape (thousands of lines per PV)
                "weasyprint": {"level": "ERROR"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Programme editing: curriculum reaches grading's facts (semester instances, impact of an edit) through these
# callables, never by importing grading (see curriculum/usage.py).
PROGRAMME_INSTANCES = "grading.programme_impact.programme_instances"
PROGRAMME_IMPACT = "grading.programme_impact.impact"

# ---------------------------------------------------------------- CAS single sign-on (accounts, django-cas-ng)
# Off unless CAS_SERVER_URL is set (README, "Signing in through the university's CAS"). With it on, a page that
# needs a login leads to the CAS; the local form stays at /connexion/ for those BUTGMP_LOCAL_LOGIN lets in.
CAS_SERVER_URL = os.environ.get("CAS_SERVER_URL", "")
CAS_VERSION = os.environ.get("CAS_VERSION", "3")
CAS_CREATE_USER = False  # nobody unknown is created by django-cas-ng: accounts.backends decides
CAS_LOGOUT_COMPLETELY = True  # logging out ends the CAS session too
CAS_STORE_NEXT = True
CAS_CHECK_NEXT = True
CAS_REDIRECT_URL = "/"
CAS_IGNORE_REFERER = True  # without ?next=, back to the home page, not to the login page the button was on
CAS_LOGOUT_NEXT_PAGE = "/connexion/"  # back from the CAS's logout, the login page (with its CAS button)
CAS_ROOT_PROXIED_AS = SITE_URL or None
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
BUTGMP_CAS_STUDENT_ATTRIBUTE = os.environ.get("BUTGMP_CAS_STUDENT_ATTRIBUTE", "supannEtuId")
BUTGMP_LOCAL_LOGIN = os.environ.get("BUTGMP_LOCAL_LOGIN", "all").strip().lower()
if BUTGMP_LOCAL_LOGIN not in {"all", "staff", "flagged"}:
    raise ImproperlyConfigured(f"BUTGMP_LOCAL_LOGIN must be all, staff or flagged, not {BUTGMP_LOCAL_LOGIN!r}")
# Whom a person the CAS vouched for but the application does not know should ask (the refusal page says it).
BUTGMP_ACCOUNTS_CONTACT = os.environ.get("BUTGMP_ACCOUNTS_CONTACT", "le secrétariat du département GMP")
if CAS_SERVER_URL:
    LOGIN_URL = "accounts:cas_login"
