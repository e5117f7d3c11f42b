"""Characters no field may hold are refused at the door, before any view reads the request.

PostgreSQL cannot store a NUL character in text, and no name, number or reason a user types has a
control character in it (tab and line breaks aside). Django's form fields refuse NUL, but views that
read `request.POST` directly, URL parameters and query strings would pass it on to a query and fail
with a server error on PostgreSQL only. One guard here covers every page and form: a request whose
path, query or form values (or their names) carry such a character gets a 400 naming the field, and
nothing runs. The JSON API's bodies are parsed by ninja, so they are checked once validated, before
the handler runs (`control_text_refused`): a string anywhere in the arguments (body, query, path)
holding such a character answers 422 naming the field (``items[0].reason``), and nothing runs. The
domains' own checks keep their word: a schema's own validator (the cases API's `TextN`) runs before,
and a field marked `ServiceChecksText` is left to the service, whose message names the field in the
domain's words (funds' “收款账号”, a batch's row). `json_field` parses JSON typed into a form field
with the same rule.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from pydantic import BaseModel

from .errors import ServiceError

ALLOWED_CONTROLS = frozenset("\t\n\r")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The name the user is told for a part of the request that has no field name.
PATH_LABEL = "网址"


# Unicode Cc other than tab, line feed and carriage return, and lone surrogate halves: one C-level scan per
# value (every form value of every request passes here; a character-by-character loop in Python was the
# costliest line of a request carrying a long text).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def bad_text(value: str) -> bool:
    """True when `value` holds a control character (Unicode Cc, other than tab and line breaks) or
    half of a surrogate pair."""
    return _FORBIDDEN.search(value) is not None


def control_char(value: str) -> str | None:
    """The first character of `value` that `bad_text` refuses, as ``U+XXXX``; None when clean."""
    found = _FORBIDDEN.search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


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
    A value nested deeper than the interpreter's stack (``[[[[…``, parsed or scanned) is malformed too.
    """
    try:
        value = json.loads(text) if text and text.strip() else shape()
        bad = isinstance(value, shape) and _holds_bad_text(value)
    except (ValueError, RecursionError):  # RecursionError: not a ValueError, it was a server error
        raise ServiceError(message, field=field) from None
    if not isinstance(value, shape):
        raise ServiceError(message, field=field)
    if bad:
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


class ServiceChecksText:
    """Marks a schema field whose service refuses control characters itself, with the domain's own
    message: `Annotated[str, ServiceChecksText()]`. `control_text_refused` leaves the field (and whatever
    it holds) to the service."""


def _marked(model: BaseModel, name: str) -> bool:
    info = type(model).model_fields.get(name)
    return info is not None and any(isinstance(m, ServiceChecksText) for m in info.metadata)


def _bad_strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """(field, U+XXXX) of every string inside a handler argument holding a forbidden character."""
    if isinstance(value, str):
        bad = control_char(value)
        if bad:
            yield where, bad
    elif isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            if not _marked(value, name):
                label = info.alias or name
                yield from _bad_strings(getattr(value, name), f"{where}.{label}" if where else label)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and control_char(key):
                yield where or "请求体", control_char(key) or ""
            yield from _bad_strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _bad_strings(item, f"{where}[{i}]")


# Where ninja puts a handler's parameters: a body or query model's own name is not a field name.
_UNNAMED_ARGUMENTS = {"payload", "body", "data", "filters", "query", "params"}


def refuse_control_text(arguments: dict[str, Any]) -> None:
    """Raise a `ServiceError` (422) on the first string in validated handler `arguments` that holds a
    forbidden character, naming its field."""
    for name, value in arguments.items():
        where = "" if isinstance(value, BaseModel) or name in _UNNAMED_ARGUMENTS else name
        for field, bad in _bad_strings(value, where):
            raise ServiceError(f"参数“{field}”含有不允许的控制字符（{bad}）", field=field)


def refuse_control_json(value: Any, *, left_to_service: Callable[[str], bool] | None = None) -> None:
    """Raise a `ServiceError` (422) naming the first string or key of a parsed JSON `value` that holds a
    forbidden character (``results[0].result.ref``; a bad key names the object holding it).

    For the handlers that parse a body themselves (the partners' signed callbacks): ninja never saw
    those bodies, so `control_text_refused` could not check them. Call it once the message is parsed,
    before anything is looked up or stored. A field for which `left_to_service(field)` is true is the
    service's to refuse, in the domain's words (the bank notice's “附言”), as `ServiceChecksText`.
    """
    for field, bad in _bad_strings(value, ""):
        if left_to_service is not None and left_to_service(field):
            continue
        raise ServiceError(f"参数“{field}”含有不允许的控制字符（{bad}）", field=field)


def control_text_refused(view: Callable[..., Any]) -> Callable[..., Any]:
    """An API operation's handler that first checks its validated arguments with `refuse_control_text`.

    Installed for every operation with ``api.add_decorator(control_text_refused)`` (ninja's
    "operation" mode: the handler is wrapped and receives the validated arguments), so a new endpoint
    is guarded without anyone listing it.
    """

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        refuse_control_text(kwargs)
        return view(request, *args, **kwargs)

    return checked


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
