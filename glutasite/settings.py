"""Glutasite settings, read from environment variables.

Development needs none of them: SQLite, debug on, a throwaway secret key.
Production sets at least DJANGO_DEBUG=0, DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS; see the README for the full list.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name) or ""
    return value.strip().lower() in {"1", "true", "yes", "on"} if value else default


def env_list(name, default):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "dashboard.apps.EditorialAdminConfig",  # Django's admin, with the editors' dashboard as its index
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "huey.contrib.djhuey",
    "jobs",
    "axes",
    "richtext",
    "concurrent_edits",
    "images",
    "evidence",
    "products",
    "guides",
    "readers",
    "notifications",
    "demo",
    "glutasite",
]

MIDDLEWARE = [
    # /healthz answers before anything else (glutasite/health.py).
    "glutasite.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "glutasite.headers.PermissionsPolicyMiddleware",
    "glutasite.outage.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "readers.compression.ReaderPageGZipMiddleware",
    "readers.cache.ReaderPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "glutasite.urls"
WSGI_APPLICATION = "glutasite.wsgi.application"

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
            ],
            "builtins": ["glutasite.template_filters"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    ),
}
# A database that is down or hangs fails a request within seconds (a 503 page, glutasite/outage.py)
# instead of holding a worker until gunicorn kills it. 0 turns the statement timeout off, e.g. for a
# long migration (`make serve` migrates with it off).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT", "15"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a deadline on waits the server never answers (glutasite/postgres/base.py).
    DATABASES["default"]["ENGINE"] = "glutasite.postgres"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=DATABASE_CONNECT_TIMEOUT,
        options=f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # How long a write waits for another process's write to finish.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", DATABASE_STATEMENT_TIMEOUT or 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
    }
else:
    # A folder all workers on this machine share (glutasite/filecache.py): page cache, rate limits.
    location = Path(os.environ.get("DJANGO_CACHE_DIR", BASE_DIR / "cache"))
    CACHES = {
        "default": {"BACKEND": "glutasite.filecache.FileCache", "LOCATION": location, "OPTIONS": {"MAX_ENTRIES": 5000}}
    }
# Guide pages' text, rendered once per content version (guides/prerendered.py): each process keeps its own,
# keyed on versions in the shared cache above, so a change anywhere shows everywhere on the next request.
# Its own LOCATION, as local-memory caches of one LOCATION share (and cull) their entries.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "guide-text"}

# Admin sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT failed sign-ins from one client, or
# for one account from anywhere, sign-in is refused for LOGIN_LOCKOUT_MINUTES before any password is
# hashed. Failed attempts (user name, client address) are kept only that long: axes deletes older ones
# on each sign-in, and `forget_login_attempts` deletes them when nobody signs in.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "readers.ratelimit.client_address"  # the same rule behind the proxy as the form limits
AXES_DISABLE_ACCESS_LOG = True  # no record of successful sign-ins and their addresses
AXES_VERBOSE = False
# A refused or missing ?next= lands on the admin, not on Django's /accounts/profile/ (a 404 here).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; tests and development
        # serve straight from static/ so nothing needs collectstatic first.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}


def s3_storage(bucket, **options):
    """A bucket of the S3-compatible store (AWS, Cloudflare R2, MinIO, …) the MEDIA_S3_* settings name."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "file_overwrite": False,
            **options,
        },
    }


