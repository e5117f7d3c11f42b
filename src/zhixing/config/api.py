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
from zhixing.auctions.api import router as auctions_router
from zhixing.cases.api import router as cases_router
from zhixing.core.api_notifications import router as notifications_router
from zhixing.core.errors import ServiceError
from zhixing.core.inputguard import control_text_refused
from zhixing.core.validation import validation_body
from zhixing.core.views import CSRF_DETAIL
from zhixing.courts.api import SessionAuth, TokenAuth
from zhixing.courts.api import router as courts_router
from zhixing.credit.api import router as credit_router
from zhixing.entrust.api import router as entrust_router
from zhixing.funds.api import router as funds_router
from zhixing.funds.api_distribution import router as distribution_router
from zhixing.inquiry.api import router as inquiry_router
from zhixing.inquiry.api_dormant import router as inquiry_dormant_router
from zhixing.inquiry.api_expiry import router as inquiry_expiry_router
from zhixing.measures.api import router as measures_router
from zhixing.objections.api import router as objections_router


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
# Every operation's validated arguments are checked for control characters before its handler runs
# (a NUL in a JSON string reaches a text column otherwise: a 500 on PostgreSQL).
api.add_decorator(control_text_refused)
api.add_router("/v1/", courts_router)
api.add_router("/v1/", cases_router)
api.add_router("/v1/", credit_router)
api.add_router("/v1/", analytics_router)
api.add_router("/v1/", inquiry_router)
api.add_router("/v1/", inquiry_expiry_router)
api.add_router("/v1/", inquiry_dormant_router)
api.add_router("/v1/", funds_router)
api.add_router("/v1/", distribution_router)
api.add_router("/v1/", measures_router)
api.add_router("/v1/", notifications_router)
api.add_router("/v1/", objections_router)
api.add_router("/v1/", auctions_router)
api.add_router("/v1/", entrust_router)

_ninja_openapi = api.get_openapi_schema


def _openapi_with_gateway(*args: Any, **kwargs: Any) -> Any:
    """The document ninja builds, plus partner screening's check and batch and the parking operators'
    plate reads (served in front of Django by zhixing/credit/gateway/ and zhixing/command/plate_gateway.py,
    so ninja does not know them)."""
    from zhixing.command.plate_gateway import openapi as plate_openapi
    from zhixing.credit.gateway import openapi

    schema = _ninja_openapi(*args, **kwargs)
    schema["paths"].update(openapi(schema.setdefault("components", {})))
    schema["paths"].update(plate_openapi(schema["components"]))
    return schema


api.get_openapi_schema = _openapi_with_gateway  # type: ignore[method-assign]


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "field": exc.field, "code": exc.code}, status=exc.status
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, validation_body(list(exc.errors or [])), status=422)


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
    elif exc.status_code == 403 and str(exc) == "CSRF check Failed":  # ninja's own English words
        body = {"detail": CSRF_DETAIL, "field": None, "code": "csrf_failed"}
    else:
        body = {"detail": str(exc), "field": None, "code": "error"}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, {"detail": "请求体过大", "field": None, "code": "too_large"}, status=413
    )


# Command center: the alert stream and the parking operators' plate reads (issue 21 items 3 and 6).
from zhixing.command.api_field import router as command_field_router  # noqa: E402

api.add_router("/v1/", command_field_router)
