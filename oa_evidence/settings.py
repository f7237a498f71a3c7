"""Settings for OA Evidence.

With no configuration it runs on SQLite in debug mode, so a fresh checkout just works.
Everything that differs between machines comes from the environment:

- DATABASE_URL   e.g. postgres://postgres@127.0.0.1:5432/oa_evidence (default: SQLite)
- SECRET_KEY     required when DEBUG is off
- DEBUG          "true"/"false" (default: true)
- ALLOWED_HOSTS  comma-separated (default: localhost names)
- SITE_URL       the public address, for links in files built outside a request (default: http://localhost:8000)

Production serving uses oa_evidence.production, which turns on the secure defaults.
"""

import os
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

from core.db_router import replica_databases

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-not-secret"  # noqa: S105 - never used with DEBUG off

# The admin pages (for curators to inspect a load) are served only when asked for.
ADMIN_ENABLED = env_bool("ADMIN_ENABLED", DEBUG)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if IS_POSTGRES:
    # A database that accepts connections but never answers must not hang requests: give up on
    # connecting after DB_CONNECT_TIMEOUT seconds and on any statement after DB_STATEMENT_TIMEOUT_MS.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "5")),
        # A misspelt word finds what it is this close to (pg_trgm word similarity, 0 to 1; the
        # default 0.6 misses fonics → phonics at 0.57). projects/search.py uses it on fallback.
        "options": f"-c statement_timeout={int(os.environ.get('DB_STATEMENT_TIMEOUT_MS', '15000'))} "
                   "-c pg_trgm.word_similarity_threshold=0.5",
    })
# Web processes give up on any database round trip (connecting included) after this many seconds
# and answer 503 (core/db_deadline.py; 0 turns it off): a hung database cannot hold a request.
DATABASE_DEADLINE_SECONDS = float(os.environ.get("DATABASE_DEADLINE_SECONDS", "4"))
if os.environ.get("DATABASE_REPLICA_URLS"):
    DATABASES.update(replica_databases(os.environ["DATABASE_REPLICA_URLS"]))
    for name in DATABASES:  # replicas answer searches too, with the same timeouts and threshold
        if IS_POSTGRES and name != "default":
            DATABASES[name].setdefault("OPTIONS", {}).update(DATABASES["default"]["OPTIONS"])
    DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "core",
    "projects",
    "costs",
    "outcomes",
    "web",
]
if IS_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")

MIDDLEWARE = [
    "core.middleware.CachingHeadersMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "core.middleware.DataVersionMiddleware",
    "core.cache.PageCacheMiddleware",
]

ROOT_URLCONF = "oa_evidence.urls"
WSGI_APPLICATION = "oa_evidence.wsgi.application"

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
                "core.context_processors.data_version",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # Tests and development serve static files without a collectstatic step.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Where load_evidence reads the curated evidence from.
FIXTURES_DIR = Path(os.environ.get("OA_FIXTURES_DIR", BASE_DIR / "fixtures"))
# The API and the data downloads are public and read-only: any origin may GET them, without
# credentials (a notebook or dashboard in a browser); pages are not shared that way.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api|data)/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# Besides the defaults, a client may revalidate what it holds (ETag → If-None-Match → 304).
CORS_ALLOW_HEADERS = [*default_cors_headers, "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["X-Data-Version", "X-Projects-Without-Cost", "X-Search-Close-Matches", "Link", "ETag"]

# Where the open-data package of each data version is written (web/export.py).
EXPORT_DIR = Path(os.environ.get("EXPORT_DIR", BASE_DIR / "exports"))
# The package's id and Datasette's source link are built outside any request, so they need the address.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "core.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["core.filters.KeptFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "600/minute")},
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": False,
    "URL_FORMAT_OVERRIDE": "format",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.negotiation.FormatNegotiation",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    # How many proxies in front of the site append to X-Forwarded-For. 0: the client is the
    # connecting address and the header is ignored, so it cannot be used to dodge the throttle.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
}

SPECTACULAR_SETTINGS = {
    "LICENSE": {"name": "CC BY 4.0 (data); source documents under the Open Government Licence v3.0",
                "url": "https://creativecommons.org/licenses/by/4.0/"},
    "TITLE": "OA Evidence API",
    "DESCRIPTION": (
        "Read-only access to the curated evidence on England's Opportunity Areas "
        "school-improvement projects: areas, projects, costs, outcomes and their sources."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models have a `kind`; an outcome's gets a name of its own (not a hashed one).
    "ENUM_NAME_OVERRIDES": {"OutcomeKindEnum": "outcomes.evidence.OutcomeKind"},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Deep links put a link inside each operation's expand button, a control inside a control
    # that screen readers and keyboards cannot reach on its own (axe: nested-interactive); the
    # default code colours (agate) fall short of WCAG AA contrast, tomorrow-night's pass.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": {"theme": "tomorrow-night"}},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.document_error_responses",
        "web.dictionary.describe_schema_fields",
    ],
}

# Whole responses are cached per data version (see core/cache.py); off by default
# in development so edits show at once, on in production.
RESPONSE_CACHE_SECONDS = int(os.environ.get("RESPONSE_CACHE_SECONDS", "0" if DEBUG else "600"))

# With REDIS_URL set (production), every worker shares one cache: computed pages, the data
# version and the API throttle. The throttle has a cache of its own, so page traffic can never
# evict a client's count. Without it each process keeps its own in memory (the embedded default).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "oa")
if REDIS_URL:
    # core/redis_cache.py: short timeouts, and a Redis that is down or hung is treated as an empty
    # cache (pages and API answer from the database); the throttle counts in memory meanwhile.
    CACHES = {
        "default": {"BACKEND": "core.redis_cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                    "KEY_PREFIX": CACHE_KEY_PREFIX},
        "throttle": {"BACKEND": "core.redis_cache.ResilientRedisCache",
                     "LOCATION": os.environ.get("REDIS_THROTTLE_URL", REDIS_URL),
                     "KEY_PREFIX": f"{CACHE_KEY_PREFIX}-throttle", "FAIL_SOFT": False},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "oa-evidence"},
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "oa-throttle"},
    }
CACHES["throttle-fallback"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                               "LOCATION": "oa-throttle-fallback"}
# How long a process may reuse the data version it last read. Only a shared cache is told when a
# load happens (the loader forgets the version there), so without one every request reads it.
DATA_VERSION_CACHE_SECONDS = int(os.environ.get("DATA_VERSION_CACHE_SECONDS", "30" if REDIS_URL else "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
