"""Database: embedded SQLite by default, PostgreSQL when DATABASE_URL says so.

SQLite runs in WAL mode with IMMEDIATE transactions so that writers queue on the busy timeout
instead of failing with "database is locked" mid-transaction.
"""

from urllib.parse import unquote, urlparse

from .base import DATA_DIR
from .env import SettingsError, env_str


def _database_from_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme == "sqlite":
        return _sqlite(parsed.path)
    raise SettingsError(
        f"DATABASE_URL has an unsupported scheme {parsed.scheme!r} (use postgres:// or sqlite://)"
    )


def _sqlite(path: str) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
        "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
    }


_url = env_str("DATABASE_URL", "")
DATABASES = {"default": _database_from_url(_url) if _url else _sqlite(str(DATA_DIR / "zhixing.sqlite3"))}
