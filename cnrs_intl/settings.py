"""Settings for CNRS International, read from the environment.

Development defaults are safe to run locally; production is switched on by
DJANGO_DEBUG=0, which then requires DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cnrs_intl import links

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
# Set by the test runner (tests/testing_env.py, loaded by pytest's own options): fast hashers,
# local e-mail, static files from the finders. The cache stays whatever REDIS_URL says.
TESTING = env_bool("DJANGO_TESTING", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "dev-only-insecure-key-not-for-production-use-0123456789abcdef"
# Former keys, still accepted while signed values made with them expire (key rotation).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else ""
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    # modeltranslation must precede the admin so its admin classes patch the stock ones.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_countries",
    "django_filters",
    "simple_history",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "offices",
    "partnerships",
    "instruments",
    # The site layer: combines the domain apps above (home, search, dossiers, open data, loaders)
    "cnrs_intl",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL byte or invalid UTF-8 in an admin parameter: 400 (core/middleware.py).
    "core.middleware.AdminParametersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in sessions end after 30 minutes idle or 12 hours in all (core/staff_auth.py).
    "core.staff_auth.SessionLimitsMiddleware",
    # Staff second factor: django-otp marks the verified session, ours enforces it.
    "django_otp.middleware.OTPMiddleware",
    "core.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Below the header middleware, so their answers carry the headers too: a query string over
    # 7 KB is 414, a body over 12 MB 413; search, exports, feeds, open data over budget 429.
    "core.middleware.RequestSizeMiddleware",
    "core.limits.AbuseLimitsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A 404 under a record's former slug: 301 to its current address (cnrs_intl/redirects.py).
    "cnrs_intl.redirects.OldIdentifierMiddleware",
    # axes must be last: it turns lockouts raised by the auth backend into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cnrs_intl.urls"
# Themes and institutes are shown through the instruments list, which only the site layer knows.
ABSOLUTE_URL_OVERRIDES = {"core.theme": links.theme_url, "core.institute": links.institute_url}
WSGI_APPLICATION = "cnrs_intl.wsgi.application"

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
                "core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Tests clear the cache: their own prefix keeps a served site's keys out of reach.
            "KEY_PREFIX": "cnrs_intl_test" if TESTING else "cnrs_intl",
            # Redis unreachable: the cache fails open (a miss, a write dropped, logged) and the
            # site and the API answer from the database; /healthz says 503 "cache".
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "cnrs_intl.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Internationalisation: French first (the institution's language), English beside it.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["cnrs_intl.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# django-countries 9.1 names Nauru by its endonym in English; the country is Nauru in both languages.
COUNTRIES_OVERRIDE = {"NR": "Nauru"}

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr", "en"), "fr": ("en",), "en": ("fr",)}

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
# Open-data releases (manage.py publish_open_data); empty: MEDIA_ROOT/open-data.
OPEN_DATA_ROOT = os.environ.get("OPEN_DATA_ROOT", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Request size limits, in agreement with nginx (deploy/nginx.conf.template) and gunicorn
# (deploy/gunicorn.conf.py); core.middleware.RequestSizeMiddleware answers the first two.
# A query string over 7 KB: 414 (gunicorn's request line: 8 KB; nginx's: 8 KB, then 414).
MAX_QUERY_STRING_BYTES = int(os.environ.get("MAX_QUERY_STRING_BYTES", str(7 * 1024)))
# A body over 12 MB: 413 (nginx client_max_body_size 12m: a 10 MB file and its form).
MAX_REQUEST_BODY_BYTES = int(os.environ.get("MAX_REQUEST_BODY_BYTES", str(12 * 1024 * 1024)))
# A form body other than files over 10 MB, or over 1,000 fields (GET or POST): 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# Uploaded files over 5 MB go to a temporary file rather than memory (not a cap: core/images.py
# and core/documents.py cap each kind of file).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGIN_URL = "admin:login"
# A form refused for its CSRF token: the site's 403 page, logged (cnrs_intl/errors.py).
CSRF_FAILURE_VIEW = "cnrs_intl.errors.csrf_failure"

# Staff typing "www.example.org" in a URL field mean https (Django 6's default, opted into now).
FORMS_URLFIELD_ASSUME_HTTPS = True

# Security headers: strict by default, HTTPS-only settings when not in debug.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Staff sessions: the cookie lasts 12 hours at most; SessionLimitsMiddleware ends a session
# idle for 30 minutes, or 12 hours after sign-in whatever the activity.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_IDLE_TIMEOUT = int(os.environ.get("DJANGO_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT = SESSION_COOKIE_AGE
if not DEBUG:
    # __Host-: sent only over HTTPS, to this host, for the whole site (no Domain, Path=/).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        # Nothing unless allowed below.
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'none'"],
        "worker-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The reverse proxies in front of the application that append the address they see to
# X-Forwarded-For (nginx: 1). The client's address is read through exactly that many, by
# django-axes, the API throttle and the security log alike (core.security.client_ip); 0 = none,
# the connection's address is the client's. API_NUM_PROXIES is its former name.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES") or os.environ.get("API_NUM_PROXIES") or 0)

# django-axes: lock a username + client address pair after five failures, for an hour (further
# failures do not restart the hour); and, whatever the address, an account after
# LOGIN_ACCOUNT_FAILURE_CAP failures within LOGIN_ACCOUNT_FAILURE_WINDOW seconds. Both answer 429.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", True)
AXES_HANDLER = "core.staff_auth.AccountCapHandler"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip_for_axes"
AXES_LOCKOUT_TEMPLATE = "429.html"
LOGIN_ACCOUNT_FAILURE_CAP = 100
LOGIN_ACCOUNT_FAILURE_WINDOW = 60 * 60

# Abuse limits (core/limits.py): per client address (through TRUSTED_PROXIES; IPv6 by /64), a
# budget per kind of page, counted in the shared cache (Redis: across workers and servers) in a
# fixed window of the rate's unit; over budget: 429 with Retry-After; cache down: let through.
# Rates like "60/min", "1000/day"; "off" lifts a budget. Views: fnmatch patterns on the URL name.
# The API's budget is DRF's throttle (API_ANON_RATE, below).
ABUSE_LIMITS = {
    "search": {
        "rate": os.environ.get("LIMIT_SEARCH_RATE", "60/min"),
        "views": ["search"],
    },
    "exports": {
        "rate": os.environ.get("LIMIT_EXPORTS_RATE", "30/min"),
        "views": ["*:export-*", "*:networks-export-*"],
    },
    "feeds": {
        "rate": os.environ.get("LIMIT_FEEDS_RATE", "60/min"),
        "views": ["feeds:*"],
    },
    "open-data": {
        "rate": os.environ.get("LIMIT_OPEN_DATA_RATE", "30/min"),
        "views": ["open-data-*"],
    },
}

# Staff second factor (core/two_factor.py): always in production; in debug when asked for.
STAFF_REQUIRE_2FA = (not DEBUG) or env_bool("DJANGO_STAFF_2FA", False)
OTP_TOTP_ISSUER = "CNRS International"

# The API is read-only and public: CORS lets other sites read it, never write.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# Scripts on other sites may read the validators (conditional requests) and the rate left.
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "Retry-After",
]
# Cache-Control max-age of anonymous reads (API, feeds, downloads, open data), in seconds.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# Security events (core.security.security_event) are JSON lines on their own logger.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.security.JsonLineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "loggers": {
        "security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# -- API: Django REST framework and drf-spectacular (issue 5) ---------------------------------
# Read-only and public: no authentication (drafts never reach the API), JSON only, anonymous
# clients throttled per address through the cache (API_ANON_RATE, e.g. "120/min").
# TRUSTED_PROXIES (above): how many reverse proxies append to X-Forwarded-For in front of the
# app, so the throttle sees the client's address rather than the proxy's.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # The catalogue's viewsets use core.api.AnonymousThrottle (same "anon" bucket), which reads
    # the rate at each request; naming it here would import core.api while DRF loads.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/min")},
    # core.api.AnonymousThrottle reads the address through core.security.client_ip; this is for
    # DRF's own throttles, with the same trusted proxies (0: never believe X-Forwarded-For).
    "NUM_PROXIES": TRUSTED_PROXIES,
    # The catalogue's viewsets set core.api.CatalogAutoSchema themselves (lang, 400/404/429).
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CNRS International API",
    "DESCRIPTION": (
        "Read-only data of the CNRS international cooperation network: sectors, countries, "
        "offices, themes, CNRS institutes, instrument kinds, networks, institutions, instruments, "
        "agreements, calls and milestones. Only published records. The filter parameters mean "
        "the same as on the public pages; repeat one for several values. Open data under the "
        "Licence Ouverte / Open Licence version 2.0 (Etalab)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "displayOperationId": False},
    "ENUM_NAME_OVERRIDES": {
        "DateStatusEnum": "core.models.DateStatus",
        "InstitutionKindEnum": "partnerships.models.Institution.Kind",
        "AgreementKindEnum": "partnerships.models.Agreement.Kind",
        "DatePrecisionEnum": "core.models.DatePrecision",
    },
    "DISABLE_ERRORS_AND_WARNINGS": False,
}
# -- end of API settings ----------------------------------------------------------------------
