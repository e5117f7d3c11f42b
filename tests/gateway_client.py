"""Django's test `Client` (and live test server) through the platform's ASGI app for the gateway's URLs.

The partner screening check and batch (`zhixing.credit.gateway`) and the parking operators' plate reads
(`zhixing.command.plate_gateway`) are answered in front of Django, so a test posting to them with
`Client()` (or the `client` fixture) must reach that route, not Django's URL resolver (where they no
longer exist). `tests/conftest.py` patches `Client.request`: a POST to one of those URLs is turned into an
ASGI request and sent to `zhixing.config.asgi.application`, with the gateways inline (the request handled
in the test's thread and database connection); the answer comes back as an `HttpResponse` with `.json()`
like any other. Django's live test server (WSGI, used by the browser tests in e2e/) is patched the same
way. Everything else goes to Django as before.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse
from django.test import Client

_original_request = Client.request


def _scope(environ: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    headers: list[tuple[bytes, bytes]] = []
    for name, value in environ.items():
        if name.startswith("HTTP_"):
            headers.append((name[5:].replace("_", "-").lower().encode(), str(value).encode("latin-1")))
    if "HTTP_HOST" not in environ:
        headers.append((b"host", str(environ.get("SERVER_NAME", "testserver")).encode()))
    if environ.get("CONTENT_TYPE"):
        headers.append((b"content-type", str(environ["CONTENT_TYPE"]).encode("latin-1")))
    secure = environ.get("wsgi.url_scheme") == "https"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": environ["REQUEST_METHOD"],
        "scheme": "https" if secure else "http",
        "path": environ["PATH_INFO"],
        "raw_path": environ["PATH_INFO"].encode(),
        "query_string": str(environ.get("QUERY_STRING", "")).encode("latin-1"),
        "root_path": "",
        "headers": headers,
        "client": (environ.get("REMOTE_ADDR", "127.0.0.1"), 5000),
        "server": ("testserver", 443 if secure else 80),
    }
    return scope, body


def asgi_call(scope: dict[str, Any], body: bytes) -> HttpResponse:
    """Run the platform's ASGI application on one request with the screening gateway inline."""
    from zhixing.config.asgi import application, plate_gateway, screening_gateway

    messages = [{"type": "http.request", "body": body, "more_body": False}]
    out: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        out.append(message)

    was = screening_gateway.inline, plate_gateway.inline
    screening_gateway.inline = plate_gateway.inline = True
    try:
        coro = application(scope, receive, send)
        # Driven by hand, not by an event loop: the inline gateway never suspends, and Django's ORM
        # refuses to run in a thread with a running event loop.
        try:
            coro.send(None)
        except StopIteration:
            pass
        else:
            coro.close()
            raise RuntimeError("the screening gateway suspended in inline mode")
    finally:
        screening_gateway.inline, plate_gateway.inline = was
    start = out[0]
    response = HttpResponse(b"".join(m.get("body", b"") for m in out[1:]), status=start["status"])
    for k, v in start["headers"]:
        response.headers[k.decode("latin-1")] = v.decode("latin-1")
    return response


def _fast_paths() -> set[str]:
    """The URLs answered in front of Django whose tests go through the ASGI application."""
    from zhixing.command.plate_gateway import PLATE_READS_PATH
    from zhixing.credit.gateway import PATHS

    return {*PATHS, PLATE_READS_PATH}


def _request(self: Client, **request: Any) -> Any:
    environ = self._base_environ(**request)
    if environ.get("PATH_INFO") not in _fast_paths() or environ.get("REQUEST_METHOD") != "POST":
        return _original_request(self, **request)
    scope, body = _scope(environ)
    response = asgi_call(scope, body)
    response.client = self  # type: ignore[attr-defined]
    response.request = request  # type: ignore[attr-defined]
    response.json = partial(self._parse_json, response)  # type: ignore[attr-defined]
    return response


_original_wsgi = WSGIHandler.__call__


def _wsgi(self: WSGIHandler, environ: dict[str, Any], start_response: Any) -> Any:
    """Django's live test server (WSGI, the browser tests): the gateway's URLs through the ASGI app."""
    if environ.get("PATH_INFO") not in _fast_paths() or environ.get("REQUEST_METHOD") != "POST":
        return _original_wsgi(self, environ, start_response)
    scope, body = _scope(environ)
    response = asgi_call(scope, body)
    status = f"{response.status_code} {response.reason_phrase}"
    start_response(status, list(response.items()))
    return [response.content]


def install() -> None:
    Client.request = _request  # type: ignore[method-assign]
    WSGIHandler.__call__ = _wsgi  # type: ignore[method-assign]
