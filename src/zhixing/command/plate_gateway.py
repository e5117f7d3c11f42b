"""The parking operators' plate reads, answered in front of Django: `POST /api/v1/command/plate-reads`.

A batch of up to 10,000 reads is the partners' hot path (issue 21: 50,000 reads/s). Through Django's
ASGI handler and django-ninja each batch paid the request stack (~2.5 ms of CPU before the view, a
thread hop per sync middleware) and ninja's parsing and answer validation; here, in the platform's own
ASGI application (`zhixing.config.asgi`, on the server `make run` and the documented deployment start),
the event loop reads the body and one of a small pool of long-lived threads (each keeping its database
connection, `core.pool_connections`) does the endpoint's work:

* the operator's key (`X-Partner-Key`, `zxp_…`, by its SHA-256 digest): unknown or revoked → 401 for the
  whole request (`{"detail", "field", "code": "partner_key"}`);
* the body: declared JSON (415), valid JSON of the form `{"reads": [...]}` (422 naming `reads`);
* `plates.ingest`: each row checked on its own (errors name the row, read id and field), matched in
  memory, hits stored idempotently by the operator's read id with their alerts and audit records,
  possible sightings in one INSERT and one audit record per batch.

Which requests are taken (Host, HTTPS) and the error shapes are shared with the other fast routes
(`core.asgi_routes`). The endpoint no longer exists in Django's URL resolver; tests reach it through the
ASGI application (`tests/gateway_client.py`), inline (`PlateGateway.inline`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ninja import Schema

from zhixing.core.asgi_routes import (
    header_map,
    is_json_type,
    json_body,
    read_body,
    send_json,
    served_as_django_would,
    unsupported_json,
)
from zhixing.core.errors import ServiceError
from zhixing.core.pool_connections import recycle_connection

from . import plate_operators, plates

PLATE_READS_PATH = "/api/v1/command/plate-reads"
log = logging.getLogger("django.request")


class OperatorKeyError(ServiceError):
    status = 401

    def __init__(self) -> None:
        super().__init__("停车场运营方密钥无效或已吊销（请求头 X-Partner-Key）", code="partner_key")


def _error(exc: ServiceError) -> tuple[int, bytes]:
    return exc.status, json_body({"detail": exc.message, "field": exc.field, "code": exc.code})


def answer(key: str, body: bytes) -> tuple[int, bytes]:
    """The endpoint's work for one request (a pool thread, or the caller's in tests)."""
    try:
        operator = plate_operators.operator_for_key(key)
        if operator is None:
            raise OperatorKeyError()
        try:
            data = json.loads(body or b"")
        except (ValueError, UnicodeDecodeError, RecursionError):  # nested past the parser's depth too
            raise ServiceError("请求体不是有效的 JSON", field="reads") from None
        if type(data) is not dict or "reads" not in data:
            raise ServiceError('请求体须为 {"reads": [...]}', field="reads")
        result = plates.ingest(operator, data["reads"])
    except ServiceError as exc:
        return _error(exc)
    return 200, json_body(
        {
            "accepted": result.accepted,
            "duplicates": result.duplicates,
            "rejected": len(result.errors),
            "hits": result.hits,
            "possible": result.possible,
            "errors": result.errors,
        }
    )


def _pooled(key: str, body: bytes) -> tuple[int, bytes]:
    recycle_connection()
    try:
        return answer(key, body)
    except Exception:
        log.exception("plate reads failed")
        return 500, json_body({"detail": "服务器内部错误，请稍后重试", "field": None, "code": "server_error"})
    finally:
        recycle_connection()


class PlateGateway:
    """Wraps the platform's HTTP ASGI app: plate reads here, everything else to the wrapped app."""

    def __init__(self, app: Any, threads: int = 2) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="plate-reads")
        self.inline = False  # tests: answered in the caller's thread and database connection

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") != PLATE_READS_PATH or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        headers = header_map(scope)
        if not served_as_django_would(scope, headers):
            await self.app(scope, receive, send)
            return
        content_type = headers.get("content-type", "")
        if not is_json_type(content_type):
            await send_json(send, 415, json_body(unsupported_json(content_type)))
            return
        body, refused = await read_body(receive)
        if refused is not None:
            await send_json(send, refused[0], json_body(refused[1]))
            return
        key = headers.get("x-partner-key", "")
        if self.inline:
            status, data = answer(key, body or b"")
        else:
            loop = asyncio.get_running_loop()
            status, data = await loop.run_in_executor(self.pool, _pooled, key, body or b"")
        await send_json(send, status, data)


# -- the API document: the route described as the ninja endpoint was -------------------------------------
class ReadError(Schema):
    row: int
    read_id: str
    field: str | None
    detail: str


class PlateHit(Schema):
    read_id: str
    plate: str
    score: float
    alert_id: int


class PossibleSighting(Schema):
    read_id: str
    plate: str
    score: float


class IngestOut(Schema):
    accepted: int
    duplicates: int
    rejected: int
    hits: list[PlateHit]
    possible: list[PossibleSighting]
    errors: list[ReadError]


def openapi(components: dict[str, Any]) -> dict[str, Any]:
    """The route's path for /api/openapi.json; its schemas are added to `components`."""
    ref = "#/components/schemas/{model}"
    schemas = components.setdefault("schemas", {})
    out = IngestOut.model_json_schema(ref_template=ref)
    schemas.update(out.pop("$defs", {}))
    schemas["IngestOut"] = out
    components.setdefault("securitySchemes", {})["OperatorAuth"] = {
        "type": "apiKey",
        "in": "header",
        "name": "X-Partner-Key",
    }
    return {
        PLATE_READS_PATH: {
            "post": {
                "operationId": "zhixing_command_plate_gateway_plate_reads",
                "summary": "停车场车牌识别记录（每批最多10000条；按识别记录号去重）",
                "description": "易混字符匹配；完全一致或在容许范围内的命中发预警（hits），"
                "超出布控名单规模容许的易混匹配记为疑似出现（possible），不发预警。",
                "tags": ["指挥中心·预警与布控"],
                "security": [{"OperatorAuth": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["reads"],
                                "properties": {
                                    "reads": {
                                        "type": "array",
                                        "maxItems": plates.MAX_BATCH,
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                n: {"type": "string"}
                                                for n in ("read_id", "plate", "seen_at", "car_park", "camera")
                                            },
                                        },
                                    }
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"$ref": ref.format(model="IngestOut")}}},
                    },
                    "401": {"description": "密钥无效或已吊销"},
                    "422": {"description": '请求体不是 {"reads": [...]}'},
                },
            }
        }
    }
