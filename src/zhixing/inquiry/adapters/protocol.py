"""The standard adapter: batches of items over the signed-JSON partner protocol (docs/partner-protocol.md).

Uses the standard library's `http.client` with one keep-alive connection per (thread, host), so a
worker sending thousands of batches does not pay a TCP handshake each time. Any transport failure,
timeout or 5xx raises `TransportError` (retryable); the caller retries with the same idempotency keys.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import threading
from typing import Any
from urllib.parse import urlsplit

from zhixing.core import partner_protocol as protocol

from .. import conf
from ..models import Partner

PLATFORM_CODE = "ZHIXING"
_local = threading.local()


class TransportError(Exception):
    """The message may or may not have arrived: retry later with the same keys."""


class PartnerClient:
    def __init__(self, code: str, secret: str, base_url: str, timeout: float) -> None:
        self.code, self.secret, self.timeout = code, secret, timeout
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.prefix = parts.path.rstrip("/")

    def _conn(self) -> http.client.HTTPConnection:
        conns: dict[tuple[str, int, float], http.client.HTTPConnection] = getattr(_local, "conns", {})
        _local.conns = conns
        key = (self.host, self.port, self.timeout)
        if key not in conns:
            conns[key] = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return conns[key]

    def _drop(self) -> None:
        conns = getattr(_local, "conns", {})
        conn = conns.pop((self.host, self.port, self.timeout), None)
        if conn is not None:
            conn.close()

    def post(self, endpoint: str, payload: dict[str, Any], key: str) -> dict[str, Any]:
        if not self.secret:
            raise TransportError(f"{self.code} 未配置共享密钥，不能发送")
        path = f"{self.prefix}/partners/{self.code}/{endpoint}"
        body = protocol.encode_body(payload)
        headers = protocol.sign_headers(PLATFORM_CODE, self.secret, "POST", path, body, key)
        try:
            conn = self._conn()
            conn.request("POST", path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            self._drop()
            raise TransportError(f"{self.code} 连接失败或超时：{exc.__class__.__name__}") from exc
        if resp.status >= 500:
            raise TransportError(f"{self.code} 返回 {resp.status}")
        if resp.status >= 400:
            raise TransportError(f"{self.code} 拒绝请求 {resp.status}：{data[:120]!r}")
        try:
            return dict(json.loads(data))
        except ValueError as exc:
            raise TransportError(f"{self.code} 应答不是有效的JSON") from exc

    def send(self, items: list[dict[str, Any]], callback_url: str) -> list[dict[str, Any]]:
        """Send items; one answer per item ("done" | "accepted" | "error" | "unknown")."""
        key = "b-" + hashlib.sha256("|".join(i["key"] for i in items).encode()).hexdigest()[:40]
        return list(self.post("batch", {"items": items, "callback_url": callback_url}, key)["results"])

    def poll(self, keys: list[str]) -> list[dict[str, Any]]:
        key = "p-" + hashlib.sha256("|".join(keys).encode()).hexdigest()[:40]
        return list(self.post("poll", {"keys": keys}, key)["results"])


def client_for(partner: Partner) -> PartnerClient:
    return PartnerClient(
        partner.code,
        partner.shared_secret,
        partner.base_url or conf.sandbox_url(),
        float(conf.option("http_timeout")),
    )
