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
from tests.auctions.conftest import priced_house
from tests.funds.conftest import custody  # noqa: F401  (fixture)
from tests.inquiry.expiry_support import frozen, seized
from zhixing.funds.services.accounts import forget_custody_cache
from zhixing.inquiry.models import Asset
from zhixing.objections.services import ObjectorData

TZ = ZoneInfo("Asia/Shanghai")
FLAT = "粤(2024)广州市不动产权第0106001号"
THIRD_PARTY_ID = factories.make_id(date(1985, 3, 15), seq=602)
# The objection × auction tests: the lot's announcement day and the end of its bidding.
NOW = datetime(2026, 3, 10, 10, tzinfo=TZ)
END = datetime(2026, 4, 10, 10, tzinfo=TZ)


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


@pytest.fixture
def clock(settings: Any, tmp_path: Any) -> Iterator[Any]:
    """Frozen on the lot's announcement day (NOW); tests move it towards END."""
    settings.MEDIA_ROOT = tmp_path / "media"
    forget_custody_cache()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def house(people: dict[str, Any], custody: Any, clock: Any) -> Asset:  # noqa: F811
    """A seized house priced for auction (tests/auctions' own), the court's custody account set up."""
    return priced_house(people)
