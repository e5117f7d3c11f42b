"""Objection fixtures: a 天河 case with a seized flat and a frozen account, a third party, a panel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from tests import factories
from tests.inquiry.expiry_support import frozen, seized
from zhixing.objections.services import ObjectorData

TZ = ZoneInfo("Asia/Shanghai")
FLAT = "粤(2024)广州市不动产权第0106001号"
THIRD_PARTY_ID = factories.make_id(date(1985, 3, 15), seq=602)


def at(day: date, hour: int = 10) -> Any:
    """Travel to `day` (Beijing time), clock stopped."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case(people: dict[str, Any]) -> Any:
    return factories.case(people["clerk"])


@pytest.fixture
def flat(case: Any) -> Any:
    return seized(case, date(2026, 3, 5), ref=FLAT)


@pytest.fixture
def account(case: Any) -> Any:
    return frozen(case, "6222000011112222", date(2026, 3, 5), amount="3000.00")


@pytest.fixture
def panel(people: dict[str, Any]) -> list[int]:
    return [people["judge"].pk, people["judge2"].pk, people["director"].pk]


def objector(**kw: Any) -> ObjectorData:
    data = {
        "name": "李秀英",
        "id_number": THIRD_PARTY_ID,
        "claim": "该房屋系本人购买并已付清价款、实际居住",
        "grounds": "有购房合同、付款凭证为证",
        "phone": "13800000000",
    }
    data.update(kw)
    return ObjectorData(**data)
