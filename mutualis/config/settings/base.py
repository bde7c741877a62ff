"""Production-safe settings: everything comes from the environment, DEBUG is off."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mutualis.config.env import (
    env_bool,
    env_choice,
    env_header,
    env_int,
    env_list,
    env_networks,
    env_str,
    env_webhooks,
)

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = BASE_DIR / "mutualis"

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that its templates (registration/*) win over the admin's.
    "mutualis.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mutualis.territory",
    "mutualis.members",
    "mutualis.catalog",
    "mutualis.metering",
    "mutualis.billing",
    "mutualis.purchasing",
    "mutualis.staffing",
    "mutualis.governance",
    "mutualis.iot",
    "mutualis.alerts",
    "mutualis.support",
    "mutualis.opendata",
    "mutualis.imports",
    "mutualis.surveys",
    "mutualis.insights",
    "mutualis.audit",
    "mutualis.proconnect",
    "mutualis.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The audit trail (mutualis/audit) reads the user and the client's address of each change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mutualis.core.middleware.LoginRequiredMiddleware",
    # Staff who can issue titres or manage rights give a second factor (core/twofactor.py).
    "mutualis.core.twofactor.SecondFactorMiddleware",
    "mutualis.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mutualis.config.urls"
WSGI_APPLICATION = "mutualis.config.wsgi.application"

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
                "mutualis.core.context_processors.navigation",
            ],
        },
    },
]

(BASE_DIR / "var").mkdir(exist_ok=True)

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'mutualis.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the job worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # ProConnect (mutualis/proconnect): acts only on the return of ProConnect's login.
    "mutualis.proconnect.backend.ProConnectBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The client's address behind a reverse proxy (mutualis.core.security.client_ip): the header
# the proxy writes it in (empty: the connection's address), how many proxies append to that
# header, and the proxies' own addresses when the header is to be believed only from them.
CLIENT_IP_HEADER = env_header("CLIENT_IP_HEADER", "")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 1 or more.")
TRUSTED_PROXY_NETWORKS = env_networks("TRUSTED_PROXY_IPS")

# Login throttling: 5 failures lock the username+address pair for 15 minutes, so that failures
# sprayed from one address do not lock the account out for everyone else.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "mutualis.core.security.client_ip"

# Password reset links: at most so many asked per hour from one address, and for one email.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 10)
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)

# Counters of the limits above and of the API throttling. "locmem" counts in each process;
# "database" shares them between web processes (run `manage.py createcachetable` once).
CACHE_BACKEND = env_choice("CACHE_BACKEND", "locmem", ("locmem", "database"))
CACHES = {
    "default": {
        "BACKEND": {
            "locmem": "django.core.cache.backends.locmem.LocMemCache",
            "database": "django.core.cache.backends.db.DatabaseCache",
        }[CACHE_BACKEND],
        "LOCATION": "mutualis_cache",
    }
}

# Uploaded délibérations, conventions and other documents: at most this many megabytes.
DOCUMENT_MAX_MB = env_int("DOCUMENT_MAX_MB", 10)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"

# Security: secure cookies and headers unless explicitly relaxed for local HTTP.
SECURE_COOKIES = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["mutualis.core.api.Rights"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mutualis.core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "mutualis.core.api.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": ["mutualis.core.api.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_THROTTLE_RATE", "5000/hour"),
        # POST /api/v1/token/, by client address (mutualis.core.api.TokenRateThrottle).
        "token": env_str("API_TOKEN_THROTTLE_RATE", "30/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mutualis API",
    "DESCRIPTION": "API JSON de Mutualis : membres, adhésions, services, souscriptions, demandes.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Background jobs: Django's tasks API with a database-backed queue (SQLite or PostgreSQL).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job that gave no sign of life for this long is taken as abandoned, and failed.
JOB_STALE_AFTER_MINUTES = env_int("JOB_STALE_AFTER_MINUTES", 30)
# An open alert nobody acknowledged for this long is escalated (once).
ALERT_ESCALATION_MINUTES = env_int("ALERT_ESCALATION_MINUTES", 240)

# Imported files (CSV/XLSX): every one is bounded before it is read.
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 10)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 300_000)
IMPORT_MAX_COLUMNS = 100
IMPORT_MAX_CELL_LENGTH = 2_000
IMPORT_MAX_XLSX_EXPANDED_MB = env_int("IMPORT_MAX_XLSX_EXPANDED_MB", 200)

# The territorial data platform: the MQTT broker the ingestion workers read
# (`mutualis iot ingest`), and the network servers allowed to post uplinks by HTTP, as
# `name=kind:token` pairs (kind: chirpstack or tts), e.g. `sdn=chirpstack:long-random-token`.
IOT_MQTT_HOST = env_str("IOT_MQTT_HOST", "127.0.0.1")
IOT_MQTT_PORT = env_int("IOT_MQTT_PORT", 1883)
IOT_MQTT_USERNAME = env_str("IOT_MQTT_USERNAME", "")
IOT_MQTT_PASSWORD = env_str("IOT_MQTT_PASSWORD", "")
IOT_MQTT_TLS = env_bool("IOT_MQTT_TLS", False)
IOT_MQTT_CLIENT_ID = env_str("IOT_MQTT_CLIENT_ID", "")
IOT_MQTT_GROUP = env_str("IOT_MQTT_GROUP", "mutualis")
IOT_WEBHOOKS = env_webhooks("IOT_WEBHOOKS")
# Storage of the readings (docs/iot.md): monthly partitions created this many months ahead
# (PostgreSQL); raw values and hourly rollups kept this many days (0: forever); daily
# rollups are kept.
IOT_PARTITION_MONTHS_AHEAD = env_int("IOT_PARTITION_MONTHS_AHEAD", 3)
IOT_RAW_RETENTION_DAYS = env_int("IOT_RAW_RETENTION_DAYS", 400)
IOT_HOURLY_RETENTION_DAYS = env_int("IOT_HOURLY_RETENTION_DAYS", 1100)
# Hypervision: a sensor is silent past this many times its reporting interval; a battery is
# low under this voltage; a gateway is lost after this many minutes without an uplink.
IOT_SILENT_FACTOR = env_int("IOT_SILENT_FACTOR", 3)
IOT_BATTERY_LOW_MILLIVOLTS = env_int("IOT_BATTERY_LOW_MILLIVOLTS", 3300)
IOT_GATEWAY_SILENT_MINUTES = env_int("IOT_GATEWAY_SILENT_MINUTES", 30)
# Support (docs/support.md): the GLPI REST API (apirest.php) and its tokens, used when the
# operator has not set them on the page; seconds before a silent GLPI is given up.
SUPPORT_GLPI_URL = env_str("SUPPORT_GLPI_URL", "")
SUPPORT_GLPI_APP_TOKEN = env_str("SUPPORT_GLPI_APP_TOKEN", "")
SUPPORT_GLPI_USER_TOKEN = env_str("SUPPORT_GLPI_USER_TOKEN", "")
SUPPORT_GLPI_TIMEOUT = env_int("SUPPORT_GLPI_TIMEOUT", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mutualis@localhost")

# ProConnect (OpenID Connect of the DINUM, docs/proconnect.md): off unless the three are set.
# PROCONNECT_ISSUER is the issuer whose /.well-known/openid-configuration is read, e.g.
# the address given by ProConnect's partners space (production or integration platform).
PROCONNECT_ISSUER = env_str("PROCONNECT_ISSUER", "")
PROCONNECT_CLIENT_ID = env_str("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = env_str("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_SCOPES = env_str(
    "PROCONNECT_SCOPES", "openid email given_name usual_name siret idp_id uid"
)
PROCONNECT_ACR_VALUES = env_str("PROCONNECT_ACR_VALUES", "")  # e.g. eidas1; empty: not asked
PROCONNECT_TIMEOUT = env_int("PROCONNECT_TIMEOUT", 10)
# mozilla-django-oidc, the client library (the endpoints come from the discovery document).
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the logout at ProConnect
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "proconnect:callback"
OIDC_TIMEOUT = PROCONNECT_TIMEOUT

# The operator running this instance.
OPERATOR_NAME = env_str("OPERATOR_NAME", "Opérateur public de services numériques")
# The name authenticator apps show beside the account (TOTP second factor).
OTP_TOTP_ISSUER = OPERATOR_NAME
# Its territory (département codes), for coverage figures; by default where its adherents are.
OPERATOR_DEPARTEMENTS = env_list("OPERATOR_DEPARTEMENTS", [])
