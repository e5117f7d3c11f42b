"""The site icon: browsers ask every site for /favicon.ico; answer with the platform's own icon (a 404
would show as a console error on the first page of every visit)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("zhixing/favicon.svg"))
