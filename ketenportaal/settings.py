"""Ketenportaal settings: one module, driven by environment variables (see .env.example)."""

import os
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def package_dir(name: str) -> Path:
    """The folder of an installed package, found without importing it."""
    spec = find_spec(name)
    if spec is None or spec.origin is None:
        raise ImproperlyConfigured(f"The package {name} is not installed.")
    return Path(spec.origin).parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local demo).")
    SECRET_KEY = "demo-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "governance",
    "actions",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ketenportaal.middleware.DutchByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ketenportaal.middleware.VaryOnHtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ketenportaal.urls"
WSGI_APPLICATION = "ketenportaal.wsgi.application"
ASGI_APPLICATION = "ketenportaal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.accounts.context_processors.portal",
            ],
        },
    }
]

# Unset DATABASE_URL: an SQLite file, the embedded default for `make demo` on one machine.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'demo.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The demo's background tasks write while a request may: wait for the lock, don't fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Tests only: a fast hasher, since every test user's password is hashed. Never in production.
if env_bool("FAST_PASSWORD_HASHER"):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# plotly.js comes with the plotly package (package_data/plotly.min.js): served as vendor/plotly/.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/plotly", package_dir("plotly") / "package_data"),
]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media-private"))},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
WHITENOISE_AUTOREFRESH = DEBUG

# Security. HTTPS is assumed in production; the demo and the tests run on plain http.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
X_FRAME_OPTIONS = "DENY"
# A strict policy: no inline script, no eval; plotly.js and htmx come from our own static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# A cache shared by all web processes (throttle counters, rendered dashboards): Redis in
# production. Unset: the memory of each process, enough for the demo and the tests.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "governance.accounts.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Scoped rates: `auth` counts failed token attempts and `login` every token request per
    # client address; `uploads` counts a user's uploads. Counters live in the cache: shared by
    # all processes when CACHE_URL is set.
    "DEFAULT_THROTTLE_RATES": {
        "auth": os.environ.get("API_AUTH_THROTTLE_RATE", "20/min"),
        "login": os.environ.get("API_LOGIN_THROTTLE_RATE", "10/min"),
        "uploads": os.environ.get("API_UPLOAD_THROTTLE_RATE", "120/hour"),
    },
    # Every API user needs a role in the chain (a membership); views narrow this further.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "governance.accounts.permissions.HasPortalRole",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "ketenportaal.pagination.Pagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "ketenportaal.api.exception_handler",
}
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    # Tokens are stored hashed (knox) and expire; 0 days means they never do.
    "TOKEN_TTL": (
        timedelta(days=int(os.environ.get("API_TOKEN_TTL_DAYS", "365")))
        if os.environ.get("API_TOKEN_TTL_DAYS", "365") != "0"
        else None
    ),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ketenportaal API",
    "DESCRIPTION": "API of the Dutch migration chain portal (contract: DESIGN.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from our own static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MilestoneStatusEnum": "actions.models.MilestoneStatus",
        "RecommendationStatusEnum": "governance.models.RecommendationStatus",
        "DecisionStatusEnum": "governance.models.boards.DecisionStatus",
        "ReportStatusEnum": "governance.models.reports.ReportStatus",
    },
}

# Celery. Unset CELERY_BROKER_URL: tasks run in-process (the demo on one machine).
CELERY_TASK_ALWAYS_EAGER = env_bool(
    "CELERY_TASK_ALWAYS_EAGER", not os.environ.get("CELERY_BROKER_URL")
)
# In-process (no broker, the demo): tasks run after the response in a background thread, so no
# request waits for a rebuild; the tests set it off and run them inline.
TASKS_IN_BACKGROUND = env_bool("TASKS_IN_BACKGROUND", not os.environ.get("CELERY_BROKER_URL"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "ketenportaal")
CELERY_BEAT_SCHEDULE = {
    "nightly-dashboard-rebuild": {
        "task": "dashboards.rebuild.tasks.scheduled_rebuild",
        # REBUILD_EVERY_SECONDS replaces the nightly time by an interval (the integration test).
        "schedule": (
            timedelta(seconds=float(os.environ["REBUILD_EVERY_SECONDS"]))
            if os.environ.get("REBUILD_EVERY_SECONDS")
            else crontab(
                hour=os.environ.get("REBUILD_HOUR", "2"),
                minute=os.environ.get("REBUILD_MINUTE", "0"),
            )
        ),
    },
    # A lost message (broker outage, killed worker) delays work; these send it again.
    "requeue-stuck-uploads": {
        "task": "dashboards.uploads.tasks.requeue_stuck_uploads",
        "schedule": timedelta(minutes=5),
    },
    "requeue-waiting-rebuilds": {
        "task": "dashboards.rebuild.tasks.requeue_waiting_rebuilds",
        "schedule": timedelta(minutes=5),
    },
}
# Redis redelivers a task that was taken but not acknowledged after this many seconds (acks_late):
# longer than the longest task (a validation's hard time limit).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
}
# Large uploads are validated on their own queue (and worker: docker-compose), so that one
# organisation's large file cannot hold up another's; empty: the default queue.
CELERY_LARGE_UPLOADS_QUEUE = os.environ.get("CELERY_LARGE_UPLOADS_QUEUE", "")

# Uploads of figures.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(50 * 1024 * 1024)))
UPLOAD_MAX_ROWS = int(os.environ.get("UPLOAD_MAX_ROWS", "2000000"))
# Checked from the header row before a file is parsed (a 200,000-column file costs nothing).
UPLOAD_MAX_COLUMNS = int(os.environ.get("UPLOAD_MAX_COLUMNS", "100"))
UPLOAD_MAX_CELLS = int(os.environ.get("UPLOAD_MAX_CELLS", "20000000"))
# Files larger than this go to CELERY_LARGE_UPLOADS_QUEUE.
UPLOAD_LARGE_BYTES = int(os.environ.get("UPLOAD_LARGE_BYTES", str(1024 * 1024)))
# A validation is refused ("too slow") after this many seconds.
UPLOAD_VALIDATION_SOFT_SECONDS = int(os.environ.get("UPLOAD_VALIDATION_SOFT_SECONDS", "900"))
# An upload still "received" after this many minutes has its validation sent again; one
# "validating" longer than UPLOAD_STALE_MINUTES is taken to have lost its worker.
UPLOAD_REQUEUE_MINUTES = int(os.environ.get("UPLOAD_REQUEUE_MINUTES", "10"))
UPLOAD_STALE_MINUTES = int(os.environ.get("UPLOAD_STALE_MINUTES", "30"))
DELIVERY_DEADLINE_DAYS = int(os.environ.get("DELIVERY_DEADLINE_DAYS", "30"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Celery logs every finished task at INFO; in-process (demo) that drowns the console.
    "loggers": {
        "axes": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Dashboard rebuild: PostgreSQL work_mem for its aggregations; how long a queued rebuild that
# finds another one running waits before it tries again (Celery retry countdown, seconds).
REBUILD_WORK_MEM = os.environ.get("REBUILD_WORK_MEM", "256MB")
REBUILD_RETRY_SECONDS = int(os.environ.get("REBUILD_RETRY_SECONDS", "30"))
# A rebuild still queued after this many minutes has its task sent again (a lost message).
REBUILD_REQUEUE_MINUTES = int(os.environ.get("REBUILD_REQUEUE_MINUTES", "10"))
# Rendered dashboard results are cached per build (the key holds the current build pointers).
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "3600"))
