"""The migrated database template of `make cluster` and the soak: restore instead of migrating afresh.

`migrate` on an empty PostgreSQL database runs every migration of every app: ≈ 40 s of CPU on an idle
machine since the leaf apps' histories were squashed (ADR 0030), minutes on a shared one, and the cluster
soak of `make test` always starts on a fresh server. The first fresh start of a given schema dumps the
database right after `migrate` (before the demo is loaded) to `CLUSTER_TEMPLATE_DIR` (default
`~/.cache/zhixing/cluster`); a later fresh start whose schema is the same restores that dump (`pg_restore`,
seconds) and runs `migrate`, which then finds nothing to apply. "The same schema" is a digest of every
migration file and of every project module a migration imports (data migrations read presets and reference
tables from them), with the PostgreSQL major version; anything else misses and migrates as before.
`CLUSTER_TEMPLATE_DIR=off` disables it.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlparse

SRC = Path(__file__).resolve().parents[2]
IMPORT = re.compile(r"^\s*(?:from|import)\s+(zhixing(?:\.\w+)+)", re.MULTILINE)


def directory() -> Path | None:
    value = os.environ.get("CLUSTER_TEMPLATE_DIR", "")
    if value == "off":
        return None
    return Path(value) if value else Path.home() / ".cache" / "zhixing" / "cluster"


def schema_digest(pg_version: str) -> str:
    """A digest of the migrations, the project modules they import, and the server's major version."""
    digest = hashlib.sha256(pg_version.encode())
    files = sorted((SRC / "zhixing").glob("*/migrations/*.py"))
    imported: set[Path] = set()
    for path in files:
        for module in IMPORT.findall(path.read_text(encoding="utf-8")):
            base = SRC.joinpath(*module.split("."))
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.exists():
                    imported.add(candidate)
    for path in [*files, *sorted(imported)]:
        digest.update(str(path.relative_to(SRC)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    return str(found[-1]) if found else name


def _conninfo(url: str) -> list[str]:
    u = urlparse(url)
    return ["-h", u.hostname or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres"]


def template_path(url: str, connection: object) -> Path | None:
    folder = directory()
    if folder is None or urlparse(url).scheme not in ("postgres", "postgresql"):
        return None
    version = str(getattr(connection, "pg_version", 0) // 10000)
    return folder / f"migrated-{schema_digest(version)}.dump"


def is_empty(connection: object) -> bool:
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT to_regclass('django_migrations') IS NULL")
        return bool(cursor.fetchone()[0])


def restore(url: str, path: Path) -> bool:
    """Load the dump into the (empty) database of `url`; False (and nothing kept) when it fails."""
    name = urlparse(url).path.lstrip("/")
    done = subprocess.run(
        [_pg_bin("pg_restore"), *_conninfo(url), "--no-owner", "--single-transaction", "-d", name, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0


def save(url: str, path: Path) -> None:
    """Dump the freshly migrated database of `url` to `path` (written aside, then renamed)."""
    name = urlparse(url).path.lstrip("/")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no writable cache folder: the next fresh start migrates again, nothing else changes
    partial = path.with_suffix(f".{os.getpid()}.part")
    done = subprocess.run(
        [_pg_bin("pg_dump"), *_conninfo(url), "-Fc", "--no-owner", "-f", str(partial), name],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        partial.replace(path)
    else:
        partial.unlink(missing_ok=True)
