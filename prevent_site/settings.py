"""Settings for the Westminster Prevent website.

Every setting that differs between a laptop and production comes from an environment variable,
with a default that is safe locally. README.md lists them all.
"""

import os
from datetime import timedelta
from email.utils import formataddr, parseaddr
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from blocks.errorreports import init_sentry, parse_admins
from prevent_site import logs, uploads

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
    # Before the admin, as it asks: its admin classes show each language beside English.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # SearchVectorField (the search index) needs it; harmless on SQLite.
    "django.contrib.postgres",
    "axes",
    "django_prose_editor",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tasks_db",
    # The building blocks (app label "prevent_site"); this package is the project layer.
    "blocks",
    "outbox",
    "alerts",
    "resources",
    "reports",
    "training",
    "newsletters",
    "search",
    "impact",
]

MIDDLEWARE = [
    # The request id (X-Request-ID) and the request's log line (blocks/requestlog.py).
    "blocks.requestlog.RequestLogMiddleware",
    # Says which pages a shared cache (Varnish, deploy/varnish/) may keep, once every header
    # below is on the response, and purges after edits in the admin (blocks/frontcache.py).
    "blocks.frontcache.CacheHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's GZipMiddleware, but never for pages with a CSRF token or for a signed-in
    # session (BREACH). Static files come compressed.
    "blocks.middleware.SafeGZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "blocks.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address alone (/ar/..., /bn/..., English unprefixed): never
    # from Accept-Language or a cookie, so a front cache keeps one copy of each page per address
    # (blocks/languages.py). After the session, before CommonMiddleware, as Django asks.
    "blocks.languages.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 405 for PUT, PATCH, DELETE...: before the CSRF check, which would answer 403 first.
    "blocks.middleware.HttpMethodsMiddleware",
    # 413 for a body over the view's limit, before the CSRF check reads the form.
    "blocks.bodysize.BodySizeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Pages not translated yet answer under /ar/ or /bn/ with a redirect to the English page.
    "blocks.languages.EnglishOnlyPagesMiddleware",
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
                "django.template.context_processors.csp",
                "prevent_site.context_processors.site",
                "alerts.context_processors.banners",
                "alerts.context_processors.sensitive_page",
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
# SQLite with the site and the email worker writing at once (README.md says what it is fit for).
# By default a transaction reads first and asks for the write lock only when it writes; if
# another process writes meanwhile, SQLite refuses at once with "database is locked" rather than
# wait (waiting could deadlock), and the form is lost with a 500. IMMEDIATE takes the write lock
# when the transaction starts, so a writer waits its turn, for up to `timeout` seconds (less than
# gunicorn's 30 s). Write-ahead logging lets pages be read while someone writes; NORMAL
# synchronisation is safe with it (a power cut may lose the last commits, never corrupt the file).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
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

# The admin is the only place anyone signs in. Django's defaults (/accounts/login/ and, after a
# sign-in whose ?next= was refused, /accounts/profile/) are pages this site does not have.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# django-axes first, so a locked-out account is refused before its password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# After 5 failed sign-ins for one username from one address, that pair is locked out an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client address the rate limits use: behind a proxy REMOTE_ADDR is the proxy's.
AXES_CLIENT_IP_CALLABLE = "blocks.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Without this axes logs a banner at every start; failures and lockouts are still logged.
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
# The languages the site offers, each named in its own language (the language switcher shows
# these names). English is at today's addresses; each other language under /<code>/. Adding
# one: add it here, translate locale/<code>/LC_MESSAGES/django.po, run makemigrations for the
# translated fields (docs/translations.md).
LANGUAGES = [
    ("en-gb", "English"),
    ("ar", "العربية"),
    ("bn", "বাংলা"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
# Team-written content: English is what every translation falls back to, and the admin shows
# each language's fields beside the English ones (resources/translation.py).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en-gb"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en-gb",)
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploads go to MEDIA_ROOT, or to a bucket when one is named; report photos to a private folder
# or prefix (prevent_site/uploads.py, docs/deployment.md).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
_media_storage = uploads.media_storage(os.environ)
_private_storage = uploads.private_storage(
    os.environ, PRIVATE_MEDIA_ROOT, public=[MEDIA_ROOT, STATIC_ROOT, BASE_DIR / "static"]
)
STORAGES = {
    "default": _media_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "blocks.storage.HashedStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email: files on disk locally (so nothing leaves the machine; one .eml file per message, which
# a mail program opens), SMTP in production.
EMAIL_BACKEND_NAME = os.environ.get(
    "EMAIL_BACKEND",
    "outbox.mailfiles.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
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
elif EMAIL_BACKEND_NAME.endswith(("filebased.EmailBackend", "mailfiles.EmailBackend")):
    _mail_options = {"file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))}
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_NAME, "OPTIONS": _mail_options}}
# Emails come from the team by name; replies reach the team, or a requester, through Reply-To.
_from_name, _from_address = parseaddr(
    os.environ.get("DEFAULT_FROM_EMAIL", "prevent@westminster.gov.uk")
)
DEFAULT_FROM_EMAIL = formataddr((_from_name or "Westminster Prevent team", _from_address))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (sending email) goes through django.tasks to a queue in the database, which
# the worker (`manage.py db_worker`) runs: see docs/deployment.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Where training requests are sent: the Prevent team's shared inbox.
TEAM_EMAIL = os.environ.get("TEAM_EMAIL", "prevent@westminster.gov.uk")
# Where "Exit this page" takes a reader on the sensitive pages: a page that gives nothing away.
EXIT_THIS_PAGE_URL = os.environ.get("EXIT_THIS_PAGE_URL", "https://www.bbc.co.uk/weather")

# Retention: how many days the site keeps what people send it before `manage.py purge` deletes
# it (blocks/retention.py). The privacy notice, the forms and the emails say these periods
# by reading them, so changing one here changes what they promise.
TRAINING_REQUEST_RETENTION_DAYS = int(os.environ.get("TRAINING_REQUEST_RETENTION_DAYS", "365"))
REPORT_RETENTION_DAYS = int(os.environ.get("REPORT_RETENTION_DAYS", "365"))
# A newsletter sign-up's confirmation link works this long; an unconfirmed sign-up goes then.
NEWSLETTER_CONFIRM_DAYS = int(os.environ.get("NEWSLETTER_CONFIRM_DAYS", "7"))
# The anonymous log of what people searched for.
SEARCH_LOG_RETENTION_DAYS = int(os.environ.get("SEARCH_LOG_RETENTION_DAYS", "90"))
# Attendees' feedback on sessions (anonymous, but free text may name someone). Quotes the team
# approved for the workshop pages are kept while they are published.
FEEDBACK_RETENTION_DAYS = int(os.environ.get("FEEDBACK_RETENTION_DAYS", "730"))
# A session's feedback form takes answers for this many days after the session ends.
FEEDBACK_OPEN_DAYS = int(os.environ.get("FEEDBACK_OPEN_DAYS", "30"))

# How many times one client may send each public form an hour (counted in the database, so
# every app server shares the count).
TRAINING_REQUEST_RATE_LIMIT = int(os.environ.get("TRAINING_REQUEST_RATE_LIMIT", "5"))
REPORT_RATE_LIMIT = int(os.environ.get("REPORT_RATE_LIMIT", "5"))
# A room of attendees may share one network address: one session's worth an hour.
FEEDBACK_RATE_LIMIT = int(os.environ.get("FEEDBACK_RATE_LIMIT", "60"))

NEWSLETTER_SIGNUP_RATE_LIMIT = int(os.environ.get("NEWSLETTER_SIGNUP_RATE_LIMIT", "10"))
# Emails the sign-up form may send one address an hour, so nobody can fill someone's inbox with it.
NEWSLETTER_ADDRESS_RATE_LIMIT = int(os.environ.get("NEWSLETTER_ADDRESS_RATE_LIMIT", "3"))

# The largest request body a view takes (blocks/bodysize.py; README.md says why these).
REQUEST_BODY_LIMIT = int(os.environ.get("REQUEST_BODY_LIMIT", str(1024 * 1024)))
STAFF_REQUEST_BODY_LIMIT = int(os.environ.get("STAFF_REQUEST_BODY_LIMIT", str(12 * 1024 * 1024)))

# How many reverse proxies (load balancer, nginx) sit in front of the app and append to
# X-Forwarded-For. 0 trusts only REMOTE_ADDR: a client can forge X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# The public address of the site, used in emails and feeds where there is no request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- HTTPS, cookies and security headers --------------------------------------------------
# The header the TLS-terminating proxy sets (README.md, SECURE_PROXY_SSL_HEADER).
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer asks each app server for the health checks over plain HTTP: a redirect would
# read as a failure. They hold nothing private.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz(/[-\w]+)?$"]
# Preload is off: the list takes the whole of westminster.gov.uk, the council's decision.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
# Readers of a Prevent site should not tell other sites which page they came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# No JavaScript of ours reads the CSRF cookie: forms carry the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True

# S3 media (above) is served from the bucket's own address, so images may come from there.
_media_origins = env_list("CSP_MEDIA_ORIGINS") or uploads.bucket_origins(os.environ)

# Scripts and styles from our own origin only; the two inline exceptions are allowed by hash
# (docs/deployment.md, "Content security policy"). Nonces are for admin pages, never cached.
JS_ENABLED_SCRIPT_HASH = "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"
PROSE_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE, JS_ENABLED_SCRIPT_HASH],
    "style-src": [CSP.SELF, PROSE_EDITOR_STYLE_HASH],
    "img-src": [CSP.SELF, *_media_origins],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Powerful browser features the site never uses, switched off for it and anything it embeds.
PERMISSIONS_POLICY = dict.fromkeys(
    "accelerometer autoplay browsing-topics camera display-capture geolocation gyroscope "
    "magnetometer microphone midi payment publickey-credentials-get screen-wake-lock serial usb "
    "xr-spatial-tracking".split(),
    (),
)

# --- The front cache --------------------------------------------------------------------------
# How long Varnish (deploy/varnish/) may keep a page anyone may see (s-maxage); 0: none.
FRONT_CACHE_SECONDS = int(os.environ.get("FRONT_CACHE_SECONDS", "60"))
# Each front cache's address, which the worker sends a BAN when public content changes.
FRONT_CACHE_URLS = env_list("FRONT_CACHE_URLS")

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# GOV.UK classes for the widgets crispy-forms-gds does not know (it would use "telinput").
CRISPY_CLASS_CONVERTERS = {
    "telinput": "govuk-input",
    "urlinput": "govuk-input",
    "numberinput": "govuk-input",
    "searchinput": "govuk-input",
    "fileinput": "govuk-file-upload",
    "multiplefileinput": "govuk-file-upload",
}

# --- Logs and error reports ------------------------------------------------------------------
# Plain text for people, or one JSON object per line for a log collector; either way each line
# carries the id of the request it was written during (blocks/requestlog.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower() or "plain"
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")

# Who is emailed the traceback of an unhandled error: "Name <address>, other@example.org".
# Error emails go straight out through the email backend rather than through the outbox: the
# outbox and its worker may be what is failing.
ADMINS = parse_admins(os.environ.get("ADMINS", ""))
EMAIL_SUBJECT_PREFIX = "[Prevent site] "
# Error emails show no form field, cookie or client address (blocks/errorreports.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "blocks.errorreports.PersonalDataReporterFilter"

LOGGING = logs.config(LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"))

# Unhandled errors to Sentry as well, when a DSN is given (needs pip install '.[sentry]'),
# scrubbed of form data, cookies and email addresses before they leave.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    init_sentry(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", ""))
