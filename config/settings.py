"""Settings for the Technical Assistance Tracker.

Every value comes from the environment (see .env.example) with a default that works on
a laptop: SQLite in var/, console e-mail, DEBUG off unless asked for.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", False)
# The test suite runs under pytest (DEBUG off, like production): only then, or on a
# developer's machine with DEBUG on, may the test shortcuts (MD5 hasher, a known key, no
# HTTPS redirect) apply. The flags are refused in production (issue #12, door 9).
_UNDER_PYTEST = "pytest" in sys.modules
_TEST_FLAGS = {name: env_bool(name, False) for name in ("TAT_TESTING", "TAT_ALLOW_INSECURE_KEY")}
if not DEBUG and not _UNDER_PYTEST:
    for _flag, _on in _TEST_FLAGS.items():
        if _on:
            raise ImproperlyConfigured(
                f"{_flag} is for tests and local development only: it is refused when DEBUG "
                f"is off. Unset {_flag} (or set DEBUG=true on your own machine)."
            )
TESTING = _UNDER_PYTEST or _TEST_FLAGS["TAT_TESTING"]

_INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY_MIN_LENGTH = 50  # as Django's deploy check (security.W009)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING or _TEST_FLAGS["TAT_ALLOW_INSECURE_KEY"]:
        SECRET_KEY = _INSECURE_KEY
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value "
            "(or DEBUG=true for local development)."
        )
elif not DEBUG and (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} random characters (at least 5 "
        "different ones, not Django's generated 'django-insecure-' key) in production."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_htmx",
    "ninja",
    "core",
    "reference",
    "accounts",
    "goals",
    "activities",
    "search",
    "oversight",
    "reports",
    "demo",
    "workspace",
    "api",
    "transfer",
    "administration",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",  # issue #12: 503 while the DB is down
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.limits.RequestTooLargeMiddleware",
    "core.middleware.AdminOnlyMiddleware",
    "core.middleware.SessionTimeoutMiddleware",
    "core.middleware.LoginRequiredMiddleware",
    "core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workspace.context_processors.shell",
                "core.context_processors.session_timeout",
            ],
        },
    },
]

# Database: SQLite in var/ by default; anything else through DATABASE_URL.
_default_sqlite = f"sqlite:///{VAR_DIR / 'tat.sqlite3'}"
_database_url = env_str("DATABASE_URL", "") or _default_sqlite
try:
    _db = dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except Exception as exc:  # dj_database_url raises several kinds for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if not _db.get("ENGINE"):
    raise ImproperlyConfigured(f"DATABASE_URL names an unknown database: {_database_url!r}")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE avoids lock upgrades.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=5000; PRAGMA cache_size=-64000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    if _db["NAME"] and _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.TATAdministratorBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Issue 12 (door 7): an offline strength estimate (zxcvbn), the reason shown to the person.
    {"NAME": "accounts.validators.ZxcvbnValidator"},
]
PASSWORD_MIN_STRENGTH = env_int("PASSWORD_MIN_STRENGTH", 3)  # zxcvbn score 0–4
# Issue 12 (door 5): a reset link works for at most a day (Django's default is three days).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_HOURS", 24) * 60 * 60
# Reset e-mails per hour for one e-mail address and for one client address; further requests
# get the same "check your e-mail" page and no e-mail. Counted in the database, which every
# web process shares (accounts.throttling.rate_limit_hit; docs/proxy.md says why).
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env_int("PASSWORD_RESET_LIMIT_PER_CLIENT", 10)
LOGIN_URL = "login"
# The admin site's path (issue #12, door 10): relative, without a leading slash.
ADMIN_PATH = env_str("ADMIN_PATH", "admin/").strip().strip("/")
_SITE_PATHS = {
    "accounts", "activities", "goals", "search", "reference", "static", "help", "api", "transfer",
    "review", "states", "records", "notifications", "administration",
}  # fmt: skip
if (
    not re.fullmatch(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*", ADMIN_PATH)
    or ADMIN_PATH.split("/")[0] in _SITE_PATHS
):
    raise ImproperlyConfigured(
        f"ADMIN_PATH must be a path of letters, digits, '-' and '_' (such as 'office/admin') "
        f"that no page of the site uses, not {ADMIN_PATH!r}."
    )
ADMIN_PATH += "/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
# Issue 12 (door 6): also lock an address that fails with many names (password spraying), at
# a higher limit; accounts.throttling.LoginThrottleHandler applies the two limits.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_HANDLER = "accounts.throttling.LoginThrottleHandler"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_USERNAME_CALLABLE = "accounts.views.axes_username"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [p for p in (BASE_DIR / "static", BASE_DIR / "static_build") if p.exists()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tat@localhost")
# The site's own address, for absolute links in e-mails (R3 reminders).
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must start with http:// or https://.")

# Security: secure cookies and HSTS unless DEBUG (a laptop serves plain HTTP).
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), never the cookie
# `__Host-` cookies are sent only over HTTPS, for the whole site, to this host alone: no
# subdomain can set or shadow them (issue #12, door 4). Plain names over local HTTP.
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"
SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = None
# Sessions (issue #12, door 2): an absolute limit counted from sign-in (SESSION_COOKIE_AGE),
# an idle limit with a warning shortly before it, and no session outlives the browser.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_IDLE_WARNING_SECONDS = env_int("SESSION_IDLE_WARNING_SECONDS", 120)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
for _name in ("SESSION_COOKIE_AGE", "SESSION_IDLE_TIMEOUT_MINUTES", "SESSION_IDLE_WARNING_SECONDS"):
    if globals()[_name] <= 0:
        raise ImproperlyConfigured(f"{_name} must be a positive whole number.")
# What a form sent after its session expired is kept through sign-in, up to this size.
SESSION_SAVED_FORM_MAX_BYTES = 64 * 1024
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
# The client's address (sign-in throttling, reset limits): behind TRUSTED_PROXY_COUNT proxies
# that each append the address they received from to X-Forwarded-For, the client is the entry
# that many places from the right (django-ipware, read by django-axes). docs/proxy.md.
TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_TLS_PROXY", False) else 0
)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
if TRUSTED_PROXY_COUNT:
    # ipware counts the proxies listed in the header: all but the one that connects to us.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
else:
    AXES_IPWARE_PROXY_COUNT = None
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# Longer chains than expected (a client sending its own X-Forwarded-For) are still read from
# the right, not thrown away for the proxy's own address.
IPWARE_STRICT = False
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: every asset is served by us, nothing inline but what is hashed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)

# The security-event log (core.security_log): one JSON line per event on `tat.security`,
# to standard error by default (the process manager collects it); SECURITY_LOG_LEVEL=WARNING
# silences it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json_line": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": {"class": "logging.StreamHandler", "formatter": "json_line"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "tat.security": {
            "handlers": ["security"],
            "level": env_str("SECURITY_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}

# Site-wide facts used by the rules.
TAT_LATE_ENTRY_BUSINESS_HOURS = 72
TAT_SUMMARY_DUE_BUSINESS_DAYS = 10
TAT_SITE_NAME = "Technical Assistance Tracker"
# Issue 12 (door 8): the most characters any free-text field takes (core/limits.py), and the
# largest form a request may carry (Django's own check; core.limits answers 413).
TAT_TEXT_MAX_LENGTH = env_int("TAT_TEXT_MAX_LENGTH", 20_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", int(2.5 * 1024 * 1024))

# The API (issue #11, docs/api.md): requests per token (or signed-in person) and period, counted
# in the `api` cache — a database table every web process shares (created by the api app's
# migration); personal tokens last at most API_TOKEN_MAX_DAYS days.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tat_api_cache",
    },
}
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/min")
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)

if os.environ.get("TAT_SQL_DEBUG"):
    LOGGING["loggers"]["django.db.backends"] = {"level": "DEBUG", "handlers": ["console"]}
