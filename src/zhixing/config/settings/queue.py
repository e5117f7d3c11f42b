"""Huey background queue: SQLite storage embedded, Redis when REDIS_URL is set.

Both classes claim each periodic task per minute in the shared store before enqueueing it, so any
number of consumers runs each sweep once per period (`zhixing.core.periodic`).
"""

from .base import DATA_DIR
from .env import env_bool, env_str

_redis = env_str("REDIS_URL", "")
HUEY: dict[str, object]
if _redis:
    HUEY = {
        "huey_class": "zhixing.core.periodic.ClaimingRedisHuey",
        "name": "zhixing",
        "url": _redis,
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "zhixing.core.periodic.ClaimingSqliteHuey",
        "name": "zhixing",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
    }
HUEY["consumer"] = {"workers": 2, "worker_type": "thread"}
