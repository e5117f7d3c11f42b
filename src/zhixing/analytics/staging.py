"""Uploads held for preview: the file waits in DATA_DIR/analytics/pending/ under a signed token.

Nothing about an upload is stored in the database before the user confirms the import. The token names
the held file, the uploader and the debtor, and expires after `MAX_AGE` seconds; a token for another
user or debtor, a forged one or an expired one is refused. Whenever a new upload is held, files past the
token's age are removed, and a user keeps at most `MAX_HELD` uploads (the oldest go first): uploads that
are never confirmed cannot fill the disk.

A confirm claims the held file (`claim`: an atomic rename), so one token is imported once however many
confirms arrive together; the claim is removed when the import commits and put back if it fails.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core import signing

from zhixing.core.errors import ServiceError

from . import store

SALT = "zhixing.analytics.staging"
MAX_AGE = 6 * 3600
KEEP_SECONDS = MAX_AGE  # a held file outlives its token by nothing: no confirm can name it after that
MAX_HELD = 10  # per user
EXPIRED = "预览已过期或无效，请重新上传文件"


def _dir() -> Path:
    path = store.root() / "pending"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep(folder: Path, user_id: int) -> None:
    """Remove held and claimed files past their token's age, and this user's oldest past `MAX_HELD - 1`."""
    cutoff = time.time() - KEEP_SECONDS
    own: list[tuple[float, Path]] = []
    for old in folder.iterdir():
        try:
            mtime = old.stat().st_mtime
            if mtime < cutoff:
                old.unlink()
            elif old.name.startswith(f"{user_id}-") and old.suffix == ".bin":
                own.append((mtime, old))
        except FileNotFoundError:  # a concurrent sweep removed it
            pass
    for _, extra in sorted(own)[: max(0, len(own) - (MAX_HELD - 1))]:
        extra.unlink(missing_ok=True)


def hold(data: bytes, *, user_id: int, party_id: int, file_name: str) -> str:
    """Keep the upload for a later confirm; the signed token that names it."""
    folder = _dir()
    _sweep(folder, user_id)
    key = f"{user_id}-{secrets.token_hex(16)}"
    (folder / f"{key}.bin").write_bytes(data)
    return signing.dumps({"k": key, "u": user_id, "p": party_id, "n": file_name[:200]}, salt=SALT)


def _path(token: str, user_id: int, party_id: int) -> tuple[Path, str]:
    """(the held file's path, the upload's name) for a token of this user and debtor; ServiceError else."""
    try:
        value: dict[str, Any] = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        raise ServiceError(EXPIRED, field="token") from None
    if value.get("u") != user_id or value.get("p") != party_id:
        raise ServiceError(EXPIRED, field="token")
    return _dir() / f"{value['k']}.bin", str(value.get("n", "upload"))


def fetch(token: str, *, user_id: int, party_id: int) -> tuple[bytes, str]:
    """(bytes, file name) of a held upload of this user for this debtor; ServiceError otherwise."""
    path, name = _path(token, user_id, party_id)
    try:
        return path.read_bytes(), name
    except FileNotFoundError:
        raise ServiceError(EXPIRED, field="token") from None


@dataclass
class Claim:
    """A held upload taken by one confirm: `data` and `name`; `done()` once imported, `undo()` if not."""

    data: bytes
    name: str
    held: Path
    taken: Path

    def done(self) -> None:
        self.taken.unlink(missing_ok=True)

    def undo(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.rename(self.taken, self.held)


def claim(token: str, *, user_id: int, party_id: int) -> Claim:
    """Take the held upload for one confirm: renamed atomically, so a second confirm of the same token
    (sent twice, or by two tabs at once) finds nothing and is refused as expired."""
    held, name = _path(token, user_id, party_id)
    taken = held.with_suffix(f".claimed-{secrets.token_hex(4)}")
    try:
        os.rename(held, taken)
    except FileNotFoundError:
        raise ServiceError(EXPIRED, field="token") from None
    return Claim(taken.read_bytes(), name, held, taken)


def release(token: str) -> None:
    """Remove a held upload (the import keeps its own copy)."""
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return
    (_dir() / f"{value['k']}.bin").unlink(missing_ok=True)
