"""The one settings module, driven by the environment (every variable is listed in `.env.example`).

With no environment at all but `DJANGO_DEBUG=true` the product runs embedded: a SQLite file, a
Celery broker on the file system, media on disk, e-mail on the console. `DATABASE_URL` switches to
Postgres and `REDIS_URL` / `CELERY_BROKER_URL` to Redis.

Production is the default (`DJANGO_DEBUG` unset means off): it refuses to start without
`DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS` rather than run with a guessable key.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets the typed generics of django-stubs (`ModelAdmin[User]`, `QuerySet[Order]`) run.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env_str(name).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Where the embedded default keeps its SQLite file, broker queue and media.
VAR_DIR = Path(env_str("DJANGO_VAR_DIR") or BASE_DIR / "var")

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not DEBUG:
    missing = [
        name
        for name, value in (
            ("DJANGO_SECRET_KEY", SECRET_KEY),
            ("DJANGO_ALLOWED_HOSTS", ALLOWED_HOSTS),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "Production mode (DJANGO_DEBUG is off) needs "
            + " and ".join(missing)
            + ". Set them in the environment (see .env.example), or set DJANGO_DEBUG=true "
            "for local development."
        )
else:
    # Development only: a fixed key is harmless where DEBUG is on and never leaves the machine.
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-not-for-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# ---------------------------------------------------------------- apps
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    # API tokens stored as hashes, one per device, expiring (the model is accounts.ApiToken).
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    # Our apps, lowest layer first (docs/architecture.md).
    "core",
    "accounts",
    "marketplace",
    "calls",
    "moderation",
    # The wiring package is an app only for its job-run record and the `runjob` command.
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.notifications",
            ],
        },
    },
]


# ---------------------------------------------------------------- database
def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # The web server and the Celery worker write the same file: WAL lets readers go on
            # while one writes, IMMEDIATE takes the write lock up front so a transaction never
            # fails half-way on an upgrade from reader to writer, and busy_timeout waits instead
            # of failing with "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    # A new Postgres connection costs 7-8 ms here, more than the rest of a typical request:
    # keep connections open between requests and check them before reuse.
    config: dict[str, Any] = dict(
        dj_database_url.parse(
            url,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- cache
REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]] = (
    {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "mp"),
            # An unreachable cache must fail fast, not hold a request: every use of the cache
            # says what it does without it (core/ratelimit.py, /healthz/).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

# ---------------------------------------------------------------- accounts and auth
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.StandingAwareBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)
# API tokens (django-rest-knox with our own token model, which has a device name). knox's own
# token table is never created: its model is swapped out for ours.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 - a model path, not a secret
MIGRATION_MODULES = {"knox": None}
API_TOKEN_TTL = timedelta(days=env_int("API_TOKEN_TTL_DAYS", 30))
API_TOKENS_PER_USER = env_int("API_TOKENS_PER_USER", 20)
# "Last used" in the device list is written at most this often per token.
API_TOKEN_USE_INTERVAL = timedelta(minutes=5)
REST_KNOX = {
    "TOKEN_TTL": API_TOKEN_TTL,
    "AUTH_HEADER_PREFIX": "Token",
    # A recognisable prefix lets secret scanners spot a leaked token.
    "TOKEN_PREFIX": "mkt_",
}

# ---------------------------------------------------------------- i18n and time
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# ---------------------------------------------------------------- static and media
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Whether the app serves uploaded files itself (make run, tests); production leaves it to a
# proxy or the storage.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=DEBUG)
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or VAR_DIR / "media")
RECORDINGS_ROOT = Path(env_str("DJANGO_RECORDINGS_ROOT") or VAR_DIR / "recordings")
STORAGES = {
    # Uploaded files (gig covers): the file system by default; S3 or another by setting, e.g.
    # MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage (with django-storages installed).
    "default": {
        "BACKEND": env_str("MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Call recordings (C-11): never at a public URL. The file system outside MEDIA_ROOT by
    # default (served only through the checked views), S3 by setting
    # (RECORDINGS_STORAGE_BACKEND=storages.backends.s3.S3Storage, a private bucket), where the
    # views hand out presigned URLs of at most RECORDING_URL_SECONDS.
    "recordings": {
        "BACKEND": env_str(
            "RECORDINGS_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": (
            {"location": str(RECORDINGS_ROOT), "base_url": None}
            if env_str("RECORDINGS_STORAGE_BACKEND", "").strip() == ""
            else {"default_acl": "private", "querystring_auth": True}
        ),
    },
}

# ---------------------------------------------------------------- e-mail
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Where the product is reached from outside: links in e-mails are absolute.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Marketplace <noreply@marketplace.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------- security
# Secure by default outside DEBUG; behind a TLS-terminating proxy set
# DJANGO_SECURE_PROXY_SSL_HEADER=true so Django trusts X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): scripts and styles only from our own
# origin or with the request's nonce, no plugins, never framed. Pages keep no inline script or
# style; the browser journeys fail on any violation the console reports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # data: for the icons Swagger UI's and the admin's stylesheets embed; the storage's
        # origin when uploads are served from elsewhere (S3, a CDN).
        "img-src": [SELF, "data:", *env_list("MEDIA_ORIGIN")],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    },
}
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz/ is polled over plain HTTP by the container runtime and load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# ---------------------------------------------------------------- API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.StandingAwareTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.rest.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Marketplace API",
    "DESCRIPTION": (
        'Errors are `{"detail": ..., "code": ...}`; invalid input adds `fields` with the '
        "errors per field. Authenticate with `Authorization: Token <token>`: "
        "`POST /api/auth/token/` gives each device its own token, valid for "
        f"{API_TOKEN_TTL.days} days; `GET /api/auth/tokens/` lists your devices, "
        "`DELETE /api/auth/tokens/{id}/` revokes one, and `POST /api/auth/logout/` revokes "
        "the token it is sent with."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Appends the table of every declared error code (core.errors) to the description.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.rest.document_error_codes",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # drf-spectacular would otherwise point the docs page at a CDN; the product works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status`; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "GigStatusEnum": "marketplace.models.GigStatus",
        "OrderStatusEnum": "marketplace.models.OrderStatus",
        "WithdrawalStatusEnum": "marketplace.models.WithdrawalStatus",
        "ReviewStatusEnum": "moderation.models.ReviewStatus",
        "CaseStatusEnum": "moderation.models.CaseStatus",
        "ItemStatusEnum": "moderation.models.ItemStatus",
        "CaseOutcomeEnum": "moderation.models.CaseOutcome",
        "ReviewOutcomeEnum": "moderation.models.ReviewOutcome",
        "AppealOutcomeEnum": "moderation.models.AppealOutcome",
    },
}

# ---------------------------------------------------------------- Celery
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
# An unreachable broker fails fast: queuing a task is only the fast path (core/queue.py), the
# rows it was for stay due and their sweeps do the work once the broker is back.
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {"socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
if CELERY_BROKER_URL == "filesystem://":
    # kombu's file-system transport: a queue in a folder, no server needed. The worker and
    # whoever enqueues must share the folder.
    _broker_dirs = {
        name: VAR_DIR / "celery" / name for name in ("queue", "processed", "control", "staging")
    }
    for _folder in _broker_dirs.values():
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dirs["queue"]),
        "data_folder_out": str(_broker_dirs["queue"]),
        "processed_folder": str(_broker_dirs["processed"]),
        "control_folder": str(_broker_dirs["control"]),
        "staging_folder": str(_broker_dirs["staging"]),
        "store_processed": False,
    }
    # Atomic writes; see config/kombu_filesystem.py.
    CELERY_BROKER_TRANSPORT = "config.kombu_filesystem:Transport"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How often the scheduler proves it is alive (the `heartbeat` job); /healthz/ reports its age.
HEARTBEAT_INTERVAL = timedelta(seconds=env_int("HEARTBEAT_INTERVAL_SECONDS", 30))

# ---------------------------------------------------------------- logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# ---------------------------------------------------------------- marketplace
PAYMENT_BACKEND = env_str("PAYMENT_BACKEND", "marketplace.providers.local.LocalPaymentBackend")
PAYOUT_BACKEND = env_str("PAYOUT_BACKEND", "marketplace.providers.local.LocalPayoutBackend")
# Seller earnings stay pending this long before they can be withdrawn (K-5, J-5).
CLEARING_PERIOD = timedelta(days=env_int("CLEARING_PERIOD_DAYS", 14))
# Screens every user's message before it is stored (C-15): moderation's detectors mask card
# numbers, IBANs and national ids and flag what takes a deal off the platform
# (`marketplace.message_filters.MessageFilter` lets everything through).
MESSAGE_FILTER = env_str("MESSAGE_FILTER", "moderation.filters.DetectingMessageFilter")
# Screens each call transcript before it is stored (C-15), as MESSAGE_FILTER does messages
# (`calls.transcript_filters.TranscriptFilter` lets everything through).
TRANSCRIPT_FILTER = env_str("TRANSCRIPT_FILTER", "moderation.filters.DetectingTranscriptFilter")
# Messages a user may send per window (an atomic counter in the cache: Redis in production).
MESSAGE_RATE_LIMIT = env_int("MESSAGE_RATE_LIMIT", 30)
MESSAGE_RATE_WINDOW_SECONDS = env_int("MESSAGE_RATE_WINDOW_SECONDS", 60)
# Login attempts per client address (login page and token endpoint together).
# How many proxies in front of the app append to X-Forwarded-For (core.ratelimit.client_address).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
LOGIN_RATE_LIMIT = env_int("LOGIN_RATE_LIMIT", 20)
LOGIN_RATE_WINDOW_SECONDS = env_int("LOGIN_RATE_WINDOW_SECONDS", 60)
# The largest cover picture a seller may upload (marketplace.images checks the rest).
GIG_COVER_MAX_BYTES = env_int("GIG_COVER_MAX_BYTES", 5 * 1024 * 1024)
# The largest tip a buyer may add, in cents.
MAX_TIP_CENTS = env_int("MAX_TIP_CENTS", 100_000)

# ---------------------------------------------------------------- calls (C-)
# The video provider (`calls.providers`): `local` runs the whole call journey offline, in our own
# pages; Zoom's backend is named here in production.
VIDEO_BACKEND = env_str("VIDEO_BACKEND", "calls.providers.local.LocalVideoBackend")
# C-3: "criteria" (level, eligibility ASP, a recent order) or "all_sellers".
CALLS_POLICY = env_str("CALLS_POLICY", "criteria")
CALLS_MIN_ASP_CENTS = env_int("CALLS_MIN_ASP_CENTS", 5000)
CALLS_RECENT_ORDER_DAYS = env_int("CALLS_RECENT_ORDER_DAYS", 60)
# C-11: how long after the call's end its participants can play the recording.
RECORDING_RETENTION_DAYS = env_int("RECORDING_RETENTION_DAYS", 30)
# The longest a presigned recording URL lives (S3); file-system recordings stream through Django.
RECORDING_URL_SECONDS = min(env_int("RECORDING_URL_SECONDS", 300), 300)
CALL_DURATION_MINUTES = env_int("CALL_DURATION_MINUTES", 40)
CALL_MAX_PARTICIPANTS = env_int("CALL_MAX_PARTICIPANTS", 20)
CALL_MAX_SCHEDULE_DAYS = env_int("CALL_MAX_SCHEDULE_DAYS", 90)
# Once our copy of a recording is stored, the provider's is deleted — at once when its
# transcript came too, else after the provider had this long after the call to finish one.
TRANSCRIPT_WAIT_MINUTES = env_int("TRANSCRIPT_WAIT_MINUTES", 120)
# A call still open this long after its planned end is ended by `reconcile_recordings` (the
# provider's end event was lost, or nobody came).
CALL_OVERRUN_MINUTES = env_int("CALL_OVERRUN_MINUTES", 120)
# The provider's host users meetings are spread over (Zoom: licensed users of the platform's
# account), each at most VIDEO_HOST_DAILY_CREATES meetings created a UTC day and never two calls
# at overlapping times. Empty: no pool (the local backend hosts everything itself).
VIDEO_HOSTS = env_list("VIDEO_HOSTS")
VIDEO_HOST_DAILY_CREATES = env_int("VIDEO_HOST_DAILY_CREATES", 100)
# Zoom (VIDEO_BACKEND=calls.providers.zoom.ZoomVideoBackend): a Server-to-Server OAuth app of the
# platform's account. The secrets come from the environment only; `calls.checks` refuses to start
# the zoom backend without them.
ZOOM_ACCOUNT_ID = env_str("ZOOM_ACCOUNT_ID")
ZOOM_CLIENT_ID = env_str("ZOOM_CLIENT_ID")
ZOOM_CLIENT_SECRET = env_str("ZOOM_CLIENT_SECRET")
ZOOM_WEBHOOK_SECRET = env_str("ZOOM_WEBHOOK_SECRET")
# How far a webhook's timestamp may be from our clock (replayed or forged requests are older).
ZOOM_WEBHOOK_TOLERANCE_SECONDS = env_int("ZOOM_WEBHOOK_TOLERANCE_SECONDS", 300)
# Where Zoom answers (tests point these at the local fake).
ZOOM_API_URL = env_str("ZOOM_API_URL", "https://api.zoom.us/v2")
ZOOM_OAUTH_URL = env_str("ZOOM_OAUTH_URL", "https://zoom.us/oauth/token")
# Recording files are downloaded from these hosts (and their subdomains) only: the request
# carries a token that opens the account's recordings.
ZOOM_DOWNLOAD_HOSTS = env_list("ZOOM_DOWNLOAD_HOSTS") or ["zoom.us"]
ZOOM_CONNECT_TIMEOUT_SECONDS = env_int("ZOOM_CONNECT_TIMEOUT_SECONDS", 5)
ZOOM_READ_TIMEOUT_SECONDS = env_int("ZOOM_READ_TIMEOUT_SECONDS", 20)
# Tries of one request on 429, 5xx and network errors (with backoff, honouring Retry-After).
ZOOM_MAX_ATTEMPTS = env_int("ZOOM_MAX_ATTEMPTS", 3)

# ---------------------------------------------------------------- the trust-and-safety queue
# How many reports one member may file an hour (429 beyond).
REPORT_RATE_LIMIT = env_int("REPORT_RATE_LIMIT", 10)
# How long a staff member holds a case they took before it returns to the queue.
CASE_CLAIM_MINUTES = env_int("CASE_CLAIM_MINUTES", 30)

# ---------------------------------------------------------------- sanctions (M-)
# M-2: which earlier warnings count towards escalation: those of the last N days, or all (unset).
WARNING_LOOKBACK_DAYS = env_int("WARNING_LOOKBACK_DAYS", 0) or None
# M-4: how long a review may last, and what `end_overdue_reviews` applies when nobody decided.
REVIEW_DAYS = env_int("REVIEW_DAYS", 90)
REVIEW_DEFAULT_OUTCOME = env_str("REVIEW_DEFAULT_OUTCOME", "restore")
# M-7: a banned seller's balance is held this long, then withdrawable through a signed link for
# PAYOUT_WINDOW_DAYS; what is left afterwards is marked unclaimed.
BAN_HOLD_DAYS = env_int("BAN_HOLD_DAYS", 90)
PAYOUT_WINDOW_DAYS = env_int("PAYOUT_WINDOW_DAYS", 7)
# M-12 (DSA Art. 20): how long after a decision the member may appeal it (six months).
APPEAL_DAYS = env_int("APPEAL_DAYS", 183)
