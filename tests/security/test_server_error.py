"""The 500 answer is Chinese, for pages and for the API, and needs nothing from the database."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from zhixing.core.views import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_errors(settings: Any) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.security.urls_failing"


def test_page_500_is_chinese_while_the_database_is_down(
    production_errors: None, django_db_blocker: Any
) -> None:
    client = Client(raise_request_exception=False)
    with django_db_blocker.block():  # any database access from here on would raise
        resp = client.get("/failing/")
    assert resp.status_code == 500
    page = resp.content.decode()
    assert '<html lang="zh-CN">' in page
    assert "<h1>系统暂时出现错误（500）</h1>" in page
    assert "Server Error" not in page


def test_api_500_is_a_chinese_json_error(
    production_errors: None, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(user: Any) -> Any:
        raise RuntimeError("unexpected")

    monkeypatch.setattr("zhixing.courts.api.readable_courts", broken)
    client = Client(raise_request_exception=False)
    client.force_login(people["judge"])
    resp = client.get("/api/v1/courts")
    assert resp.status_code == 500
    assert resp["Content-Type"] == "application/json"
    assert resp.json() == {
        "detail": "服务器内部错误，请稍后重试；如问题持续，请联系技术保障人员",
        "field": None,
        "code": "server_error",
    }


def test_the_handler_itself_touches_no_database(rf: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.block():
        page = server_error(rf.get("/cases/1/"))
        api = server_error(rf.get("/api/v1/cases/1"))
    assert (page.status_code, api.status_code) == (500, 500)
    assert "系统暂时出现错误" in page.content.decode()
    assert json.loads(api.content)["code"] == "server_error"
