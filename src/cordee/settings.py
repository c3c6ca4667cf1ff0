"""Cordée's one settings module. Every value comes from the environment; `.env.example`
lists each variable with its default. SQLite is the embedded default, PostgreSQL is selected
with DATABASE_URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from cordee.lib.env import env_bool, env_int, env_list, env_secret, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("CORDEE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("CORDEE_DEBUG", False)
SECRET_KEY = env_secret("CORDEE_SECRET_KEY", "insecure-development-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("CORDEE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CORDEE_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("CORDEE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

HUB_NAME = env_str("CORDEE_HUB_NAME", "Altitudes Coopérantes")

# --- Accounting exports (ledger/exports.py) ---------------------------------------------
# The hub's SIREN names the FEC file; the default is a fictional one (right Luhn key) for the demo.
HUB_SIREN = env_str("CORDEE_HUB_SIREN", "123456782")
FISCAL_YEAR_END = env_str("CORDEE_FISCAL_YEAR_END", "12-31")  # MM-DD, the last day of the fiscal year

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "cordee.core",
    "cordee.network",
    "cordee.ledger",
    "cordee.premises",
    "cordee.invoicing",
    "cordee.governance",
    "cordee.treasury",
    "cordee.staffing",
    "cordee.skills",
    "cordee.clearing",
    "cordee.practices",
    "cordee.projects",
    "cordee.reporting",
    "cordee.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cordee.urls"
WSGI_APPLICATION = "cordee.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "cordee.core.context_processors.hub",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cordee.sqlite3'}")
_database = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CORDEE_DB_CONN_MAX_AGE", 0))
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two writers queue up
    # instead of failing with "database is locked" half-way (as healthchecks does).
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = env_int("CORDEE_PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)

# Throttling of repeated login failures (django-axes): locked per username and address.
AXES_ENABLED = env_bool("CORDEE_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("CORDEE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("CORDEE_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env_int("CORDEE_PROXY_COUNT", 0)
AXES_VERBOSE = False

# --- Security -------------------------------------------------------------------------
SECURE_HTTPS = env_bool("CORDEE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("CORDEE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0)
SECURE_SSL_REDIRECT = env_bool("CORDEE_SSL_REDIRECT", False)
if env_int("CORDEE_PROXY_COUNT", 0):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

MAP_TILE_URL = env_str("CORDEE_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "CORDEE_MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
_tile_origin = "{0.scheme}://{0.netloc}".format(urlsplit(MAP_TILE_URL)) if "://" in MAP_TILE_URL else ""

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"] + ([_tile_origin] if _tile_origin else []),
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("CORDEE_STATIC_ROOT", str(VAR_DIR / "static")))
# The site's own CSS and JavaScript and the vendored Leaflet live in the package, not in an app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("CORDEE_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("CORDEE_MANIFEST_STATIC", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
LOGO_MAX_BYTES = env_int("CORDEE_LOGO_MAX_BYTES", 1_048_576)
IMPORT_MAX_BYTES = env_int("CORDEE_IMPORT_MAX_BYTES", 10_485_760)

# --- E-mail and tasks -----------------------------------------------------------------
EMAIL_BACKEND = env_str("CORDEE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("CORDEE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("CORDEE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("CORDEE_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("CORDEE_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CORDEE_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("CORDEE_EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("CORDEE_DEFAULT_FROM_EMAIL", "Cordée <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": env_str("CORDEE_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CORDEE_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