# Uploaded photos. With several app servers, keep them in a bucket so every server sees every photo;
# otherwise they are files under MEDIA_ROOT (glutasite.media).
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
MEDIA_SERVED_BY_DJANGO = not MEDIA_S3_BUCKET
MEDIA_ORIGINS = []  # where readers' browsers fetch photos from, for the Content-Security-Policy
if MEDIA_S3_BUCKET:
    _media_url = urlsplit(os.environ.get("MEDIA_URL", ""))  # e.g. https://media.example.com/ in front of the bucket
    _endpoint = urlsplit(os.environ.get("MEDIA_S3_ENDPOINT_URL", ""))
    _region = os.environ.get("MEDIA_S3_REGION", "")
    # Photos are public: plain, stable addresses that pages and CDNs can cache, never signed ones.
    STORAGES["default"] = s3_storage(
        MEDIA_S3_BUCKET,
        custom_domain=(_media_url.netloc + _media_url.path.rstrip("/")) or None,
        querystring_auth=False,
        object_parameters={"CacheControl": "public, max-age=2592000"},
    )
    if _media_url.netloc:
        MEDIA_URL = f"https://{_media_url.netloc}{_media_url.path.rstrip('/')}/"
        MEDIA_ORIGINS = [f"https://{_media_url.netloc}"]
    elif _endpoint.netloc:
        MEDIA_ORIGINS = [
            f"{_endpoint.scheme}://{_endpoint.netloc}",
            f"{_endpoint.scheme}://{MEDIA_S3_BUCKET}.{_endpoint.netloc}",
        ]
    else:
        MEDIA_ORIGINS = [f"https://{MEDIA_S3_BUCKET}.s3.amazonaws.com"]
        if _region:
            MEDIA_ORIGINS.append(f"https://{MEDIA_S3_BUCKET}.s3.{_region}.amazonaws.com")

# Spreadsheet imports keep the uploaded file between preview and confirm in this storage, not a server's
# own temp folder, so the confirming request may land on another app server: a folder they all share
# (DJANGO_IMPORT_TMP_ROOT, never under media/), or a private bucket (DJANGO_IMPORT_S3_BUCKET).
STORAGES["imports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": Path(os.environ.get("DJANGO_IMPORT_TMP_ROOT", BASE_DIR / "import-tmp")), "base_url": None},
}
if os.environ.get("DJANGO_IMPORT_S3_BUCKET"):
    STORAGES["imports"] = s3_storage(os.environ["DJANGO_IMPORT_S3_BUCKET"], default_acl="private")
# Largest spreadsheet staff may upload for import, in megabytes.
PRODUCTS_IMPORT_MAX_UPLOAD_MB = float(os.environ.get("DJANGO_IMPORT_MAX_UPLOAD_MB", "10"))
# Larger uploads (about 2,500 rows) are previewed and imported by the job runner, not in the request.
PRODUCTS_IMPORT_IN_REQUEST_MAX_KB = int(os.environ.get("DJANGO_IMPORT_IN_REQUEST_MAX_KB", "512"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Anonymous readers' pages are cached this long (readers/cache.py). Prices show "checked N hours ago", so keep
# it short: a cached page is at most this much older than the prices it shows.
READER_PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "300"))

# Background jobs (jobs/): Huey keeps its queue in Redis when REDIS_URL is set, else in a SQLite file
# beside a SQLite database (db.sqlite3 -> db.huey.sqlite3). `python manage.py run_huey` is the worker.
# HUEY_IMMEDIATE=1 runs every task inside the process that queues it; tests set it themselves.
_SQLITE_FILE = Path(DATABASES["default"]["NAME"]) if DATABASES["default"]["ENGINE"].endswith("sqlite3") else None
HUEY_SQLITE_PATH = os.environ.get("HUEY_SQLITE_PATH") or str(
    _SQLITE_FILE.with_name(f"{_SQLITE_FILE.stem}.huey.sqlite3") if _SQLITE_FILE else BASE_DIR / "db.huey.sqlite3",
)
HUEY = {
    "name": "glutasite",
    "results": False,
    "utc": True,
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": HUEY_SQLITE_PATH},
    "consumer": {"workers": int(os.environ.get("HUEY_WORKERS", "2")), "worker_type": "thread"},
}

