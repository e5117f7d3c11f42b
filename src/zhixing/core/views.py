"""Chinese error pages for requests no domain view handled."""

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader

# The JSON API's mount point (config/urls.py): errors there answer in the API's JSON error format.
API_PREFIX = "/api/"
SERVER_ERROR_DETAIL = "服务器内部错误，请稍后重试；如问题持续，请联系技术保障人员"


BAD_REQUEST_DETAIL = "请求无效：请求体无法解析，未作任何更改"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 Django itself answers (an unparsable body, e.g. multipart without its boundary).

    Chinese like every other error page, JSON on the API; the message is fixed (the exception's text is
    Django's English and may echo the request).
    """
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": BAD_REQUEST_DETAIL, "field": None, "code": "bad_request"},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    page = loader.get_template("core/400.html").render({"message": BAD_REQUEST_DETAIL})
    return HttpResponseBadRequest(page)


NOT_FOUND_DETAIL = "接口不存在：请核对地址与请求方法"
CSRF_DETAIL = "页面已过期或请求来源无法确认，未作任何更改：请刷新页面后重试"


def _api_error(detail: str, code: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": detail, "field": None, "code": code},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", {"message": str(exception or "")}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page; on the API (an address no endpoint has) the API's JSON error body."""
    if request.path.startswith(API_PREFIX):
        return _api_error(NOT_FOUND_DETAIL, "not_found", 404)
    return render(request, "core/404.html", {}, status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused cross-site or expired form (`CSRF_FAILURE_VIEW`): the platform's 403 in Chinese instead
    of Django's stock page (which names the DEBUG setting); Django's English `reason` is not shown."""
    if request.path.startswith(API_PREFIX):
        return _api_error(CSRF_DETAIL, "csrf_failed", 403)
    return render(request, "core/403.html", {"message": CSRF_DETAIL}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 answer: Chinese, and independent of the database, the session and the user.

    Django calls this after an unhandled exception, possibly because the database is down, so nothing
    here may touch it: the page is rendered without a request context (no context processors), and the
    API gets its usual JSON error body.
    """
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {
                "detail": SERVER_ERROR_DETAIL,
                "field": None,
                "code": "server_error",
            },
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    return HttpResponseServerError(loader.get_template("500.html").render())
