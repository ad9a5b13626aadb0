"""Settings for every environment, driven by environment variables.

Overlays: ``safeguard.settings.test`` and ``safeguard.settings.production``.
A secret may be given inline (``SECRET_KEY``) or as a file (``SECRET_KEY_FILE``).
"""

import json
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from safeguard import database

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """The variable ``name``, or the contents of the file named by ``name_FILE``."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / ".data")))
# Outside production, what `make run` generated and recorded in DATA_DIR stands in for what is
# not set, so the README's `manage.py` commands work as written in another shell.
LOCAL_FALLBACKS = os.environ.get("DJANGO_SETTINGS_MODULE") != "safeguard.settings.production"


def _local_secret_key() -> str | None:
    path = DATA_DIR / "secret_key"
    return path.read_text().strip() if LOCAL_FALLBACKS and path.is_file() else None


SECRET_KEY = (
    env("SECRET_KEY")
    or _local_secret_key()
    or ("insecure-development-key-change-me" if DEBUG else None)
)
if not SECRET_KEY:
    raise RuntimeError(
        "Set SECRET_KEY or SECRET_KEY_FILE (or DEBUG=1 for a development key); `make run` "
        "generates one in .data/secret_key."
    )

# Partnerships are served at <key>.<PLATFORM_DOMAIN>; the bare domain is the public site.
PLATFORM_DOMAIN = env("PLATFORM_DOMAIN", "localhost").lower()
ALLOWED_HOSTS = [PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}"]
# Used in links we send by email and print in commands, e.g. "http://croydon.localhost:8000".
PLATFORM_SCHEME = env("PLATFORM_SCHEME", "https")
PLATFORM_PORT = env("PLATFORM_PORT", "")

SHARED_APPS = [
    "tenants",  # first: its migrate/migrate_schemas commands win over django_tenants'
    "django_tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "api",
    "frontend",
    # Joint-review grants: public, beside casework's tenant tables (DESIGN §3).
    "casework.joint",
    # The themes vocabulary and the national library index (public); the rest of publishing is
    # each partnership's (TENANT_APPS).
    "publishing.library",
    # The demo data and load_demo: the only code importing every app.
    "safeguard.demo",
]
TENANT_APPS = [
    "tenants.agencies",
    "tenants.notifications",
    "casework",
    "publishing",
    "rest_framework_api_key",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Partnership"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# New partnerships are cloned from this schema, which `migrate_schemas` keeps current.
TENANT_BASE_SCHEMA = "partnership_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Off on purpose: django-tenants #1262 (wrong-tenant rows after a savepoint rollback).
TENANT_LIMIT_SET_CALLS = False
PUBLIC_SCHEMA_URLCONF = "safeguard.urls_public"
ROOT_URLCONF = "safeguard.urls_partnership"

DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Two roles (safeguard/database.py): DATABASE_URL the runtime role (web, workers, beat: owns
# nothing, may only insert and read the audit trail), DATABASE_OWNER_URL the owner (migrations,
# creating partnerships), chosen by manage.py for the commands that need it. One URL alone
# serves both. Without DATABASE_URL, outside production: what `make run` recorded.
_recorded = database.record_read(DATA_DIR) if LOCAL_FALLBACKS and not env("DATABASE_URL") else {}
if _recorded.get("embedded_pgdata"):
    from safeguard.localdev import embedded_server_start

    embedded_server_start(Path(_recorded["embedded_pgdata"]))
DATABASE_URL = (
    env("DATABASE_URL") or _recorded.get("url") or "postgres://postgres@127.0.0.1:5432/safeguard"
)
DATABASE_OWNER_URL = env("DATABASE_OWNER_URL") or _recorded.get("owner_url") or DATABASE_URL
# The role tenants.privileges grants the runtime's rights to (after migrations and each clone).
DATABASE_RUNTIME_ROLE = dj_database_url.parse(DATABASE_URL)["USER"]
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_OWNER_URL if database.connects_as_owner() else DATABASE_URL,
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        # A persistent connection the database has dropped (a restart, a failover, PgBouncer)
        # would answer the next request with a 500: check it first (a SELECT 1 before each
        # request's first query) and reconnect.
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
DATABASES["default"]["ENGINE"] = "safeguard.db_backend"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    "tenants.middleware.PartnershipRoutingMiddleware",
    "tenants.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tenants.middleware.MembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.service",
            ],
        },
    }
]
WSGI_APPLICATION = "safeguard.wsgi.application"

AUTH_USER_MODEL = "tenants.User"
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
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "frontend:sign-in"
LOGIN_REDIRECT_URL = "frontend:dashboard"

# Sessions live in the public schema but their cookie is bound to the host that set it
# (no SESSION_COOKIE_DOMAIN), and MembershipMiddleware also binds each session to its partnership.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy and Permissions-Policy (every host) --------------------------
# Scripts and styles only from this host, or inline with this response's nonce (base.html's
# one line, the API docs page); no page may be framed; GOV.UK Frontend's images and fonts are
# served from /static/, Swagger UI's icons are data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Nothing on the platform uses these browser features: off for every page and any frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
# --- end of headers ------------------------------------------------------------------------

# Repeated failed sign-ins lock the (email, address) pair for a while.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Safeguard"
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
# Explicit: django-tenants' per-schema storage is silently unused unless named here.
# Casework files are never served from MEDIA_URL; downloads go through permission-checked views.
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        # Every key carries the schema it was written in, so one partnership never reads
        # another's cached value.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }

# --- Throttles and the client address (tenants/throttles.py) ---------------------------------
# Throttles count in a store every process shares: Redis, else the database cache's table
# (made by a migration), never one process's memory.
CACHES["throttles"] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "safeguard",
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "safeguard_cache",
        # Culling past MAX_ENTRIES drops live rows too: room for a flood of addresses.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
)
# How many proxies of the platform's own stand before it, each appending to X-Forwarded-For;
# 0: the client is REMOTE_ADDR, whatever X-Forwarded-For says.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "tenants.throttles.client_address"
# Failed API key attempts from one address before it is refused (429) for the period.
API_KEY_FAILURE_LIMIT = int(env("API_KEY_FAILURE_LIMIT", "10"))
API_KEY_FAILURE_MINUTES = int(env("API_KEY_FAILURE_MINUTES", "15"))
# --- end of throttles ----------------------------------------------------------------------

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport under .data/broker,
# so a development machine still runs a real worker and beat (never eager mode).
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {}
    if REDIS_URL
    else {
        "data_folder_in": str(DATA_DIR / "broker" / "queue"),
        "data_folder_out": str(DATA_DIR / "broker" / "queue"),
        "processed_folder": str(DATA_DIR / "broker" / "processed"),
        "control_folder": str(DATA_DIR / "broker" / "control"),
        "store_processed": False,
    }
)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "safeguard")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = False

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Safeguard <no-reply@safeguard.localhost>")
# Optional: EMAIL_BACKEND=safeguard.notify.NotifyEmailBackend sends through GOV.UK Notify
# (notifications-python-client), with one template whose subject is ((subject)) and body ((body)).
NOTIFY_API_KEY = env("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = env("NOTIFY_EMAIL_TEMPLATE_ID", "")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")

# Agencies' webhooks (tenants.notifications): the wait for a receiver's answer, the waits
# between attempts (the first within 10 seconds, then about a day in all), and whether a receiver
# on this machine may be called (make run only: the production settings refuse it).
WEBHOOK_TIMEOUT_SECONDS = float(env("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_RETRY_DELAYS = (5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800)
WEBHOOKS_ALLOW_LOOPBACK = env("WEBHOOKS_ALLOW_LOOPBACK", "") == "1"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.AgencyApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsAgencySystem"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.DepthLimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
API_KEY_CUSTOM_HEADER = None
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguard agency API",
    "DESCRIPTION": (
        "For partner agencies' systems: refer serious incidents and follow their progress. "
        "Send `Authorization: Api-Key <key>` on the partnership's own host. "
        "Errors are `application/problem+json` (RFC 9457)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Without deep links Swagger UI draws no link inside each operation's button (axe:
    # nested-interactive); the operations still open and close.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry URLs, which never hold a child's identifiers, but bodies might:
        # nothing here logs request bodies.
        "django.db.backends": {"level": "WARNING"},
    },
}

# The anonymisation gate (publishing.gate): what reading one document may cost, and how pages
# without a text layer are read by OCR. Past a limit, a document "cannot be checked".
GATE_MAX_UNPACKED_MB = int(env("GATE_MAX_UNPACKED_MB", "100"))
GATE_MAX_UNPACK_RATIO = int(env("GATE_MAX_UNPACK_RATIO", "100"))
GATE_MEMORY_MB = int(env("GATE_MEMORY_MB", "1536"))
GATE_TIME_LIMIT_SECONDS = int(env("GATE_TIME_LIMIT_SECONDS", "3600"))
GATE_OCR_DPI = int(env("GATE_OCR_DPI", "300"))
GATE_OCR_MIN_CONFIDENCE = int(env("GATE_OCR_MIN_CONFIDENCE", "75"))
# A run queued, or running with no progress, this long has lost its task (its worker died): the
# sweeper sends it again. A live task shows progress at least every 30 seconds.
GATE_SWEEP_AFTER_SECONDS = int(env("GATE_SWEEP_AFTER_SECONDS", "1200"))


def _in_every_partnership(task: str, schedule) -> dict:
    """A periodic job: ``task`` sent once for every live partnership, inside its schema
    (``tenants.tasks.partnerships_fan_out``)."""
    return {"task": "tenants.tasks.partnerships_fan_out", "schedule": schedule, "args": [task]}


CELERY_BEAT_SCHEDULE = {
    "purge-idempotency-records": _in_every_partnership(
        "tenants.agencies.tasks.idempotency_records_purge_task", crontab(hour=3, minute=0)
    ),
    "review-chasers": _in_every_partnership(
        "casework.tasks.review_chasers_send_task", crontab(hour=7, minute=15)
    ),
    "clock-reminders": _in_every_partnership(
        "casework.tasks.clock_reminders_send_task", crontab(hour=7, minute=0)
    ),
    # Scheduled publications go out, and those past the retention period become available on
    # request, early each morning.
    "publications-daily": _in_every_partnership(
        "publishing.tasks.publications_daily_task", crontab(hour=0, minute=30)
    ),
    # The gate's runs whose worker died are sent again (or given up), every ten minutes.
    "gate-sweeper": _in_every_partnership(
        "publishing.tasks.gate_runs_sweep_task", crontab(minute="*/10")
    ),
    "revoke-expired-api-keys": _in_every_partnership(
        "tenants.agencies.tasks.api_keys_revoke_expired_task", crontab(hour=2, minute=15)
    ),
    # Every partnership's audit trail is verified against its hash chain and checkpoints.
    "verify-audit-trails": _in_every_partnership(
        "tenants.agencies.tasks.audit_trail_check_task", crontab(hour=4, minute=0)
    ),
    # Hand-offs (tenants.notifications): the daily digests, the outbox's sweeper, and the
    # actions falling due told to their owners.
    "handoff-digests": _in_every_partnership(
        "tenants.notifications.tasks.digests_send_task", crontab(hour=16, minute=0)
    ),
    "handoffs-sweeper": _in_every_partnership(
        "tenants.notifications.tasks.handoffs_sweep_task", crontab(minute="*/10")
    ),
    "actions-due-soon": _in_every_partnership(
        "casework.handoffs.actions.actions_due_soon_task", crontab(hour=7, minute=30)
    ),
}


# Who is told when a partnership's audit trail no longer verifies (comma-separated emails).
PLATFORM_ALERT_EMAILS = [
    address.strip()
    for address in (env("PLATFORM_ALERT_EMAILS", "") or "").split(",")
    if address.strip()
]

# Review clocks whose length the guidance does not fix, or that could not be confirmed from it
# (their sources say "unverified" or "local policy"; ``casework.processes``): a deployment may
# change each, as JSON, e.g. REVIEW_CLOCK_LENGTHS='{"sar.completion": 9}'. Units are the rule's.
REVIEW_CLOCK_LENGTHS = {
    # Home Office DHR statutory guidance (2016), s. 5: months from the decision to review.
    "dardr.home_office_submission": 6,
    # Local policy: the Care Act 2014 s. 44 sets no timescale (months).
    "sar.completion": 6,
    # Reasons for not publishing sent to the Panel and the Secretary of State (working days).
    "not_publish_reasons": 7,
    **json.loads(env("REVIEW_CLOCK_LENGTHS", "{}") or "{}"),
}

# Referral clocks whose length is not confirmed from the guidance itself (casework.regimes marks
# each "unverified"): the partnership's procedures set them.
SOS_OFSTED_NOTIFICATION_WORKING_DAYS = int(env("SOS_OFSTED_NOTIFICATION_WORKING_DAYS", "5"))
DECISION_NOTICE_WORKING_DAYS = int(env("DECISION_NOTICE_WORKING_DAYS", "5"))
SCR_DECISION_MONTHS = int(env("SCR_DECISION_MONTHS", "1"))
