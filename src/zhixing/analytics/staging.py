"""Uploads held for preview: the file waits in DATA_DIR/analytics/pending/ under a signed token.

Nothing about an upload is stored in the database before the user confirms the import. The token names
the held file, the uploader and the debtor, and expires after `MAX_AGE` seconds; a token for another
user or debtor, a forged one or an expired one is refused. Held files older than a day are removed
whenever a new upload is held.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from django.core import signing

from zhixing.core.errors import ServiceError

from . import store

SALT = "zhixing.analytics.staging"
MAX_AGE = 6 * 3600
KEEP_SECONDS = 24 * 3600
EXPIRED = "预览已过期或无效，请重新上传文件"


def _dir() -> Path:
    path = store.root() / "pending"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.bin"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except FileNotFoundError:  # a concurrent sweep removed it
            pass


def hold(data: bytes, *, user_id: int, party_id: int, file_name: str) -> str:
    """Keep the upload for a later confirm; the signed token that names it."""
    folder = _dir()
    _sweep(folder)
    key = secrets.token_hex(16)
    (folder / f"{key}.bin").write_bytes(data)
    return signing.dumps({"k": key, "u": user_id, "p": party_id, "n": file_name[:200]}, salt=SALT)


def fetch(token: str, *, user_id: int, party_id: int) -> tuple[bytes, str]:
    """(bytes, file name) of a held upload of this user for this debtor; ServiceError otherwise."""
    try:
        value: dict[str, Any] = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        raise ServiceError(EXPIRED, field="token") from None
    if value.get("u") != user_id or value.get("p") != party_id:
        raise ServiceError(EXPIRED, field="token")
    path = _dir() / f"{value['k']}.bin"
    if not path.exists():
        raise ServiceError(EXPIRED, field="token")
    return path.read_bytes(), str(value.get("n", "upload"))


def release(token: str) -> None:
    """Remove a held upload once it is imported (the import keeps its own copy)."""
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return
    (_dir() / f"{value['k']}.bin").unlink(missing_ok=True)
