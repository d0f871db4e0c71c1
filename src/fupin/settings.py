"""Fupin settings, read from the environment.

FUPIN_DATA_DIR   where the embedded database, secret key and uploads live (default ./var)
DATABASE_URL     postgres://user@host:port/name selects PostgreSQL, sqlite:///path another SQLite
                 file (with the same options as the default); unset means SQLite (WAL) in the data dir
FUPIN_SQLITE_TIMEOUT seconds a SQLite writer waits for the lock (default 30); then the request is a 503
FUPIN_DEBUG      1 for development
FUPIN_SECRET_KEY overrides the key generated once into the data directory
FUPIN_ALLOWED_HOSTS comma-separated (default 127.0.0.1,localhost)
FUPIN_HTTPS      1 in production behind HTTPS: SSL redirect, HSTS, secure cookies (docs/operations.md)
FUPIN_BEHIND_PROXY 1 when a reverse proxy terminates TLS and sets X-Forwarded-Proto
FUPIN_SESSION_IDLE_MINUTES a session ends after this long without a request (default 30)
FUPIN_LOGIN_FAILURE_LIMIT / FUPIN_LOGIN_COOLOFF_MINUTES lockout after failed logins (10 / 30)
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("FUPIN_DATA_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("FUPIN_SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_bool("FUPIN_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = os.environ.get("FUPIN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FUPIN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
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
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "fupin.core",
    "fupin.geo",
    "fupin.accounts",
    "fupin.registry",
    "fupin.programs",
    "fupin.funds",
    "fupin.training",
    "fupin.industry",
    "fupin.credit",
    "fupin.land",
    "fupin.assistance",
    "fupin.accountability",
    "fupin.exchange",
    "fupin.analytics",
    "fupin.demo",
    "fupin.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fupin.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fupin.core.middleware.AuditChannelMiddleware",
    "fupin.core.middleware.DatabaseBusyMiddleware",  # a lock that times out is a 503, not a 500
    "fupin.accounts.middleware.IdleTimeoutMiddleware",
    # last: turns a lockout raised by the authentication backend into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fupin.urls"
WSGI_APPLICATION = "fupin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# --- database -------------------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "fupin.sqlite3"
# One definition for every SQLite database, the embedded default and a sqlite:/// URL alike.
# WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN so
# two writers queue (for up to ``timeout`` seconds) instead of failing with "database is
# locked" when the second one tries to write after reading.
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": float(os.environ.get("FUPIN_SQLITE_TIMEOUT", "30")),
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": dict(SQLITE_OPTIONS),
            "TEST": {"NAME": ":memory:"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# --- logins, lockout, sessions --------------------------------------------------------
# django-axes counts failed logins (every authenticate() call with a request: the login
# page, and any API login that authenticates) per username and address together, so an
# attacker cannot lock a user out from elsewhere by guessing, nor guess many users from
# one address without each being counted. ``fupin unlock USER`` lifts a lockout early.
AUTHENTICATION_BACKENDS = [
    "fupin.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = int(os.environ.get("FUPIN_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("FUPIN_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "fupin.accounts.views.locked_out"
AXES_VERBOSE = False
# Session idle timeout: a session lives this long after the last request of its user
# (fupin.accounts.middleware renews it; it is not saved on every request).
SESSION_IDLE_MINUTES = int(os.environ.get("FUPIN_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True

# --- HTTPS (one switch) ---------------------------------------------------------------
HTTPS = _env_bool("FUPIN_HTTPS")
if _env_bool("FUPIN_BEHIND_PROXY"):
    # the proxy terminates TLS; it must set X-Forwarded-Proto and strip it from clients
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_PROXY_COUNT = int(os.environ.get("FUPIN_PROXY_COUNT", "1"))
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("FUPIN_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and _env_bool("FUPIN_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = HTTPS and _env_bool("FUPIN_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp) ---------------------------------------------
# Only the app's own scripts, styles and fonts: no inline <script>, no style attributes or
# <style> blocks in templates (scripts set element.style through the CSSOM, which CSP
# allows). HTMX's own indicator <style> is switched off in base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "font-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

# --- i18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- static ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves it; collectstatic fills it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Compressed, without a manifest: pages render whether or not collectstatic ran
        # (``fupin serve`` runs it); WhiteNoise serves the files, no CDN anywhere.
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "fupin.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "fupin.core.schema.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "fupin.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "fupin.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fupin API",
    "DESCRIPTION": "Fupin (扶贫): poverty alleviation and development MIS",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # choice sets of fields named alike in several apps ("status", "kind"); the registry's
    # and the tree's keep the names they had before the programs and funds came
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "fupin.programs.choices.PlanStatus",
        "ProjectStatusEnum": "fupin.programs.choices.ProjectStatus",
        "EntryKindEnum": "fupin.funds.choices.EntryKind",
        "StatusAfterEnum": "fupin.registry.choices.Status",
        "KindEnum": "fupin.geo.choices.AreaKind",
        "CauseEnum": "fupin.registry.choices.Cause",
        "StageEnum": "fupin.registry.choices.Stage",
        "SeedKindEnum": "fupin.credit.mutual.choices.SeedKind",
        "BorrowerKindEnum": "fupin.credit.loans.choices.BorrowerKind",
        "TrainingSectorEnum": "fupin.training.choices.Sector",
        "EnterpriseLevelEnum": "fupin.industry.choices.Level",
        "EnterpriseSectorEnum": "fupin.industry.choices.Sector",
        "EnterpriseStatusEnum": "fupin.industry.choices.Status",
        "AssistingUnitLevelEnum": "fupin.assistance.choices.UnitLevel",
        "CadreKindEnum": "fupin.assistance.choices.CadreKind",
        "ContributionKindEnum": "fupin.assistance.choices.ContributionKind",
        "ContributionFormEnum": "fupin.assistance.choices.ContributionForm",
        "AssessmentStatusEnum": "fupin.accountability.choices.AssessmentStatus",
        "TypicalModelKindEnum": "fupin.accountability.choices.ModelKind",
        "EvidenceTypeEnum": "fupin.accountability.choices.EvidenceType",
        "TypeEnum": "fupin.training.choices.ClassType",  # keeps its name beside the evidence files' type
    },
}

# --- domain ---------------------------------------------------------------------------
# Days a public notice (公示) must stand before the next review step. No national source
# fixes the length (see docs/registry.md); seven days is the common local practice.
FUPIN_NOTICE_DAYS = int(os.environ.get("FUPIN_NOTICE_DAYS", "7"))
# A background import's worker touches its heartbeat this often; a run whose heartbeat is
# older than FUPIN_IMPORT_STALE_SECONDS (or whose worker's lock is free) has lost its worker
# and is marked failed (docs/operations.md, "Imports that stop").
FUPIN_IMPORT_HEARTBEAT_SECONDS = float(os.environ.get("FUPIN_IMPORT_HEARTBEAT_SECONDS", "5"))
FUPIN_IMPORT_STALE_SECONDS = float(os.environ.get("FUPIN_IMPORT_STALE_SECONDS", "60"))
# The largest evidence file an assessment accepts (bytes; docs/accountability.md).
FUPIN_EVIDENCE_MAX_BYTES = int(os.environ.get("FUPIN_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FUPIN_LOG_LEVEL", "WARNING")},
}
