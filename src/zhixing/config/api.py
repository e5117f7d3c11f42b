"""The JSON API: /api/v1/..., OpenAPI document at /api/openapi.json, docs at /api/docs.

Every error is a JSON body `{"detail": <Chinese message naming the field>, "field": ..., "code": ...}`.
A JSON body must be declared as JSON (`Content-Type: application/json`), else 415: a browser may send
`text/plain` across sites without asking first, so a body parsed whatever its declared type would let
any web page post JSON to the API. Endpoints that define their own formats (the partners' compact
`text/plain` screening batch) read the raw body and are not affected. Swagger UI is served from the
platform's own static files (django-ninja ships them), never from a CDN.
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from zhixing.analytics.api import router as analytics_router
from zhixing.cases.api import router as cases_router
from zhixing.core.api_notifications import router as notifications_router
from zhixing.core.errors import ServiceError
from zhixing.courts.api import SessionAuth, TokenAuth
from zhixing.courts.api import router as courts_router
from zhixing.credit.api import router as credit_router
from zhixing.funds.api import router as funds_router
from zhixing.funds.api_distribution import router as distribution_router
from zhixing.inquiry.api import router as inquiry_router
from zhixing.inquiry.api_expiry import router as inquiry_expiry_router
from zhixing.measures.api import router as measures_router


class UnsupportedMediaType(Exception):
    """A request body that is not declared as JSON where the API expects JSON."""

    def __init__(self, content_type: str) -> None:
        super().__init__(content_type)
        self.content_type = content_type


def is_json_type(content_type: str) -> bool:
    """`application/json` or a structured-syntax JSON type (`application/merge-patch+json`)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


class DeclaredJsonParser(Parser):
    """Parse a body as JSON only when its Content-Type says JSON."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if not is_json_type(request.content_type or ""):
            raise UnsupportedMediaType(request.content_type or "")
        return super().parse_body(request)


api = NinjaAPI(
    title="智执 Zhixing API",
    version="1",
    description="智慧执行平台接口。所有接口按法院范围授权：本院可读写，上级法院只读下级法院。",
    auth=[TokenAuth(), SessionAuth()],
    parser=DeclaredJsonParser(),
    # Local assets ("ninja" is an installed app); no validator badge fetched from swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)
api.add_router("/v1/", courts_router)
api.add_router("/v1/", cases_router)
api.add_router("/v1/", credit_router)
api.add_router("/v1/", analytics_router)
api.add_router("/v1/", inquiry_router)
api.add_router("/v1/", inquiry_expiry_router)
api.add_router("/v1/", funds_router)
api.add_router("/v1/", distribution_router)
api.add_router("/v1/", measures_router)
api.add_router("/v1/", notifications_router)

# Where ninja puts a parameter, and the names our handlers give their parameter models: not field names.
_LOC_PREFIXES = {"body", "query", "path", "header", "cookie", "form", "file", "payload", "q"}

# Chinese texts for pydantic's error types (placeholders come from the error's `ctx`).
_MESSAGES = {
    "missing": "为必填项",
    "string_type": "应为文本",
    "string_too_long": "不能超过{max_length}个字符",
    "string_too_short": "不能少于{min_length}个字符",
    "string_unicode": "含有无效的Unicode字符",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "不能小于{ge}",
    "greater_than": "须大于{gt}",
    "less_than_equal": "不能大于{le}",
    "less_than": "须小于{lt}",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "list_type": "应为数组",
    "too_long": "最多{max_length}项",
    "too_short": "至少{min_length}项",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "date_type": "应为YYYY-MM-DD格式的日期",
    "date_parsing": "应为YYYY-MM-DD格式的日期",
    "date_from_datetime_parsing": "应为YYYY-MM-DD格式的日期",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "json_invalid": "不是有效的JSON",
    "extra_forbidden": "不是可接受的参数",
}


def _field(loc: Any) -> str:
    """`("body", "payload", "parties", 0, "id_number")` → `parties[0].id_number`.

    A bad key of a mapping names the mapping (the key itself may be garbage).
    """
    parts = list(loc or ())
    while parts and isinstance(parts[0], str) and parts[0] in _LOC_PREFIXES:
        parts.pop(0)
    if "[key]" in parts:
        parts = parts[: max(parts.index("[key]") - 1, 0)]
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error") is not None:
        return str(ctx["error"])
    template = _MESSAGES.get(kind)
    if template is None:
        return "格式错误"
    if "expected" in ctx:
        ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", "、").replace(", ", "、")}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "field": exc.field, "code": exc.code}, status=exc.status
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.errors or []
    first = errors[0] if errors else {}
    field = _field(first.get("loc"))
    detail = f"参数“{field or '请求'}”{_message(first)}" if first else "请求参数无效"
    return api.create_response(
        request,
        {
            "detail": detail,
            "field": field or None,
            "code": "invalid",
            "errors": [{"field": _field(e.get("loc")) or None, "detail": _message(e)} for e in errors],
        },
        status=422,
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "未登录或令牌无效", "field": None, "code": "unauthenticated"}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, UnsupportedMediaType):  # ninja wraps every body-parsing failure
        declared = exc.__cause__.content_type or "未声明"
        body = {
            "detail": f"请求体须为JSON，并声明 Content-Type: application/json（收到：{declared}）",
            "field": None,
            "code": "unsupported_media_type",
        }
        return api.create_response(request, body, status=415)
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        body = {"detail": "请求体不是有效的JSON", "field": None, "code": "bad_json"}
    else:
        body = {"detail": str(exc), "field": None, "code": "error"}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, {"detail": "请求体过大", "field": None, "code": "too_large"}, status=413
    )
