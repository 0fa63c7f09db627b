"""Ketenportaal settings: one module, driven by environment variables (see .env.example)."""

import os
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ketenportaal import beat, logs

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
    "governance.apps.PortalAdminConfig",  # django.contrib.admin behind the second factor
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
    "governance",
    "actions",
    "dashboards",
]

MIDDLEWARE = [
    "ketenportaal.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their own caching): no-store, Permissions-Policy,
    # NUL bytes refused, API errors in JSON.
    "ketenportaal.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ketenportaal.middleware.DutchByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "governance.accounts.middleware.IdleTimeoutMiddleware",
    "governance.accounts.middleware.SecondFactorMiddleware",
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
            # Labels of codes (dimension values, units, finding kinds) in every template.
            "builtins": ["dashboards.templatetags.labels"],
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
# OWASP ASVS level 2 (V2.1.1): at least 12 characters.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
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
# Failures are reset at a complete login (password and, where it applies, the second factor:
# governance.accounts.mfa), not by the password alone; refused codes count as failures.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "ketenportaal.net.client_ip_for_axes"
AXES_LOG_RETENTION_DAYS = int(os.environ.get("AXES_LOG_RETENTION_DAYS", "90"))

# Reverse proxies in front of the portal that append to X-Forwarded-For (0: trust none). The
# client address for throttles, the lockout and the audit trail is read through them only.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

# Two factors (django-otp): required for these roles, available to everyone.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", "regie,admin")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Ketenportaal")

# Single sign-on with OpenID Connect (mozilla-django-oidc), beside passwords; on when
# OIDC_RP_CLIENT_ID is set. Users are matched to an existing portal user, never created.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
# The claim that names the user, and the portal user field it must equal.
OIDC_USER_CLAIM = os.environ.get("OIDC_USER_CLAIM", "email")
OIDC_USER_FIELD = os.environ.get("OIDC_USER_FIELD", "email")
# The ID token claim that says the identity provider used more than one factor, and the
# values that count; with OIDC_MFA_SKIPS_TOTP such a login needs no TOTP code here.
OIDC_MFA_CLAIM = os.environ.get("OIDC_MFA_CLAIM", "amr")
OIDC_MFA_VALUES = env_list("OIDC_MFA_VALUES", "mfa")
OIDC_MFA_SKIPS_TOTP = env_bool("OIDC_MFA_SKIPS_TOTP", True)
OIDC_CALLBACK_CLASS = "governance.accounts.oidc.CallbackView"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=mislukt"
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("governance.accounts.oidc.PortalOIDCBackend")

# Mail (password reset), through Django's MAILERS: SMTP (a local MTA on port 25 unless
# EMAIL_HOST says otherwise); the console in the demo.
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if DEBUG and not os.environ.get("EMAIL_HOST")
        else {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "timeout": 10,
            },
        }
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ketenportaal@localhost")
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(2 * 3600)))
# Notifications (governance.notifications): how far ahead reminders are made, how far back
# news counts, how often beat makes and mails them, the hour of the daily digest, and the
# portal's address for the links in mails.
NOTIFY_MILESTONE_DAYS = int(os.environ.get("NOTIFY_MILESTONE_DAYS", "14"))
NOTIFY_DELIVERY_DAYS = int(os.environ.get("NOTIFY_DELIVERY_DAYS", "7"))
NOTIFY_REPORTING_DAYS = int(os.environ.get("NOTIFY_REPORTING_DAYS", "14"))
NOTIFY_LOOKBACK_DAYS = int(os.environ.get("NOTIFY_LOOKBACK_DAYS", "30"))
NOTIFY_EVERY_MINUTES = float(os.environ.get("NOTIFY_EVERY_MINUTES", "15"))
NOTIFY_DIGEST_HOUR = int(os.environ.get("NOTIFY_DIGEST_HOUR", "7"))
PORTAL_URL = os.environ.get("PORTAL_URL", "http://localhost:8000")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per context, defined once (ketenportaal/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["ketenportaal.formats"]
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
# The container health checks ask these over plain http from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^readyz$"]
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
# A session without a request for this long ends (0: only SESSION_COOKIE_AGE applies).
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
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
# production. Unset: the memory of each process, enough for the demo and the tests. While Redis
# is down the cache degrades to none (ketenportaal.cache) instead of failing requests.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "ketenportaal.cache.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
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
    "NUM_PROXIES": NUM_PROXIES,
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
    # Without deep links an operation's summary button holds no link (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
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
# The worker logs through Django's LOGGING (structured JSON), not Celery's own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "ketenportaal")
CELERY_BEAT_SCHEDULE = beat.schedule(
    notify_every_minutes=NOTIFY_EVERY_MINUTES, digest_hour=NOTIFY_DIGEST_HOUR
)
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
# An unfinished milestone turns amber this many days before its deadline (red when also at risk).
RAG_AMBER_DAYS = int(os.environ.get("RAG_AMBER_DAYS", "14"))
# An open milestone without a progress report for this many weeks is on the "no update" list.
MILESTONE_STALE_WEEKS = int(os.environ.get("MILESTONE_STALE_WEEKS", "4"))
# Malware scanning by clamd (ClamAV's daemon) when set: its UNIX socket, or host:port.
CLAMAV_SOCKET = os.environ.get("CLAMAV_SOCKET", "")
CLAMAV_TIMEOUT = float(os.environ.get("CLAMAV_TIMEOUT", "30"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Structured logs (structlog): JSON lines with the request id, or readable lines (LOG_FORMAT).
LOGGING = logs.logging_config(
    json=os.environ.get("LOG_FORMAT", "json") == "json", level=os.environ.get("LOG_LEVEL", "INFO")
)

# Dashboard rebuild: PostgreSQL work_mem for its aggregations; how long a queued rebuild that
# finds another one running waits before it tries again (Celery retry countdown, seconds).
REBUILD_WORK_MEM = os.environ.get("REBUILD_WORK_MEM", "256MB")
REBUILD_RETRY_SECONDS = int(os.environ.get("REBUILD_RETRY_SECONDS", "30"))
# A rebuild still queued after this many minutes has its task sent again (a lost message).
REBUILD_REQUEUE_MINUTES = int(os.environ.get("REBUILD_REQUEUE_MINUTES", "10"))
# Rendered dashboard results are cached per build (the key holds the current build pointers).
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "3600"))
# Small-number suppression (DESIGN.md, second edition): a breakdown figure of persons from 1 up
# to this number minus one is hidden from everyone but regie and the indicator's owner.
SUPPRESSION_THRESHOLD = int(os.environ.get("SUPPRESSION_THRESHOLD", "5"))
# What it hides is worked out once per build and year after each rebuild and kept this long (a
# reader that finds it gone works it out again; the nightly rebuild makes new builds anyway).
SUPPRESSION_CACHE_SECONDS = int(os.environ.get("SUPPRESSION_CACHE_SECONDS", str(2 * 24 * 3600)))

# Health (GET /api/v1/status/): alarms when the last successful full rebuild is older than this,
# when an upload waited for validation longer than this, when worker or beat are silent.
HEALTH_REBUILD_MAX_AGE_HOURS = float(os.environ.get("HEALTH_REBUILD_MAX_AGE_HOURS", "26"))
HEALTH_UPLOAD_MAX_WAIT_MINUTES = float(os.environ.get("HEALTH_UPLOAD_MAX_WAIT_MINUTES", "30"))
HEALTH_HEARTBEAT_MAX_AGE_SECONDS = float(os.environ.get("HEALTH_HEARTBEAT_MAX_AGE_SECONDS", "300"))
