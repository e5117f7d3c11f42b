"""Refusals a probe met in Django's stock form: unknown API addresses (HTML 404), a failed CSRF check
(Django's English page naming the DEBUG setting), 429s without `Retry-After`, forms posting elsewhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhixing.core import ratelimit


@pytest.mark.django_db
def test_an_unknown_api_address_answers_the_api_json_error() -> None:
    r = Client().get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/json")
    assert r.json() == {"detail": "接口不存在：请核对地址与请求方法", "field": None, "code": "not_found"}
    page = Client().get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_failed_csrf_check_is_the_platform_403_in_chinese(people: dict[str, Any]) -> None:
    c = Client(enforce_csrf_checks=True)
    r = c.post("/login/", {"username": "x", "password": "y"})
    assert r.status_code == 403
    body = r.content.decode()
    assert "页面已过期或请求来源无法确认" in body and "DEBUG" not in body
    c.force_login(people["judge"])
    api = c.post("/api/v1/cases", data="{}", content_type="application/json")
    assert api.status_code == 403
    assert api.json()["code"] == "csrf_failed"


@pytest.mark.django_db
def test_a_429_says_when_to_retry() -> None:
    """The refusing limit's own window end (an hour's window 600 s in: 3,000 s), else the next minute."""
    from datetime import UTC, datetime

    import time_machine
    from django.http import HttpResponse
    from django.test import RequestFactory

    from zhixing.core.headers import SecurityHeadersMiddleware

    with time_machine.travel(datetime(2026, 12, 7, 10, 10, 0, tzinfo=UTC), tick=False):
        _retry_after(SecurityHeadersMiddleware, HttpResponse, RequestFactory())


def _retry_after(middleware: Any, response: Any, rf: Any) -> None:
    SecurityHeadersMiddleware, HttpResponse = middleware, response

    def refused(_: Any) -> HttpResponse:
        try:
            ratelimit.hit_rate_limit("t-retry", "me", 0, window=3600)
        except ratelimit.RateLimited:
            return HttpResponse("请求过于频繁", status=429)
        return HttpResponse("ok")

    r = SecurityHeadersMiddleware(refused)(rf.get("/"))
    assert (r.status_code, r["Retry-After"]) == (429, "3000")
    plain = SecurityHeadersMiddleware(lambda _: HttpResponse("x", status=429))(rf.get("/"))
    assert plain["Retry-After"] == "60"  # no limit said: the next minute's window
    ok = SecurityHeadersMiddleware(lambda _: HttpResponse("x"))(rf.get("/"))
    assert "Retry-After" not in ok
    assert "form-action 'self'" in ok["Content-Security-Policy"]