# Outside services. Addresses we store or call must be https://, except on these hosts (tests, a local
# cluster, the demo's own price feed in development).
OUTBOUND_HTTP_ALLOWED_HOSTS = env_list("OUTBOUND_HTTP_ALLOWED_HOSTS", ["127.0.0.1"] if DEBUG else [])
_AGENT = "Glutasite/1.0 (supplement guides; checks its own affiliate links, price feeds and studies)"
OUTBOUND_USER_AGENT = os.environ.get("OUTBOUND_USER_AGENT", _AGENT)
OUTBOUND_RETRY_BACKOFF_SECONDS = float(os.environ.get("OUTBOUND_RETRY_BACKOFF_SECONDS", "1"))
# The Retraction Watch database as Crossref publishes it (a CSV of about 60,000 notices).
_RETRACTION_WATCH = "https://gitlab.com/crossref/retraction-watch-data/-/raw/main/retraction_watch.csv"
RETRACTION_WATCH_CSV_URL = os.environ.get("RETRACTION_WATCH_CSV_URL", _RETRACTION_WATCH)
# Looking studies up by identifier (evidence/lookup.py): NCBI asks for a tool name and a contact address,
# and allows 3 requests a second, 10 with an API key.
PUBMED_API_URL = os.environ.get("PUBMED_API_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/")
NCBI_PMC_IDCONV_URL = os.environ.get("NCBI_PMC_IDCONV_URL", "https://www.ncbi.nlm.nih.gov/pmc/utils/idconv/v1.0/")
CROSSREF_API_URL = os.environ.get("CROSSREF_API_URL", "https://api.crossref.org/")
NCBI_API_KEY = os.environ.get("NCBI_API_KEY", "")
NCBI_TOOL = os.environ.get("NCBI_TOOL", "glutasite")
NCBI_EMAIL = os.environ.get("NCBI_EMAIL", "editors@localhost")
# Seconds between two link checks on one shop's host.
LINK_CHECK_DELAY_SECONDS = float(os.environ.get("LINK_CHECK_DELAY_SECONDS", "2"))

# Every email goes through the queue (jobs/mail.py); a worker sends it with JOBS_EMAIL_BACKEND.
# Development prints emails to the console.
EMAIL_BACKEND = "jobs.mail.QueuedEmailBackend"
JOBS_EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Glutasite <newsletter@localhost>")
# Where the site is read, for links in emails sent by jobs (which have no request to take it from).
GLUTASITE_SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# Behind a TLS-terminating proxy (see README): trust its X-Forwarded-Proto.
if env_bool("DJANGO_BEHIND_TLS_PROXY", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    # Off unless the operator turns them on: once browsers have seen includeSubDomains, or the domain is
    # in their preload lists, every subdomain must serve https for the whole max-age (preload removal takes
    # months), so these are a decision for whoever runs the domain, not a default.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    # check --deploy warns while they are off; that is the choice above, so only those two warnings go.
    SILENCED_SYSTEM_CHECKS = ["security.W005"][SECURE_HSTS_INCLUDE_SUBDOMAINS:] + ["security.W021"][
        SECURE_HSTS_PRELOAD:
    ]

# Every script the site runs is a file of ours (the admin's included): no inline script, so injected markup cannot run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
# Browser features no page of ours uses, denied to every page and every frame (glutasite/headers.py).
PERMISSIONS_POLICY_DENIED = [
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope",
    "interest-cohort", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "serial",
    "usb", "xr-spatial-tracking",
]  # fmt: skip
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Server errors reach people: mail to ADMINS ("Name <address>, other@example.com") and, when
# SENTRY_DSN is set, Sentry. The log gets one line per failure (glutasite/log.py), and the admins one
# mail per kind of failure every 10 minutes, so an outage is not a mail per request.
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
ADMINS = getaddresses([os.environ.get("DJANGO_ADMINS", "")]) if os.environ.get("DJANGO_ADMINS") else []
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "once_per_ten_minutes": {"()": "glutasite.log.OncePerWindow", "seconds": 600},
    },
    "formatters": {"one_line": {"()": "glutasite.log.OneLineFormatter", "format": LOG_FORMAT}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "one_line"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "once_per_ten_minutes"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django": {"handlers": ["mail_admins"], "level": LOG_LEVEL, "propagate": True}},
}

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    # No request bodies, cookies, addresses or user names leave for Sentry.
    sentry_sdk.init(
        dsn=SENTRY_DSN, send_default_pii=False, environment=os.environ.get("SENTRY_ENVIRONMENT", "production")
    )
