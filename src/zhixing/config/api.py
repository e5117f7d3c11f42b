"""The JSON API: /api/v1/..., OpenAPI document at /api/openapi.json, docs at /api/docs."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from zhixing.cases.api import router as cases_router
from zhixing.core.errors import ServiceError
from zhixing.courts.api import SessionAuth, TokenAuth
from zhixing.courts.api import router as courts_router

api = NinjaAPI(
    title="智执 Zhixing API",
    version="1",
    description="智慧执行平台接口。所有接口按法院范围授权：本院可读写，上级法院只读下级法院。",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)
api.add_router("/v1/", courts_router)
api.add_router("/v1/", cases_router)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "field": exc.field, "code": exc.code}, status=exc.status
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.errors
    first = errors[0] if errors else {}
    loc = [str(p) for p in first.get("loc", []) if p not in ("body", "payload", "query", "path")]
    return api.create_response(
        request,
        {
            "detail": f"参数“{'.'.join(loc) or '请求'}”无效：{first.get('msg', '格式错误')}",
            "field": ".".join(loc) or None,
            "code": "invalid",
            "errors": [{"loc": e.get("loc"), "msg": e.get("msg")} for e in errors],
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
    return api.create_response(
        request, {"detail": str(exc), "field": None, "code": "error"}, status=exc.status_code
    )
