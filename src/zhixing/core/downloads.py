"""Every file the platform sends is named for the person who saves it (ADR 0012).

`content_disposition("（2026）粤0106执123号-财产分析报告.docx")` gives an ASCII `filename="…"` fallback for
old clients and the real name as RFC 5987 `filename*=UTF-8''…`, which every current browser uses. Names
are made safe for any file system: path separators, control characters and quotes are replaced.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_NAME = 150


def safe_name(name: str) -> str:
    """The name with characters no file system accepts replaced by "_", trimmed, never empty."""
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" .")
    if len(cleaned) > MAX_NAME:
        stem, dot, ext = cleaned.rpartition(".")
        if dot and len(ext) <= 8:
            cleaned = stem[: MAX_NAME - len(ext) - 1] + "." + ext
        else:
            cleaned = cleaned[:MAX_NAME]
    return cleaned or "download"


def ascii_fallback(name: str, default: str = "download") -> str:
    """An ASCII stand-in for clients that ignore filename*: non-ASCII runs become "_"."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ascii_stem = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9._-]+", "_", stem)).strip("_-.") or default
    ascii_ext = re.sub(r"[^A-Za-z0-9]+", "", ext)
    return f"{ascii_stem}.{ascii_ext}" if ascii_ext else ascii_stem


def content_disposition(name: str, *, inline: bool = False) -> str:
    safe = safe_name(name)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_fallback(safe)}\"; filename*=UTF-8''{quote(safe, safe='')}"


def attach(resp: HttpResponse | StreamingHttpResponse, name: str, *, inline: bool = False) -> None:
    """Name the file of an existing response (also a streamed one)."""
    resp["Content-Disposition"] = content_disposition(name, inline=inline)


def file_response(data: bytes, content_type: str, name: str, *, inline: bool = False) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    attach(resp, name, inline=inline)
    return resp


def case_file_name(case_number: str, what: str, ext: str) -> str:
    """E.g. ("（2026）粤0106执123号", "财产分析报告", "docx") → "（2026）粤0106执123号-财产分析报告.docx"."""
    stem = f"{case_number}-{what}" if case_number else what
    return f"{stem}.{ext.lstrip('.')}"
