"""Secure response headers Django does not set by itself."""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .ratelimit import RETRY_AFTER

# Everything is served by the platform itself (court intranets have no internet), so 'self' suffices.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)
RATE_WINDOW = 60


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = RETRY_AFTER.set(None)
        try:
            response = self.get_response(request)
            retry_after = RETRY_AFTER.get()
        finally:
            RETRY_AFTER.reset(token)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if response.status_code == 429 and "Retry-After" not in response.headers:
            # The refusing limit's window end (core.ratelimit), else the next minute: most limits count
            # in windows of a minute, and the login lockout sets its own.
            response.headers["Retry-After"] = str(retry_after or RATE_WINDOW - int(time.time()) % RATE_WINDOW)
        return response
