"""Issue 18: two bidders in two browsers bid in the last five minutes of a lot and both see the end move.

The live server is Django's threaded test server (no WebSocket there), so the other bidder's page
follows through the page's fallback poll of the API; the clock is frozen into the last minutes of
bidding with `time_machine` (ticking), which the server thread shares.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from tests.auctions.conftest import BIDDER_IDS, lot_input, seized_house
from zhixing.auctions import services
from zhixing.auctions.services import sandbox_bank

TZ = ZoneInfo("Asia/Shanghai")
END = datetime(2026, 4, 10, 10, tzinfo=TZ)


def _reference_data() -> None:
    """Transactional tests flush the database; put back the case reference data and the partners."""
    from django.apps import apps

    importlib.import_module("zhixing.cases.migrations.0003_reference_data").load(apps, None)
    importlib.import_module("zhixing.inquiry.migrations.0002_seed_categories_partners").seed(apps, None)


@pytest.fixture
def world(transactional_db: Any, settings: Any, tmp_path: Any) -> Iterator[dict[str, Any]]:
    settings.MEDIA_ROOT = tmp_path / "media"
    _reference_data()
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=TZ), tick=False) as clock:
        courts = factories.province()
        clerk = factories.staff(courts["th"], "clerk", username="e2e_clerk")
        judge = factories.staff(courts["th"], "judge", username="e2e_judge")
        case = factories.case(clerk)
        asset = seized_house(case)
        services.set_reference_price(
            judge,
            asset.pk,
            method="online",
            amount="1000000",
            started_on=date(2026, 1, 20),
            reported_on=date(2026, 1, 23),
            tried=["agreement", "directed"],
        )
        lot = services.create_lot(judge, asset.pk, lot_input())
        services.publish_lot(judge, lot.pk)
        tokens = []
        for i in range(2):
            bidder, token = services.register_bidder(f"竞买人{i}", BIDDER_IDS[i])
            reg = services.join_lot(bidder, lot.pk)
            sandbox_bank.transfer_deposit(reg.pk, bank_txn=f"E2E-{i}", amount=reg.deposit_due)
            tokens.append(token)
        # Three minutes before the end, the clock running.
        clock.move_to(END - timedelta(minutes=3))
    with time_machine.travel(END - timedelta(minutes=3), tick=True):
        yield {"lot": lot, "tokens": tokens}


def _sign_in(page: Any, token: str, lot_id: int) -> None:
    page.goto("/auctions/bidder/register/")
    page.fill("[data-testid=token]", token)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/auctions/bidder/")
    page.goto(f"/auctions/{lot_id}/")


def test_two_bidders_in_the_last_five_minutes_see_the_end_move(
    browser: Any, live_server: Any, world: dict[str, Any]
) -> None:
    lot = world["lot"]
    contexts = [browser.new_context(base_url=live_server.url, locale="zh-CN") for _ in range(2)]
    try:
        a, b = (c.new_page() for c in contexts)
        _sign_in(a, world["tokens"][0], lot.pk)
        _sign_in(b, world["tokens"][1], lot.pk)
        assert a.get_by_test_id("ends-at").inner_text() == "2026-04-10 10:00:00"
        a.get_by_test_id("bid-amount").fill("700000")
        a.get_by_test_id("bid").click()
        a.get_by_test_id("bid-result").filter(has_text="出价成功：700000.00 元").wait_for()
        moved = a.get_by_test_id("ends-at").inner_text()
        assert "2026-04-10 10:02:" in moved  # five minutes after a bid made ~3 minutes before the end
        # The other bidder's page follows (WebSocket, or the API poll where the server has none).
        b.wait_for_function(
            "t => document.getElementById('ends-at').textContent === t", arg=moved, timeout=15_000
        )
        assert b.get_by_test_id("price").inner_text() == "700000.00"
        b.get_by_test_id("bid-amount").fill("705000")
        b.get_by_test_id("bid").click()
        b.get_by_test_id("bid-result").filter(has_text="出价成功：705000.00 元").wait_for()
        later = b.get_by_test_id("ends-at").inner_text()
        assert later >= moved
        a.wait_for_function(
            "t => document.getElementById('price').textContent === t", arg="705000.00", timeout=15_000
        )
        # A bid below the increment is refused with the reason, and nothing is recorded.
        a.get_by_test_id("bid-amount").fill("705001")
        a.get_by_test_id("bid").click()
        a.get_by_test_id("bid-result").filter(has_text="即710000.00元").wait_for()
    finally:
        for c in contexts:
            c.close()
