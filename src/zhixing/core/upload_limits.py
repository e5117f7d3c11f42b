"""The largest single file a staff upload accepts, per kind of upload (below the request-body cap).

`core.body_limit` refuses any request body over 200 MiB before Django reads it; below that a form or API
took a file of any size and handed it to its service (a 190 MiB "template" or "evidence photo" was read
into memory and stored). Each upload entry point now names its kind and calls `check(upload, kind,
field=…, label=…)` before it reads the file: a file over the kind's limit is refused with a Chinese error
naming the field and the limit, and nothing is stored. The limits are the setting
`ZHIXING_UPLOAD_MAX_MB` (MiB per kind; `ZHIXING_UPLOAD_MAX_<KIND>_MB` in the environment).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from .errors import ServiceError

MIB = 1024 * 1024
# kind -> (default MiB, words for the kind in the error)
KINDS: dict[str, tuple[int, str]] = {
    "document": (50, "文书"),
    "evidence": (10, "证据材料"),
    "spreadsheet": (50, "表格"),
    "statement": (150, "流水/对账单"),
}


def limit_bytes(kind: str) -> int:
    """The largest file of `kind` in bytes (the setting's MiB, else the default)."""
    default, _ = KINDS[kind]
    configured = getattr(settings, "ZHIXING_UPLOAD_MAX_MB", {}) or {}
    return int(configured.get(kind, default)) * MIB


def _size_words(n: int) -> str:
    if n >= MIB:
        mib = n / MIB
        return f"{mib:.0f} MB" if mib == int(mib) else f"{mib:.1f} MB"
    return f"{max(n, 1) / 1024:.0f} KB"


def check(upload: Any, kind: str, *, field: str, label: str) -> None:
    """Refuse `upload` (an uploaded file, or None) when it is larger than the limit of `kind`."""
    if upload is None:
        return
    size = getattr(upload, "size", None)
    if size is None:
        return
    most = limit_bytes(kind)
    if size > most:
        raise ServiceError(
            f"{label}过大（{_size_words(size)}）：每个文件不超过{_size_words(most)}，未保存",
            field=field,
            code="too_large",
        )
