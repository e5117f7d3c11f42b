"""Auction fixtures: a case with a seized house and its reference price, frozen 2026-03-10 Beijing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from tests.funds.conftest import custody  # noqa: F401  (fixture)
from zhixing.auctions import services
from zhixing.funds.services.accounts import forget_custody_cache
from zhixing.inquiry.models import Asset, Partner

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 10, tzinfo=TZ)
BIDDER_IDS = [factories.make_id(date(1980 + i, 1, 2), seq=300 + i) for i in range(6)]


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    forget_custody_cache()


def seized_house(case: Any, value: str = "1000000") -> Asset:
    partner = Partner.objects.get(code="REG-ESTATE")
    return Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=partner,
        category=partner.category,
        kind="house",
        ref="粤（2024）广州市不动产权第0012345号",
        value=Decimal(value),
        divisible=False,
        state=Asset.State.SEIZED,
        control_start=date(2026, 1, 5),
        control_expires=date(2029, 1, 4),
        found_at=NOW - timedelta(days=70),
    )


def lot_input(**kw: Any) -> services.LotInput:
    """A lawful first auction of a house: notified 3 days before the announcement, bidding 30 days later."""
    data: dict[str, Any] = {
        "title": "广州市天河区某路1号房产",
        "start_price": "700000",
        "increment": "5000",
        "deposit": "70000",
        "notified_on": date(2026, 3, 7),
        "announced_on": date(2026, 3, 10),
        "starts_at": datetime(2026, 4, 9, 10, tzinfo=TZ),
        "ends_at": datetime(2026, 4, 10, 10, tzinfo=TZ),
        "panel": ["审判长 王法官", "审判员 李法官", "审判员 赵法官"],
    }
    data.update(kw)
    return services.LotInput(**data)


def priced_house(people: dict[str, Any]) -> Any:
    """A new case's seized house with an online-inquiry reference price of 1,000,000 (ready for a lot)."""
    case = factories.case(people["clerk"])
    asset = seized_house(case)
    services.set_reference_price(
        people["judge"],
        asset.pk,
        method="online",
        amount="1000000",
        started_on=date(2026, 1, 20),
        reported_on=date(2026, 1, 23),
        tried=["agreement", "directed"],
    )
    return asset


@pytest.fixture
def house(people: dict[str, Any], custody: Any) -> dict[str, Any]:  # noqa: F811
    asset = priced_house(people)
    return {"case": asset.case, "asset": asset}


def bidder(i: int) -> Any:
    return services.register_bidder(f"竞买人{i}", BIDDER_IDS[i])[0]
