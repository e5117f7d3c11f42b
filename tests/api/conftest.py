"""Fixtures for the JSON API tests: a bearer-token client, frozen time, API-shaped filing bodies."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhixing.cases.models import EnforcementCase
from zhixing.core.models import AuditRecord
from zhixing.courts.models import Staff
from zhixing.courts.services import issue_token

from .. import factories

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Argon2 is deliberately slow; the API tests create many staff and never log in by password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen() -> Iterator[date]:
    """'Today' is Tuesday 10 March 2026, 10:00 in Guangzhou."""
    with time_machine.travel(NOW, tick=False):
        yield TODAY


class Api:
    """A Django test client speaking JSON with a bearer token per staff member (None = anonymous)."""

    def __init__(self) -> None:
        self.client = Client()
        self._tokens: dict[int, str] = {}

    def token(self, staff: Staff) -> str:
        if staff.pk not in self._tokens:
            self._tokens[staff.pk] = issue_token(None, staff, "api test")
        return self._tokens[staff.pk]

    def headers(self, staff: Staff | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(staff)}"} if staff is not None else {}

    def get(self, path: str, staff: Staff | None, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers(staff))

    def post(self, path: str, staff: Staff | None, body: Any = None) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            body if body is not None else {},
            content_type="application/json",
            headers=self.headers(staff),
        )


@pytest.fixture
def api(db: Any) -> Api:
    return Api()


def filing_body(**overrides: Any) -> dict[str, Any]:
    """A valid filing request body: a bank against two natural-person debtors."""
    body: dict[str, Any] = {
        "applied_on": "2026-03-09",
        "filed_on": "2026-03-10",
        "instrument_type": "civil_judgment",
        "issuing_body": "广州市天河区人民法院",
        "basis_number": f"（2025）粤0106民初{900 + next(_seq)}号",
        "effective_on": "2025-12-01",
        "performance_deadline": "2025-12-15",
        "principal": "100000.00",
        "adjudged_interest": "2500.50",
        "litigation_costs": 1200,
        "parties": [
            {
                "role": "applicant",
                "kind": "organisation",
                "name": "广州某银行股份有限公司",
                "credit_code": factories.VALID_CREDIT,
                "legal_representative": "陈行长",
            },
            {
                "role": "debtor",
                "kind": "person",
                "name": "张三",
                "id_number": factories.VALID_IDS[2],
                "former_names": ["张叁"],
                "phone": "13800000000",
                "address": "广州市天河区体育西路1号",
            },
            {"role": "debtor", "kind": "person", "name": "李四", "id_number": factories.VALID_IDS[0]},
        ],
    }
    body.update(overrides)
    return body


def counts() -> tuple[int, int]:
    """(cases, audit records): what a rejected request must leave unchanged."""
    return EnforcementCase.objects.count(), AuditRecord.objects.count()
