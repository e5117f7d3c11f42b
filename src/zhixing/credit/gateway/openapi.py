"""The API document: the gateway's operations, described as the ninja handlers were."""

from __future__ import annotations

from typing import Any

from zhixing.core.asgi_routes import JSON_TYPE

from ..schemas import MAX_BATCH, BatchIn, BatchOut, CheckIn, CheckOut
from .asgi import BATCH_PATH, CHECK_PATH

_CSV_TEXT = "position,mask,since,court,case_number：仅列命中与无效行（行号从1起）"
_BATCH_CONTENT = {
    "text/plain": {"schema": {"type": "string", "description": "每行一个身份号码或统一社会信用代码"}},
}


def openapi(components: dict[str, Any]) -> dict[str, Any]:
    """The gateway's paths for /api/openapi.json; their schemas are added to `components`."""
    ref = "#/components/schemas/{model}"
    schemas = components.setdefault("schemas", {})

    def schema(model: Any) -> dict[str, Any]:
        out = model.model_json_schema(ref_template=ref)
        schemas.update(out.pop("$defs", {}))
        schemas[model.__name__] = out
        return {"$ref": ref.format(model=model.__name__)}

    batch_in = BatchIn.model_json_schema(ref_template=ref)
    common = {"tags": ["信用惩戒"], "security": [{"PartnerAuth": []}]}
    errors = {
        str(code): {"description": text}
        for code, text in [(401, "密钥无效或已吊销"), (403, "隐私模式单位"), (429, "超过每分钟调用上限")]
    }
    return {
        CHECK_PATH: {
            "post": {
                "operationId": "zhixing_credit_gateway_screening_check",
                "summary": "单人筛查",
                "requestBody": {
                    "required": True,
                    "content": {JSON_TYPE: {"schema": schema(CheckIn)}},
                },
                "responses": {
                    "200": {"description": "OK", "content": {JSON_TYPE: {"schema": schema(CheckOut)}}},
                    **errors,
                },
                **common,
            }
        },
        BATCH_PATH: {
            "post": {
                "operationId": "zhixing_credit_gateway_screening_batch",
                "summary": "批量筛查（最多10000个；JSON 或每行一个的文本）",
                "parameters": [
                    {
                        "in": "query",
                        "name": "details",
                        "required": False,
                        "schema": {"type": "integer", "default": 1},
                        "description": "0：紧凑格式不带法院与案号",
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON_TYPE: {
                            "schema": {
                                "oneOf": [
                                    batch_in,
                                    {"type": "array", "items": {"type": "string"}, "maxItems": MAX_BATCH},
                                ]
                            }
                        },
                        **_BATCH_CONTENT,
                    },
                },
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            JSON_TYPE: {"schema": schema(BatchOut)},
                            "text/csv": {
                                "schema": {
                                    "type": "string",
                                    "description": _CSV_TEXT,
                                }
                            },
                        },
                    },
                    **errors,
                },
                **common,
            }
        },
    }
