"""The partner protocol: signed JSON over HTTP with idempotency keys.

Every message between the platform and a partner institution (bank, registry, platform, media) — in
either direction — is a JSON body with these headers:

    X-ZX-Partner:     the sender's partner code (who signed it)
    X-ZX-Timestamp:   Unix seconds when it was signed
    Idempotency-Key:  a unique key per logical request; a retry reuses it, so the receiver acts once
    X-ZX-Signature:   hex HMAC-SHA256(secret, canonical string)

The canonical string is ``METHOD\\nPATH\\nTIMESTAMP\\nIDEMPOTENCY_KEY\\nhex(sha256(body))``. The
secret is shared per partner. A receiver rejects a missing or wrong signature, a timestamp more than
`MAX_SKEW_SECONDS` away from its clock, and an unknown partner code. See docs/partner-protocol.md.

In production a secret published in this repository (the sandbox's defaults and the demo partners'
derived secrets, `settings.ZHIXING_REFUSED_SECRET_DIGESTS`) authenticates nothing: `verify` refuses it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings

MAX_SKEW_SECONDS = 300
HEADER_PARTNER = "X-ZX-Partner"
HEADER_TIMESTAMP = "X-ZX-Timestamp"
HEADER_IDEMPOTENCY = "Idempotency-Key"
HEADER_SIGNATURE = "X-ZX-Signature"


class ProtocolError(ValueError):
    """A message failed verification; the message says which check (in Chinese, for the log)."""


def canonical(method: str, path: str, timestamp: str, idempotency_key: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{idempotency_key}\n{digest}".encode()


def signature(secret: str, method: str, path: str, timestamp: str, idempotency_key: str, body: bytes) -> str:
    return hmac.new(
        secret.encode(), canonical(method, path, timestamp, idempotency_key, body), hashlib.sha256
    ).hexdigest()


def encode_body(payload: Any) -> bytes:
    """Serialise a payload the same way on both sides (sorted keys, UTF-8, no spaces)."""
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def sign_headers(
    partner: str,
    secret: str,
    method: str,
    path: str,
    body: bytes,
    idempotency_key: str,
    timestamp: int | None = None,
) -> dict[str, str]:
    """The headers for a signed message."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json",
        HEADER_PARTNER: partner,
        HEADER_TIMESTAMP: ts,
        HEADER_IDEMPOTENCY: idempotency_key,
        HEADER_SIGNATURE: signature(secret, method, path, ts, idempotency_key, body),
    }


def is_refused_secret(secret: str) -> bool:
    """Whether `secret` is a published development secret this deployment refuses (production only).

    Outside a configured Django process (the sandbox running on its own) nothing is refused.
    """
    if not settings.configured:
        return False
    refused = getattr(settings, "ZHIXING_REFUSED_SECRET_DIGESTS", ())
    return bool(refused) and hashlib.sha256(secret.encode()).hexdigest() in refused


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return ""


def verify(
    secret: str, method: str, path: str, body: bytes, headers: Mapping[str, str], now: float | None = None
) -> str:
    """Check a received message; return its idempotency key or raise `ProtocolError`."""
    if is_refused_secret(secret):
        raise ProtocolError("该合作方的密钥是公开的演示密钥，生产环境不予受理")
    ts = _header(headers, HEADER_TIMESTAMP)
    key = _header(headers, HEADER_IDEMPOTENCY)
    sig = _header(headers, HEADER_SIGNATURE)
    if not ts or not key or not sig:
        raise ProtocolError("缺少签名、时间戳或幂等键")
    try:
        ts_value = int(ts)
    except ValueError as exc:
        raise ProtocolError("时间戳格式错误") from exc
    if abs((time.time() if now is None else now) - ts_value) > MAX_SKEW_SECONDS:
        raise ProtocolError("时间戳超出允许范围（可能是重放）")
    expected = signature(secret, method, path, ts, key, body)
    if not hmac.compare_digest(expected, sig):
        raise ProtocolError("签名不符")
    return key


def partner_of(headers: Mapping[str, str]) -> str:
    """The claimed sender (look up its secret, then `verify`)."""
    return _header(headers, HEADER_PARTNER)
