"""Partnerskap settings: one module, every value from the environment.

With no variable set, the project runs on embedded defaults (SQLite and a file-system Celery
broker under ``var/``, e-mail written to ``var/mail/``) in debug mode only when DEBUG is asked
for. See ``.env.example`` for the variables and README.md for deployment.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PARTNERSKAP_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
# A developer's own .env (never committed) is read if present; real deployments set variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Outside debug the key must come from the environment: a missing key fails loudly at start-up.
SECRET_KEY = env.str("SECRET_KEY") if not DEBUG else env.str("SECRET_KEY", default="dev-only-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    # Third-party apps under names an administrator can read in the admin (config/apps.py).
    "config.apps.ScheduledTasksConfig",
    "config.apps.LoginAttemptsConfig",
    "csp",
    "django_otp",
    "config.apps.AuthenticatorAppsConfig",
    "config.apps.RecoveryCodesConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "health_check",
    # Our apps, lowest layer first (the import contract in pyproject.toml states the order).
    "clinics",
    "sso",
    "core",
    "portfolio",
    "partners",
    "partnership",
    "evidence",
    "insights",
    "regionadmin",
    "results",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A view that cannot reach the database answers 503 (config/outages.py; a middleware that
    # cannot reach it is answered by handler500 in config/urls.py, the same way).
    "config.outages.DatabaseUnavailableMiddleware",
    # Sets computed once per request from the person's rights (clinics.access.Access.remember).
    "clinics.middleware.AccessRequestScopeMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "clinics.middleware.TwoFactorRequiredMiddleware",
    "clinics.middleware.UserLanguageMiddleware",
    # The audit trail records the signed-in person as the author of each change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "clinics.middleware.RefusedAccessLogMiddleware",
    # Last, as django-axes asks: it turns a flagged locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'partnerskap.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Celery worker use one SQLite file side by side.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Seconds a client is asked to wait (Retry-After) when the database is unreachable (503).
OUTAGE_RETRY_AFTER_SECONDS = env.int("OUTAGE_RETRY_AFTER_SECONDS", default=30)

# --- Cache ----------------------------------------------------------------------------------------
# The API's rate limits count requests in this cache. The default (memory of each process) is
# per process: with several web workers each counts on its own. Production sets
# CACHE_URL=redis://host:6379/1 so every worker shares the counts. (Login lockouts are kept in
# the database by django-axes, shared in any case.)
#
# The cache is optional at run time: on Redis, errors are logged and the page is computed
# without it (config/cache.py). While Redis is away the API's rate limits fail open (nothing is
# counted) and login lockouts keep working (they are in the database).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "config.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            # A Redis that does not answer costs a request this long at most (seconds), and
            # the cache is then skipped for CACHE_RETRY_AFTER seconds before it is tried again.
            "socket_connect_timeout": env.float("CACHE_TIMEOUT", default=0.5),
            "socket_timeout": env.float("CACHE_TIMEOUT", default=0.5),
            "RETRY_AFTER": env.float("CACHE_RETRY_AFTER", default=5.0),
        }
    )

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "clinics.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username+IP before any password is checked.
    "clinics.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# How long a partner user's invitation link (set your first password) works, in seconds.
PARTNER_INVITATION_TIMEOUT = env.int("PARTNER_INVITATION_TIMEOUT", default=7 * 24 * 60 * 60)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Single sign-on (sso/, README "Single sign-on") ------------------------------------------
# The regions' identity providers are configured in the admin, or described as JSON in
# SSO_PROVIDERS and loaded with `manage.py sso_providers_load`. SAML: our key and certificate,
# to sign requests and receive encrypted assertions (optional: without them requests go unsigned).
SSO_PROVIDERS = env.str("SSO_PROVIDERS", default="")
SSO_SAML_KEY_FILE = env.str("SSO_SAML_KEY_FILE", default="")
SSO_SAML_CERT_FILE = env.str("SSO_SAML_CERT_FILE", default="")
# Seconds an identity provider's SAML metadata, fetched from its address, is reused.
SSO_SAML_METADATA_CACHE_SECONDS = env.int("SSO_SAML_METADATA_CACHE_SECONDS", default=3600)

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("sv", _("Swedish")), ("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates in one style (config/formats/en/formats.py); Swedish and Danish keep Django's.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Stockholm")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
# The embedded defaults (SQLite, broker folders, mail files) all live under var/.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env.bool("STATIC_MANIFEST", default=True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads (attachments, evidence). Local disk by default; with several web or worker machines
# they go to an S3-compatible object store (AWS S3, MinIO, Ceph ...) through django-storages:
# STORAGE_BACKEND=s3 and the AWS_* variables below. Objects stay private: views read them
# through the storage and serve them only to people who may see them.
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            # Another S3-compatible service (e.g. https://minio.internal:9000); empty for AWS.
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # Empty: boto3 finds credentials itself (instance role, ~/.aws, its variables).
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            # A folder inside the bucket, so that one bucket can serve several installations.
            "location": env.str("AWS_LOCATION", default=""),
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "file_overwrite": False,  # a second upload with the same name gets its own object
        },
    }
elif STORAGE_BACKEND != "local":
    raise ValueError(f"STORAGE_BACKEND must be 'local' or 's3', not {STORAGE_BACKEND!r}")
# Uploads are never served as static files: views check who may see them first.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# --- E-mail -------------------------------------------------------------------------------------
# EMAIL_URL: smtp+tls://user:password@host:587, consolemail://, filemail:///absolute/folder ...
# Without it, e-mail is written as files to var/mail/.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
    if EMAIL_URL.startswith("filemail:"):
        # django-environ drops the leading "/" of the folder; keep the path as written.
        from urllib.parse import urlsplit

        _mail_url = urlsplit(EMAIL_URL)
        EMAIL_FILE_PATH = _mail_url.netloc + _mail_url.path
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
# Seconds an SMTP connection may hang before the attempt fails (and is tried again later).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Partnerskap <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Celery -------------------------------------------------------------------------------------
# The default broker is kombu's file-system transport: no server to run, shared by web, worker
# and beat through folders under var/. Production sets CELERY_BROKER_URL=redis://...
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
# The longest a task may wait unacknowledged in the broker before it is handed out again.
_visibility_timeout = env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=3600)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Every folder of the embedded broker lives under var/ and is made here, at start-up, so
    # that web, worker, beat and `celery inspect` find them from any working directory (kombu
    # would otherwise put its exchange tables in ./control). Processed messages are kept
    # (kombu would move each through the system's temporary folder); bin/run-dev prunes them.
    _broker_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": True,
    }
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    # A task whose worker died unacknowledged goes back to the queue once it has been out this
    # long (seconds). Every retry countdown must stay below it, or Redis re-delivers the task
    # while it waits. The tests shorten it to see a killed worker's task delivered again.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _visibility_timeout,
        # A broker that does not answer a connection attempt within this is treated as down
        # (and retried), instead of hanging a web request that queues a task.
        "socket_connect_timeout": env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=5.0),
    }
    # How often (seconds) a worker looks for such tasks; kombu's default is about 100 s.
    _restore_interval = env.int("CELERY_BROKER_RESTORE_INTERVAL", default=0)
    if _restore_interval > 0:
        CELERY_BROKER_TRANSPORT_OPTIONS |= {
            "unacked_restore_interval": _restore_interval,
            "unacked_restore_throttle": 1,
        }
# Workers and beat reconnect to the broker forever, also when it is away at start-up (Celery
# gives up after 100 attempts by default, and the process exits).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task that meets a database or broker outage is retried (config/celery.py) after about
# BACKOFF, 2×BACKOFF, 4×BACKOFF ... seconds, each wait at most BACKOFF_MAX, at most MAX_RETRIES
# times. The waits, even added up, stay below the broker's visibility timeout.
TASK_OUTAGE_MAX_RETRIES = env.int("TASK_OUTAGE_MAX_RETRIES", default=6)
TASK_OUTAGE_RETRY_BACKOFF = env.int("TASK_OUTAGE_RETRY_BACKOFF", default=5)
TASK_OUTAGE_RETRY_BACKOFF_MAX = min(
    env.int("TASK_OUTAGE_RETRY_BACKOFF_MAX", default=300),
    int(_visibility_timeout * 0.8 / max(TASK_OUTAGE_MAX_RETRIES, 1)),
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Status digests (portfolio/services/digests.py) ------------------------------------------
# Local hour (in each region's time zone) at which Monday's digests become due.
DIGEST_SEND_HOUR = env.int("DIGEST_SEND_HOUR", default=7)
# Digests sent over one SMTP connection.
DIGEST_BATCH_SIZE = env.int("DIGEST_BATCH_SIZE", default=50)
# A failed send is retried after about BASE, 2×BASE, 4×BASE ... seconds (with jitter, capped
# below the broker's visibility timeout), at most MAX_ATTEMPTS sends in all.
DIGEST_RETRY_BASE_SECONDS = env.float("DIGEST_RETRY_BASE_SECONDS", default=60.0)
DIGEST_MAX_ATTEMPTS = env.int("DIGEST_MAX_ATTEMPTS", default=6)

# --- E-mail outbox (core/outbox.py) -------------------------------------------------------------
# Every e-mail is written to the outbox with the change that causes it, then sent by a worker.
# A failed attempt is tried again after about BASE, 2×BASE, 4×BASE ... seconds (with jitter,
# never more than MAX apart) until the mail is MAX_AGE_HOURS old; then it is marked failed and
# shown to administrators. Sent and failed mail is deleted after KEEP_DAYS.
OUTBOX_MAX_AGE_HOURS = env.float("OUTBOX_MAX_AGE_HOURS", default=48.0)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=30.0)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=1800.0)
# Mails sent over one SMTP connection.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)

# --- Leader dashboard (portfolio/selectors/dashboard_cache.py) ---------------------------------
# The figures are cached until the data they count changes; this bounds how long a change that
# leaves no trace in the audit trail (a renamed clinic, say) takes to show. 0 turns caching off.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)

# --- Health (/health/, config/health.py) -----------------------------------------------------
# What /health/ checks; it answers 500 if any fails. Add a check here (a HealthCheck dataclass,
# optionally as (path, {options})), e.g. the e-mail outbox's backlog.
HEALTH_CHECKS = [
    "health_check.checks.Database",
    "health_check.checks.Cache",
    "health_check.checks.Storage",
    "config.health.Broker",
    "config.health.OutboxBacklog",
]
# /health/ fails when an e-mail has waited longer than this (the outbox retries for days).
OUTBOX_HEALTH_MAX_WAIT_MINUTES = env.int("OUTBOX_HEALTH_MAX_WAIT_MINUTES", default=60)

# --- Forms --------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
# A refused form gets a page in the site's layout and language (config/errors.py).
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Load balancers probe /health/ over plain HTTP inside the network: no redirect for it.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sessions are read from the cache and written through to the database: a cache outage or a
# flushed cache logs no one out, and a shared cache saves a query on every request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: inactivity ends it
X_FRAME_OPTIONS = "DENY"
# Password-reset links are valid this long (seconds).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)

# Content-Security-Policy (django-csp): everything from our own origin, no inline script or
# style, no framing. Bootstrap's form controls draw their icons from data: SVGs, hence img-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login protection (django-axes): failures count per username AND client address together, so
# guessing many usernames from one address locks none of them out for everyone, and a user
# stays able to log in from elsewhere while one address is locked out.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "clinics.views_auth.lockout"
AXES_CLIENT_IP_CALLABLE = "clinics.security.client_ip"
AXES_VERBOSE = False  # the `security` logger reports logins and lockouts itself
# Behind N reverse proxies that each append to X-Forwarded-For, set this to N; with 0 the
# header is ignored (a client could write anything into it).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Two-factor login (django-otp, TOTP with recovery codes). Roles listed here must use it; the
# others may. Development (`make run`) and the test suite set it empty so that the demo and
# test logins work with a password alone.
TWO_FACTOR_REQUIRED_ROLES = env.list(
    "TWO_FACTOR_REQUIRED_ROLES", default=["leader", "partner", "admin"]
)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Partnerskap")
# django-otp's throttle counts wrong codes per device, from every address together: a dozen
# wrong codes from anywhere would lock the person out everywhere. Wrong codes count in
# django-axes instead, per person and address like wrong passwords (clinics/security.py).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Administrators may remove a person's devices (a lost phone) but never read their keys or
# recovery codes: that would let them log in as the person.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- REST API (Django REST Framework, drf-spectacular) -------------------------------------------
# Token (scripts, BI tools) or session (the browser) authentication; every endpoint is scoped
# through the same ``visible_to`` rules as the pages. Rates: "<number>/<second|minute|hour|day>".
# Tokens are stored as digests and expire after API_TOKEN_DAYS (api/models.py).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=50),
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="30/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only: the browsable docs are the Swagger UI page (/api/v1/docs/), which keeps to the
    # CSP; DRF's own browsable pages would not.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partnerskap API",
    "DESCRIPTION": "Read the portfolio (regions, clinics, projects, milestones, agreements, "
    "ideas) and update milestones. Scoped to what the token's owner may see.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page's JavaScript and CSS come from our own static files (no CDN).
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MilestoneStatusEnum": "partners.models.Milestone.Status",
        "AgreementStatusEnum": "partners.models.Agreement.Status",
        "IdeaStatusEnum": "portfolio.models.Idea.Status",
    },
}

# --- Audit trail (django-simple-history) ---------------------------------------------------------
# History is read-only: no "revert" in the admin (a revert would bypass the services' rules).
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # pysaml2's schema library announces every schema it loads.
        "xmlschema": {"level": "WARNING"},
        # Logins, failed logins, lockouts, logouts and refused requests (never passwords).
        "security": {"level": env.str("SECURITY_LOG_LEVEL", default="INFO")},
        # The board report's PDF: fontTools announces every font subset it makes.
        "fontTools": {"level": "WARNING"},
    },
}

# The public results pages (/results/): anonymous requests per address (the API's throttle, in
# the shared cache), and how long a page is kept for anonymous visitors at most (publishing,
# unpublishing and editing a published result empty it at once; results/cache.py).
RESULTS_THROTTLE_ANON = env.str("RESULTS_THROTTLE_ANON", default="120/minute")
RESULTS_CACHE_SECONDS = env.int("RESULTS_CACHE_SECONDS", default=300)
