"""A screening request as the event loop read it, and an answer as it goes back on the wire."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from zhixing.core.asgi_routes import unsupported_json
from zhixing.core.errors import ServiceError
from zhixing.core.validation import validation_body

from ..services.partners import ScreeningCall

JSON_UTF8 = "application/json; charset=utf-8"


@dataclass
class Job:
    """A screening request as read by the event loop."""

    kind: str  # "check" or "batch"
    key: str  # X-Partner-Key
    content_type: str
    accept: str
    query: str
    body: bytes
    loop: Any = None
    future: Any = None
    subject: str = ""  # the single check's subject key, once parsed (Engine.prefetch)
    queued_at: float = 0.0  # time.monotonic() when the event loop queued it
    refused: Answer | None = None  # the single check's parse error, once parsed (Engine.prefetch)


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = JSON_UTF8
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    call: ScreeningCall | None = None  # the audit record owed before it is sent


def json_answer(status: int, payload: Any, headers: list[tuple[bytes, bytes]] | None = None) -> Answer:
    try:
        data = json.dumps(payload, ensure_ascii=False, default=str).encode()
    except UnicodeEncodeError:  # a lone surrogate echoed from the request: escaped, as ninja does
        data = json.dumps(payload, default=str).encode()
    return Answer(status, data, headers=headers or [])


def error_answer(exc: ServiceError) -> Answer:
    return json_answer(exc.status, {"detail": exc.message, "field": exc.field, "code": exc.code})


class Invalid(Exception):
    """A request body that fails its schema: answered 422 with the API's validation body."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("invalid")
        self.errors = errors


def invalid_answer(errors: list[dict[str, Any]]) -> Answer:
    return json_answer(422, validation_body(errors))


def unsupported_json_answer(content_type: str) -> Answer:
    return json_answer(415, unsupported_json(content_type))


def server_error() -> Answer:
    return json_answer(500, {"detail": "服务器内部错误，请稍后重试", "field": None, "code": "server_error"})


class BadJson(ServiceError):
    status = 400

    def __init__(self) -> None:
        super().__init__("请求体不是有效的JSON", code="bad_json")
