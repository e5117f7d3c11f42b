"""Shared pieces of the ASGI routes answered in front of Django (bank notices, partner screening, bids,
plate reads): which requests they may take, reading the body, answering JSON.

A route takes a request only when Django would serve it the same way: a Host in `ALLOWED_HOSTS` (the
DEBUG defaults otherwise) and, with `SECURE_SSL_REDIRECT`, a request that arrived over HTTPS (scheme, or
`X-Forwarded-Proto: https` from a `TRUSTED_PROXIES` peer). Anything else goes to Django unchanged, which
redirects or refuses it as before. Answers carry the security headers Django's middleware would add.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host

JSON_TYPE = "application/json"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


def header_map(scope: dict[str, Any]) -> dict[str, str]:
    """The request's headers, names lower-cased (the last of a repeated header wins)."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def arrived_secure(scope: dict[str, Any], headers: dict[str, str]) -> bool:
    """Over HTTPS, directly or through a trusted proxy that says so."""
    if scope.get("scheme") == "https":
        return True
    from zhixing.core.clientaddr import _is_trusted, trusted_networks

    peer = (scope.get("client") or ("", 0))[0]
    proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
    return proto == "https" and _is_trusted(peer, trusted_networks())


def served_as_django_would(scope: dict[str, Any], headers: dict[str, str]) -> bool:
    """The Host is allowed and, when HTTPS is required, the request arrived over it."""
    domain, _port = split_domain_port(headers.get("host", ""))
    allowed = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    if not domain or not validate_host(domain, allowed):
        return False
    return not (getattr(settings, "SECURE_SSL_REDIRECT", False) and not arrived_secure(scope, headers))


def is_json_type(content_type: str) -> bool:
    """`application/json` or a structured-syntax JSON type, as `zhixing.config.api.is_json_type`."""
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind == JSON_TYPE or (kind.startswith("application/") and kind.endswith("+json"))


def unsupported_json(content_type: str) -> dict[str, Any]:
    """The API's 415 body for a request that does not declare JSON."""
    return {
        "detail": f"请求体须为JSON，并声明 Content-Type: application/json（收到：{content_type or '未声明'}）",  # noqa: E501
        "field": None,
        "code": "unsupported_media_type",
    }


async def read_body(receive: Any) -> tuple[bytes | None, tuple[int, dict[str, Any]] | None]:
    """(body, None), or (None, (status, error body)) when the client went away (400) or the body passed
    `DATA_UPLOAD_MAX_MEMORY_SIZE` (413, as Django's `RequestDataTooBig`)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None, (400, {"detail": "连接已断开", "field": None, "code": "error"})
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None, (413, {"detail": "请求体过大", "field": None, "code": "too_large"})
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks), None


def json_body(payload: Any) -> bytes:
    try:
        return json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate echoed from the request: escaped, as ninja does
        return json.dumps(payload).encode()


async def send_json(send: Any, status: int, data: bytes) -> None:
    """Answer with a JSON body (already encoded) and the security headers."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(data)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})
