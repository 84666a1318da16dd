"""Settings, driven by the environment with defaults that work with no configuration.

DATABASE_URL      sqlite:///var/xinfang.sqlite3 (default) or postgres://user:pass@host/db
DATABASE_REPLICA_URLS  comma-separated PostgreSQL streaming replicas for reads (docs/deploy.md)
XINFANG_DEBUG     "1" for development (default off)
XINFANG_SECRET_KEY  required when debug is off in production; a dev key is used otherwise
Production switches (docs/deploy.md): XINFANG_SECURE_COOKIES, XINFANG_SSL_REDIRECT, XINFANG_HSTS_SECONDS,
XINFANG_BEHIND_PROXY, XINFANG_STATIC_MANIFEST, XINFANG_CONN_MAX_AGE, XINFANG_PGBOUNCER.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XINFANG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("XINFANG_DEBUG")
SECRET_KEY = os.environ.get("XINFANG_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = [
    h for h in os.environ.get("XINFANG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("XINFANG_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # Listed so that /api/docs serves Swagger UI from ninja's own static files, not from a CDN.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "xinfang.orgs",
    "xinfang.audit",
    "xinfang.calendar",
    "xinfang.cases",
    "xinfang.documents",
    "xinfang.supervision",
    "xinfang.analytics",
    "xinfang.portal",
    "xinfang.triage",
    "xinfang.performance",
    "xinfang.api",
    "xinfang.jobs",
    "xinfang.demo",
]

MIDDLEWARE = [
    # Outermost, so that every response gets them: a Content-Security-Policy, and Cache-Control: no-store.
    "xinfang.core.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xinfang.core.replicas.ReplicaPinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xinfang.core.sessions.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "xinfang.urls"
WSGI_APPLICATION = "xinfang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xinfang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xinfang.orgs.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xinfang.sqlite3'}"),
        conn_max_age=int(os.environ.get("XINFANG_CONN_MAX_AGE", "0")),
    )
}
# PostgreSQL through the project's backend: Django's, whose migrations can reference partitioned tables.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "xinfang.core.db"
# pgbouncer in transaction mode cannot keep server-side cursors open between transactions.
if env_bool("XINFANG_PGBOUNCER"):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# Read replicas (PostgreSQL streaming replication): lists, dashboards, exports and reports read there.
DATABASE_REPLICAS = []
for _i, _url in enumerate(u for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()):
    _alias = f"replica{_i + 1}"
    DATABASES[_alias] = {
        **dj_database_url.parse(_url.strip(), conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]),
        "TEST": {"MIRROR": "default"},
    }
    if DATABASES[_alias]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES[_alias]["ENGINE"] = "xinfang.core.db"
    DATABASES[_alias]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"].get(
        "DISABLE_SERVER_SIDE_CURSORS", False
    )
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["xinfang.core.replicas.PrimaryReplicaRouter"]
REPLICA_PIN_SECONDS = int(os.environ.get("XINFANG_REPLICA_PIN_SECONDS", "10"))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a command writes; a generous timeout avoids
    # "database is locked" under the browser tests' live server.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # A file, not the shared-cache in-memory database: the browser tests' threaded live server
    # otherwise hits "database table is locked", which ignores the busy timeout.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# Background jobs: the database queue (django-tasks with the django-tasks-db backend). Tasks are rows in
# the same database, so enqueueing commits with the caller's transaction; `manage.py db_worker` runs them
# and `manage.py schedule_jobs` (cron, every few minutes) enqueues the daily jobs (xinfang/jobs).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # the home view sends each role to its work
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("XINFANG_STATIC_ROOT", BASE_DIR / "staticfiles"))
# whitenoise serves /static/ itself; `make serve` runs collectstatic first and turns on hashed, compressed
# file names (long cache lifetimes), which need the manifest that collectstatic writes.
# Without collectstatic (make run, tests) whitenoise serves the apps' static folders directly, so a stale
# STATIC_ROOT left by an earlier `make serve` never shadows the files in the working tree.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not env_bool("XINFANG_STATIC_MANIFEST")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("XINFANG_STATIC_MANIFEST")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATICFILES_DIRS = [BASE_DIR / "xinfang" / "static"]
MEDIA_ROOT = Path(os.environ.get("XINFANG_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# The audit chain's anchor outside the database (see audit/services.py); "" turns it off. It belongs to
# the database: a fresh database needs a fresh (or no) file.
AUDIT_ANCHOR_FILE = os.environ.get("XINFANG_AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchor.jsonl")) or None

# Sessions expire after 8 idle hours; cookies are secure when served over HTTPS.
SESSION_COOKIE_AGE = int(os.environ.get("XINFANG_SESSION_SECONDS", str(8 * 3600)))
# The idle timeout slides: SessionRefreshMiddleware renews the session at most once a SESSION_REFRESH_SECONDS.
SESSION_REFRESH_SECONDS = int(os.environ.get("XINFANG_SESSION_REFRESH_SECONDS", "300"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("XINFANG_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a TLS-terminating proxy (nginx), which sets X-Forwarded-Proto (docs/deploy.md).
if env_bool("XINFANG_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("XINFANG_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("XINFANG_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("XINFANG_HSTS_PRELOAD")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XINFANG_LOG_LEVEL", "WARNING")},
}

# --- Domain settings -----------------------------------------------------------------------------
# Values marked [R] in shared/domain are not confirmed by a primary text: they are settings with
# the documented default, never constants in code.
XINFANG = {
    "DISTRICT_NAME": os.environ.get("XINFANG_DISTRICT_NAME", "示例区"),
    # Deadline profile (national by default; see cases/workflow/deadlines.py for the rows).
    "DEADLINE_PROFILE": os.environ.get("XINFANG_DEADLINE_PROFILE", "national"),
    # [R] collective-visit threshold (Changchun practice: >= 5 persons).
    "COLLECTIVE_THRESHOLD": int(os.environ.get("XINFANG_COLLECTIVE_THRESHOLD", "5")),
    # art.20 ¶3: at most 5 representatives (profiles may lower it).
    "MAX_REPRESENTATIVES": 5,
    # Attachments: size cap and allowed types (checked by content, not only by name).
    "ATTACHMENT_MAX_BYTES": int(os.environ.get("XINFANG_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))),
    # Login throttling: this many failures in the window lock the username+address pair.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_SECONDS": 15 * 60,
    # [R] Satisfaction-evaluation window after the reply is served.
    "EVALUATION_WINDOW_DAYS": 30,
    # 2005 条例 art.36 / Shanghai / Shandong: written feedback on recommendations within 30 days.
    "RECOMMENDATION_FEEDBACK_DAYS": 30,
    # [S] Guangdong practice: not-yet-due cases stay in the 及时受理率 denominator.
    "TIMELY_COUNT_NOT_DUE": True,
    # [R] placeholder execution-warning tiers: gap = 序时进度 − 执行率 in percentage points.
    "PERF_WARNING_TIERS": [[10, "red", "红色预警"], [5, "yellow", "黄色预警"]],
    # Whether 全年预算数 includes 上年结转 (the base varies by region).
    "PERF_BUDGET_INCLUDES_CARRY_IN": False,
    # List pages count at most this many rows; beyond it the page says "2000+" (and pages up to 100). At 1M
    # cases a unit user's capped count of 10,000 cost 240 ms (each row checks the unit's routing); 2,000 ~50 ms.
    "LIST_COUNT_CAP": int(os.environ.get("XINFANG_LIST_COUNT_CAP", "2000")),
    # How long a process trusts its cached holiday years before re-reading overrides.
    "CALENDAR_CACHE_SECONDS": 300,
    # The nightly rollup job rebuilds this many days, ending yesterday (repairs any drift in the counters).
    "ROLLUP_REBUILD_DAYS": 7,
    # A daily run still marked 运行中 this long after it started is taken for dead (its worker was killed) and
    # `schedule_jobs --run-now` may queue it again. The jobs are idempotent, so a slow run repeated is harmless.
    "JOB_STUCK_AFTER_HOURS": 6,
    # Public portal: abuse limits (counted per hashed address / ID number), attachments, notifications.
    "PORTAL_LOOKUP_FAILURES_PER_HOUR": int(os.environ.get("XINFANG_PORTAL_LOOKUP_FAILURES", "10")),
    "PORTAL_SUBMISSIONS_PER_ADDRESS_PER_DAY": int(
        os.environ.get("XINFANG_PORTAL_SUBMISSIONS_PER_ADDRESS", "20")
    ),
    "PORTAL_SUBMISSIONS_PER_ID_PER_DAY": int(os.environ.get("XINFANG_PORTAL_SUBMISSIONS_PER_ID", "5")),
    "PORTAL_BOOKINGS_PER_ADDRESS_PER_DAY": int(os.environ.get("XINFANG_PORTAL_BOOKINGS_PER_ADDRESS", "10")),
    "PORTAL_BOOKINGS_PER_ID_PER_DAY": int(os.environ.get("XINFANG_PORTAL_BOOKINGS_PER_ID", "3")),
    "PORTAL_MAX_ATTACHMENTS": 5,
    # The evaluation reminder goes out this many days before the window closes (manage.py remind_evaluations).
    "PORTAL_REMIND_DAYS_BEFORE": 5,
    # Dotted path of a notifications.Backend subclass (console by default; FileBackend writes JSON lines).
    "PORTAL_NOTIFY_BACKEND": os.environ.get(
        "XINFANG_NOTIFY_BACKEND", "xinfang.portal.notifications.ConsoleBackend"
    ),
    "PORTAL_NOTIFY_FILE": str(VAR_DIR / "notifications.jsonl"),
}

# "portal" serves only the public portal (pages, /api/public/, static), for exposure on the internet.
XINFANG_SITE = os.environ.get("XINFANG_SITE", "full")
