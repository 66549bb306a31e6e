"""Settings of the real CAS server the accounts tests start (django-cas-server, its own process and database).

CAS_TEST_DB names its SQLite file; its users are the little directory of cas_directory.py.
"""
import os

SECRET_KEY = "cas-test-server-key"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cas_server",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "cas_urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["CAS_TEST_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
STATIC_URL = "/static/"
USE_TZ = True
LANGUAGE_CODE = "fr"
SESSION_COOKIE_NAME = "cas_sessionid"  # both servers are on 127.0.0.1: cookies are not kept per port
CSRF_COOKIE_NAME = "cas_csrftoken"

CAS_AUTH_CLASS = "cas_directory.DirectoryUser"
CAS_NEW_VERSION_HTML_WARNING = False  # no call to PyPI
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False
CAS_TICKET_VALIDITY = 60
