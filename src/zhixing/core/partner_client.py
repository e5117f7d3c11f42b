"""A signed-JSON client for one partner institution (docs/partner-protocol.md), standard library only.

`SignedClient.post` signs a message with `partner_protocol`, sends it over one keep-alive connection per
(thread, host, port) and returns the decoded JSON answer. Anything that leaves it unknown whether the
partner acted — no connection, a timeout, a 4xx/5xx on the whole message, an answer that is not JSON
— raises `TransportError`: the caller retries later with the same idempotency key.
"""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any
from urllib.parse import urlsplit

from . import partner_protocol as protocol

PLATFORM_CODE = "ZHIXING"
_local = threading.local()


class TransportError(Exception):
    """The message may or may not have arrived: retry later with the same key."""


# What a server's close of an idle kept-alive connection looks like on the next request.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


class SignedClient:
    def __init__(self, code: str, secret: str, base_url: str, timeout: float) -> None:
        self.code, self.secret, self.timeout = code, secret, timeout
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "", parts.port or 80
        self.prefix = parts.path.rstrip("/")

    def _conn(self) -> http.client.HTTPConnection:
        conns: dict[tuple[str, int, float], http.client.HTTPConnection] = getattr(_local, "conns", {})
        _local.conns = conns
        key = (self.host, self.port, self.timeout)
        if key not in conns:
            conns[key] = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return conns[key]

    def _drop(self) -> None:
        conn = getattr(_local, "conns", {}).pop((self.host, self.port, self.timeout), None)
        if conn is not None:
            conn.close()

    def post(self, endpoint: str, payload: dict[str, Any], key: str) -> dict[str, Any]:
        """POST `payload` to ``{base}/partners/{code}/{endpoint}`` signed under idempotency `key`."""
        if not self.secret:
            raise TransportError(f"{self.code} 未配置共享密钥，不能发送")
        if not self.host:
            raise TransportError(f"{self.code} 未配置接口地址，不能发送")
        path = f"{self.prefix}/partners/{self.code}/{endpoint}"
        body = protocol.encode_body(payload)
        headers = protocol.sign_headers(PLATFORM_CODE, self.secret, "POST", path, body, key)
        for attempt in (1, 2):
            conns = getattr(_local, "conns", {})
            reused = (self.host, self.port, self.timeout) in conns
            try:
                conn = self._conn()
                conn.request("POST", path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                break
            except _STALE as exc:
                # A kept-alive connection the partner closed while idle fails on its first reuse; that is
                # not the partner failing. Send once more on a fresh connection: the idempotency key makes
                # a repeat harmless (the partner acts once per key, docs/partner-protocol.md).
                self._drop()
                if reused and attempt == 1:
                    continue
                raise TransportError(f"连接失败或超时（{exc.__class__.__name__}）") from exc
            except (OSError, http.client.HTTPException) as exc:
                self._drop()
                raise TransportError(f"连接失败或超时（{exc.__class__.__name__}）") from exc
        if resp.status >= 400:
            raise TransportError(f"对方返回 HTTP {resp.status}")
        try:
            answer = json.loads(data)
        except ValueError as exc:
            raise TransportError("对方应答不是有效的JSON") from exc
        if not isinstance(answer, dict):
            raise TransportError("对方应答格式错误")
        return answer
