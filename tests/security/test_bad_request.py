"""A request Django itself refuses (a multipart body without its boundary) gets a Chinese 400, not its
English default page; the API answers in its JSON error format. Nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db

NO_BOUNDARY = "multipart/form-data"


@pytest.mark.parametrize("path", ["/login/", "/funds/finance/statements/", "/cases/1/close/"])
def test_multipart_without_boundary_on_a_page_is_a_chinese_400(
    path: str, people: dict[str, Any], settings: Any
) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(people["finance"])
    before = AuditRecord.objects.count()
    resp = client.generic("POST", path, b"--x\r\n", content_type=NO_BOUNDARY)
    assert resp.status_code == 400
    page = resp.content.decode()
    assert '<html lang="zh-CN">' in page and "请求无效（400）" in page
    assert "Bad Request" not in page
    assert AuditRecord.objects.count() == before


def test_multipart_without_boundary_on_the_api_is_a_json_400(people: dict[str, Any], settings: Any) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(people["judge"])
    resp = client.generic("POST", "/api/v1/cases/1/close", b"--x\r\n", content_type=NO_BOUNDARY)
    assert resp.status_code == 400
    assert resp["Content-Type"] == "application/json"
    detail = "请求无效：请求体无法解析，未作任何更改"
    assert resp.json() == {"detail": detail, "field": None, "code": "bad_request"}
