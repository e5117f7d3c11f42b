"""Separate worker processes for tests of shared state: each is a fresh Python with Django set up on
the test database (and, when given, on Redis), as a uvicorn worker or a Huey consumer would be."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from django.db import connection

import zhixing

SRC = Path(zhixing.__file__).resolve().parent.parent

PRELUDE = """
import os, sys, time
import django
django.setup()
"""


def database_url() -> str:
    """The test database as a DATABASE_URL (the file on SQLite, the test database on PostgreSQL)."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite://{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def spawn(code: str, *, redis_url: str = "", data_dir: str | Path = "") -> subprocess.Popen[str]:
    """Start `code` (after Django's setup) in a new process; its stdout is a pipe of text lines."""
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "zhixing.config.settings",
        "DATABASE_URL": database_url(),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    if data_dir:
        env["DATA_DIR"] = str(data_dir)
    script = PRELUDE + textwrap.dedent(code)
    return subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def run(code: str, *, redis_url: str = "", timeout: float = 120) -> str:
    """Run `code` in a new process to the end; its stdout (fails the test on a non-zero exit)."""
    proc = spawn(code, redis_url=redis_url)
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return out
