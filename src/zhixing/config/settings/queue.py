"""Huey background queue: SQLite storage embedded, Redis when REDIS_URL is set."""

from .base import DATA_DIR
from .env import env_bool, env_str

_redis = env_str("REDIS_URL", "")
HUEY: dict[str, object]
if _redis:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "zhixing", "url": _redis, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "zhixing",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
    }
HUEY["consumer"] = {"workers": 2, "worker_type": "thread"}
