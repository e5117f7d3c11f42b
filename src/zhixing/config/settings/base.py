"""Core Django settings: apps, middleware, templates, i18n, static files."""

from pathlib import Path
from typing import Any

from .env import data_dir, env_bool, env_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = data_dir()
# The screening engine's audit journal (core/audit_journal.py; the documented deployment only): on the
# server's OWN disk — when several web nodes share DATA_DIR, point each node's at a local directory.
SCREENING_JOURNAL_DIR = Path(env_str("ZHIXING_SCREENING_JOURNAL_DIR", str(DATA_DIR / "screening-journal")))

DEBUG = env_bool("ZHIXING_DEBUG", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # Swagger UI's assets and template, served by the platform (no CDN)
    "axes",
    "huey.contrib.djhuey",
    "channels",
    "zhixing.core",
    "zhixing.courts",
    "zhixing.cases",
    "zhixing.documents",
    "zhixing.credit",
    "zhixing.analytics",
    "zhixing.inquiry",
    "zhixing.funds",
    "zhixing.measures",
    "zhixing.command",
    "zhixing.portal",
    "zhixing.objections",
    "zhixing.auctions",
    "zhixing.entrust",
]

MIDDLEWARE = [
    # First: forwarding headers count only from TRUSTED_PROXIES (before the HTTPS redirect reads them).
    "zhixing.core.clientaddr.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Control characters (NUL) in any path, query or form value are refused before a view runs.
    "zhixing.core.inputguard.InputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhixing.core.headers.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhixing.config.urls"
ASGI_APPLICATION = "zhixing.config.asgi.application"
WSGI_APPLICATION = "zhixing.config.wsgi.application"

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
                "zhixing.core.context.calendar_warning",
            ],
        },
    },
]

AUTH_USER_MODEL = "courts.Staff"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CHANNEL_LAYERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
if env_str("REDIS_URL", ""):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # socket_timeout above channels_redis' 5 s BZPOPMIN: redis-py's default (5 s) raced it, so
            # an idle receive timed out, the connection was dropped, and a message Redis had already
            # popped for it was lost (a live lot's update: its bids missing from every watcher's page).
            "CONFIG": {"hosts": [{"address": env_str("REDIS_URL", ""), "socket_timeout": 30}]},
        }
    }

# Online auctions (docs/auctions.md): a hot lot's watchers get at most one frame per tick (ms), with the
# newest state and every bid since the previous frame. Shorter: lower latency, more frames (server writes
# and client reads per socket); longer: fewer, larger frames. Other keys: auctions/conf.py.
ZHIXING_AUCTIONS: dict[str, Any] = {"feed_tick_ms": env_int("ZHIXING_AUCTION_FEED_TICK_MS", 100)}

# Case list paging size; lists never COUNT(*) the whole table (1 M cases).
ZHIXING_PAGE_SIZE = env_int("ZHIXING_PAGE_SIZE", 50)
# Rows one Excel export of a list, queue or statistics table may hold (core/exports.py).
ZHIXING_EXPORT_MAX_ROWS = env_int("ZHIXING_EXPORT_MAX_ROWS", 20_000)
# The largest request body the platform reads (core/body_limit.py): the reverse proxy's 200 MiB.
ZHIXING_MAX_REQUEST_BYTES = env_int("ZHIXING_MAX_REQUEST_BYTES", 200 * 1024 * 1024)
# The largest single file a staff upload form or API accepts, per kind of upload (core/upload_limits.py),
# in MiB: court documents and templates, evidence (photos, scans, recordings: the 10 MiB the 终本 and
# distribution evidence forms always had), spreadsheets (claim lists,
# holiday calendars), bank and payment statements (an export of years of transactions is larger).
ZHIXING_UPLOAD_MAX_MB: dict[str, int] = {
    "document": env_int("ZHIXING_UPLOAD_MAX_DOCUMENT_MB", 50),
    "evidence": env_int("ZHIXING_UPLOAD_MAX_EVIDENCE_MB", 10),
    "spreadsheet": env_int("ZHIXING_UPLOAD_MAX_SPREADSHEET_MB", 50),
    "statement": env_int("ZHIXING_UPLOAD_MAX_STATEMENT_MB", 150),
}
# Rows one bank or payment statement file may hold (analytics/readers.py): the preview and the import
# read a file whole, so a longer one is refused before its rows are built; split it by period.
ZHIXING_STATEMENT_MAX_ROWS = env_int("ZHIXING_STATEMENT_MAX_ROWS", 300_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ZHIXING_LOG_LEVEL", "WARNING")},
}

# Demo mode (make run): the login page shows the demo accounts.
ZHIXING_DEMO = env_bool("ZHIXING_DEMO", False)

# Command center (issue 21): situation screens (pushed live; polled every poll_seconds while the socket
# is down; figures cached in the `cache` alias every worker shares) and the quality metrics' UNCONFIRMED
# definitions ("metrics": keys of zhixing.command.metric_rules.MetricConfig, documented defaults).
ZHIXING_COMMAND: dict[str, Any] = {
    "live_screens": env_bool("ZHIXING_COMMAND_LIVE_SCREENS", True),
    "poll_seconds": env_int("ZHIXING_COMMAND_POLL_SECONDS", 5),
    "cache": "shared",
    # "inline": refresh in the committing thread; "background": one refresher thread per process that
    # coalesces bursts (the deployment's choice at high event rates; see docs/command-center.md).
    "refresh": env_str("ZHIXING_COMMAND_REFRESH", "inline"),
    # background mode: at most one refresh (and push) per this many milliseconds; events coalesce.
    "push_ms": env_int("ZHIXING_COMMAND_PUSH_MS", 250),
    "metrics": {},
}
