"""A page a role cannot act on answers its GET as its POST does: a 403 naming the role's limit.

`refuses_roles(test, message)` wraps a view: when `test(user)` is false the page is not rendered (its
forms would only be refused on submit) and the platform's 403 explains a role refusal (walk finding 2).
Put it under `login_required`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def role_refusal(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/403.html", {"message": message, "refusal": "role"}, status=403)


View = Callable[..., Any]


def refuses_roles(test: Callable[[Any], bool], message: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not test(request.user):
                return role_refusal(request, message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
