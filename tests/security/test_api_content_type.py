"""JSON bodies must be declared as JSON: every API operation that takes one answers 415 otherwise.

A web page can post `text/plain` to another site without a CORS preflight; an API that parses JSON
whatever the declared type accepts such posts. Operations that define their own text formats (the
partners' compact screening batch) keep accepting them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests.factories import make_id
from zhixing.auctions.services.bidders import register_bidder
from zhixing.cases.models import EnforcementCase
from zhixing.config.api import api, is_json_type
from zhixing.courts.services import issue_token
from zhixing.credit import services as credit_services

# backend_neutral: refused before any query; the PostgreSQL stage skips it
# (docs/adr/0029-postgresql-stage-runs-what-can-differ.md).
pytestmark = [pytest.mark.django_db, pytest.mark.backend_neutral]


def json_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation whose request body is JSON only."""
    out = []
    for path, ops in api.get_openapi_schema()["paths"].items():
        for method, op in ops.items():
            content = (op.get("requestBody") or {}).get("content", {})
            if "application/json" in content and "text/plain" not in content:
                out.append((method, path))
    return sorted(out)


OPERATIONS = json_operations()


@pytest.fixture(scope="module")
def headers(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """Credentials of a judge, a partner and a bidder, made once for the module's ~450 requests and
    rolled back at its end (`rolled_back`); each test runs in its own savepoint."""
    from tests.conftest import rolled_back, staff_of
    from tests.factories import province

    with rolled_back(django_db_blocker):
        people = staff_of(province())
        _, key = credit_services.create_partner(None, name="国铁集团", kind="railway")
        token = issue_token(None, people["judge"], "content-type test")
        # The auction portal's bidders authenticate with their own token (auctions.api.BidderToken).
        _, bidder_token = register_bidder("竞买人甲", make_id(date(1980, 1, 1), seq=11))
        yield {"Authorization": f"Bearer {token}", "X-Partner-Key": key, "X-Bidder-Token": bidder_token}


def test_the_api_has_json_operations_to_check() -> None:
    assert ("post", "/api/v1/cases") in OPERATIONS and ("post", "/api/v1/screening/check") in OPERATIONS
    assert ("post", "/api/v1/screening/batch") not in OPERATIONS  # it declares text/plain too


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
@pytest.mark.parametrize("declared", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_json_sent_as_another_type_is_refused(
    method: str, path: str, declared: str, headers: dict[str, str]
) -> None:
    url = re.sub(r"\{[^}]+\}", "1", path)
    before = EnforcementCase.objects.count()
    resp = getattr(Client(), method)(url, data=b'{"id": "x"}', content_type=declared, headers=headers)
    assert resp.status_code == 415, resp.content
    shown = declared or "未声明"
    assert resp.json() == {
        "detail": f"请求体须为JSON，并声明 Content-Type: application/json（收到：{shown}）",
        "field": None,
        "code": "unsupported_media_type",
    }
    assert EnforcementCase.objects.count() == before


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_declared_json_is_parsed(method: str, path: str, headers: dict[str, str]) -> None:
    url = re.sub(r"\{[^}]+\}", "1", path)
    resp = getattr(Client(), method)(
        url, data=b"{}", content_type="application/json; charset=utf-8", headers=headers
    )
    assert resp.status_code != 415


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("Application/JSON", True),
        ("application/merge-patch+json", True),
        ("text/plain", False),
        ("text/json", False),
        ("multipart/form-data; boundary=x", False),
        ("", False),
    ],
)
def test_is_json_type(content_type: str, expected: bool) -> None:
    assert is_json_type(content_type) is expected


def test_partner_batch_keeps_its_text_format(headers: dict[str, str]) -> None:
    resp = Client().post(
        "/api/v1/screening/batch",
        data="11010519491231002X\n",
        content_type="text/plain",
        headers={"X-Partner-Key": headers["X-Partner-Key"], "Accept": "text/csv"},
    )
    assert resp.status_code == 200
    assert resp["Content-Type"] == "text/csv; charset=utf-8"
