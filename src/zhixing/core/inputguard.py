"""Characters no field may hold are refused at the door, before any view reads the request.

PostgreSQL cannot store a NUL character in text, and no name, number or reason a user types has a
control character in it (tab and line breaks aside). Django's form fields refuse NUL, but views that
read `request.POST` directly, URL parameters and query strings would pass it on to a query and fail
with a server error on PostgreSQL only. One guard here covers every page and form: a request whose
path, query or form values (or their names) carry such a character gets a 400 naming the field, and
nothing runs. The JSON API's bodies are checked by their schemas; the guard covers their paths and
query strings. `json_field` parses JSON typed into a form field with the same rule.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .errors import ServiceError

ALLOWED_CONTROLS = frozenset("\t\n\r")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The name the user is told for a part of the request that has no field name.
PATH_LABEL = "网址"


def bad_text(value: str) -> bool:
    """True when `value` holds a control character (Unicode Cc, other than tab and line breaks) or
    half of a surrogate pair."""
    return any(
        (ch < " " and ch not in ALLOWED_CONTROLS) or "\x7f" <= ch <= "\x9f" or "\ud800" <= ch <= "\udfff"
        for ch in value
    )


def _bad_field(request: HttpRequest) -> str | None:
    if bad_text(request.path):
        return PATH_LABEL
    sources: list[Iterable[tuple[str, list[str]]]] = [request.GET.lists()]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        sources.append(request.POST.lists())
    for source in sources:
        for name, values in source:
            if bad_text(name):
                return PATH_LABEL
            if any(bad_text(v) for v in values):
                return name
    return None


def json_field(text: str | None, shape: type, *, field: str, message: str) -> Any:
    """A JSON value typed into a form field (empty: an empty `shape`), else a `ServiceError` on `field`.

    The value must be of `shape` (list or dict), and no key or string inside may hold a forbidden
    character: ``"\\u0000"`` written in the JSON text is a NUL once parsed, which the guard above never saw.
    """
    try:
        value = json.loads(text) if text and text.strip() else shape()
    except ValueError:
        value = None
    if not isinstance(value, shape):
        raise ServiceError(message, field=field)
    if _holds_bad_text(value):
        raise ServiceError(f"“{field}”含有不允许的控制字符（如空字符NUL）", field=field)
    return value


def _holds_bad_text(value: Any) -> bool:
    if isinstance(value, str):
        return bad_text(value)
    if isinstance(value, dict):
        return any(_holds_bad_text(k) or _holds_bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_bad_text(v) for v in value)
    return False


def axes_username(request: HttpRequest, credentials: dict[str, object] | None = None) -> str:
    """The username a failed sign-in is recorded under, cut to the column's length (Staff: 150).

    django-axes stores whatever was typed; a longer text would fail the insert on PostgreSQL.
    """
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(typed)[:150]


class InputGuardMiddleware:
    """Answer 400 (422 with the API's JSON error body) to a request carrying forbidden characters."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = _bad_field(request)
        if field is None:
            return self.get_response(request)
        message = f"“{field}”含有不允许的控制字符（如空字符NUL），请求未被处理，未作任何更改"
        if request.path.startswith("/api/"):
            named = None if field == PATH_LABEL else field
            return JsonResponse({"detail": message, "field": named, "code": "invalid"}, status=422)
        return render(request, "core/400.html", {"message": message}, status=400)
