"""Fixtures for the public portal: frozen 2026-03-10 Beijing, a case with a person debtor whose identity,
phone and address are on file, assigned to the 天河 judge; a fresh rate-limit store for every test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches

from tests import factories
from tests.documents.eservice_fixtures import gateways, sandbox_server, smtp_sink  # noqa: F401  (e-service)
from tests.funds.conftest import custody  # noqa: F401
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase

NOW = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
DEBTOR_ID = factories.make_id(date(1985, 6, 15), seq=357)
DEBTOR_PHONE = "13912345678"
DEBTOR_ADDRESS = "广东省广州市天河区体育西路191号中石化大厦B塔2001室"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_limits(request: pytest.FixtureRequest) -> None:
    """Every database test starts with unspent rate-limit budgets (the store is the database cache)."""
    if request.node.get_closest_marker("django_db") is not None:
        caches["shared"].clear()


def person_case(clerk: Any, judge: Any, director: Any, name: str = "王小明") -> EnforcementCase:
    case = factories.case(
        clerk,
        parties=[
            case_services.PartyData(
                role="applicant",
                kind="organisation",
                name="广州某银行股份有限公司",
                credit_code=factories.VALID_CREDIT,
                legal_representative="陈行长",
            ),
            case_services.PartyData(
                role="debtor",
                kind="person",
                name=name,
                id_number=DEBTOR_ID,
                phone=DEBTOR_PHONE,
                address=DEBTOR_ADDRESS,
            ),
        ],
    )
    return case_services.assign_case(director, case, judge, on=date(2026, 3, 5))


@pytest.fixture
def pcase(people: dict[str, Any]) -> EnforcementCase:
    return person_case(people["clerk"], people["judge"], people["director"])
