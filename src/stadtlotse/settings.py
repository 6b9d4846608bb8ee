"""The one settings module, driven by environment variables.

STADTLOTSE_MODE chooses the profile:

- ``production`` (default): every secret comes from the environment; secure cookies, HSTS,
  HTTPS redirect; ``manage.py check --deploy`` is clean.
- ``demo``: set by ``stadtlotse demo``; SQLite, plain HTTP on localhost, debug still off.
- ``test``: set by the test suite; like demo, with a fast password hasher.

Invalid configuration raises ``ImproperlyConfigured`` with the name of the variable, which
``stadtlotse serve`` prints before it stops.
"""

import ipaddress
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
# Under pytest the test profile is the default, since pytest-django loads settings before
# any conftest could set the variable.
MODE = os.environ.get("STADTLOTSE_MODE") or ("test" if "pytest" in sys.modules else "production")
if MODE not in {"production", "demo", "test"}:
    raise ImproperlyConfigured("STADTLOTSE_MODE must be one of production, demo, test.")
PRODUCTION = MODE == "production"


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Behind a reverse proxy at TRUSTED_PROXY: the server (waitress) takes the client's address from
# the X-Forwarded-For entry that proxy appended (rate limits and the login lock-out count
# citizens, not the proxy) and the scheme from X-Forwarded-Proto. Other clients' headers are
# dropped, so nobody dodges a limit by sending them.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
TRUSTED_PROXY = os.environ.get("TRUSTED_PROXY", "127.0.0.1")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters in production."
        )
elif not SECRET_KEY:
    # Demo and tests run on localhost only; `stadtlotse demo` passes a key kept beside its database.
    SECRET_KEY = "insecure-local-only-key-for-demo-and-tests-" + "x" * 20

if PRODUCTION:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must name the host names of this installation, comma-separated."
        )
else:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "template_partials",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "stadtlotse.core",
    "stadtlotse.strategy",
    "stadtlotse.portfolio",
    "stadtlotse.finance",
    "stadtlotse.governance",
    "stadtlotse.council",
    "stadtlotse.participation",
    "stadtlotse.schools",
    "stadtlotse.onlineservices",
    "stadtlotse.reporting",
    "stadtlotse.oparl",
    "stadtlotse.api",
    "stadtlotse.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stadtlotse.core.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stadtlotse.urls"
WSGI_APPLICATION = "stadtlotse.wsgi.application"

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
                "csp.context_processors.nonce",
                "stadtlotse.core.context_processors.municipality",
            ],
        },
    }
]

# Database: SQLite beside the working directory by default, PostgreSQL through DATABASE_URL.
_default_sqlite = os.environ.get("STADTLOTSE_SQLITE_PATH", str(Path.cwd() / "stadtlotse.sqlite3"))
try:
    DATABASES = {
        "default": dj_database_url.config(
            env="DATABASE_URL",
            default=f"sqlite:///{_default_sqlite}",
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    pass
else:
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL or SQLite.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if MODE == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Brute-force protection: five failures per user name and address lock for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic writes here in production; demo and tests serve from the source folders.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", Path.cwd() / "staticfiles")) if PRODUCTION else None
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (demo, tests), WhiteNoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = False
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", Path.cwd() / "media"))

# Mail
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "stadtlotse@localhost")
# The operator's address for accessibility feedback, named on the installation's accessibility
# statement (each municipality names its own in its settings).
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")

# The OParl importer connects to public addresses only; these networks (comma-separated CIDR)
# are allowed besides, e.g. the council information system in the IT provider's intranet.
# Tests and the demo read from servers on this machine.
OPARL_ALLOWED_NETWORKS = env_list("OPARL_ALLOWED_NETWORKS", [] if PRODUCTION else ["127.0.0.0/8", "::1/128"])
try:
    for _network in OPARL_ALLOWED_NETWORKS:
        ipaddress.ip_network(_network, strict=False)
except ValueError as exc:
    raise ImproperlyConfigured(f"OPARL_ALLOWED_NETWORKS: {exc}") from exc
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address of this installation, for links in mails (e.g. https://digital.example.de).
SITE_URL = os.environ.get("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
if not PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Security headers. The content security policy allows no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the form, not the cookie
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Background work (mail, reminders, imports, report rendering) through Django's task interface.
# Production and demo keep the queue in the database (``stadtlotse worker`` runs it; ``serve``
# and ``demo`` start a worker thread beside the web server); tests run each task at once.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if MODE == "test"
        else "django_tasks_db.DatabaseBackend"
    }
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 100
# Imports carry a project list of up to 5 MB between their steps.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
SERIALIZATION_MODULES = {"stadtlotse-json": "stadtlotse.core.backupformat"}
