"""Settings for the Westminster Prevent website.

Every setting that differs between a laptop and production comes from an environment variable,
with a default that is safe locally. README.md lists them all.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "value (or DEBUG=true for local development, which uses a throwaway key)."
        )
    # Only reachable with DEBUG on: a key that is obviously not for production.
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_prose_editor",
    "crispy_forms",
    "crispy_forms_gds",
    "prevent_site",
    "resources",
    "training",
    "newsletters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (whitenoise serves static files already compressed). Django's version
    # mitigates the BREACH attack on compressed pages that carry a CSRF token.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "prevent_site.urls"

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
                "prevent_site.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "prevent_site.wsgi.application"

# SQLite under the project by default; PostgreSQL (or anything dj-database-url reads) when given.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first, so a locked-out account is refused before its password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Admin sign-in: after 5 failures for one username from one address, that pair is locked out for
# an hour (a colleague on the same office address can still sign in). A success clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The same client address as the training request limit: behind a load balancer REMOTE_ADDR is
# the balancer's, which would let anyone lock a colleague out from everywhere at once.
AXES_CLIENT_IP_CALLABLE = "prevent_site.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Without this axes logs a banner at every start; failures and lockouts are still logged.
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "prevent_site.storage.HashedStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email: files on disk locally (so nothing leaves the machine), SMTP in production.
EMAIL_BACKEND_NAME = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
if EMAIL_BACKEND_NAME.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
    }
elif EMAIL_BACKEND_NAME.endswith("filebased.EmailBackend"):
    _mail_options = {"file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))}
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_NAME, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "prevent@westminster.gov.uk")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Where training requests are sent: the Prevent team's shared inbox.
TEAM_EMAIL = os.environ.get("TEAM_EMAIL", "prevent@westminster.gov.uk")

# Training requests: how many one client may send an hour (counted in the database, so every
# app server shares the count), and how long requests are kept before purge_old_requests deletes
# them (the privacy notice and the form say 12 months: change them together).
TRAINING_REQUEST_RATE_LIMIT = int(os.environ.get("TRAINING_REQUEST_RATE_LIMIT", "5"))
TRAINING_REQUEST_RETENTION_DAYS = int(os.environ.get("TRAINING_REQUEST_RETENTION_DAYS", "365"))

# How many reverse proxies (load balancer, nginx) sit in front of the app and append to
# X-Forwarded-For. 0 trusts only REMOTE_ADDR: a client can forge X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# The public address of the site, used in emails and feeds where there is no request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
