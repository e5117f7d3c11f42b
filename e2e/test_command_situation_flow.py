"""The situation screen in the browser (issue 21): an operator watches 天河's screen, a payment is
recorded on one of its cases, and the screen's 本月执行到位 figure changes without a reload.

Django's live test server speaks no WebSocket, so the screen falls back to polling its snapshot (every
second here); the snapshot is the cache the event refreshed, exactly what a WebSocket push carries.
The push path itself is covered by tests/command/test_situation.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect

from e2e.conftest import ARTIFACTS, login
from tests import factories
from zhixing.cases import services
from zhixing.courts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_screen_updates_when_a_payment_is_recorded(page: Any, settings: Any) -> None:
    settings.ZHIXING_COMMAND = {**settings.ZHIXING_COMMAND, "poll_seconds": 1}
    with time_machine.travel(date(2026, 3, 10), tick=True):
        courts = factories.province()
        th = courts["th"]
        clerk = factories.staff(th, Role.CLERK, username="sc_clerk")
        factories.staff(th, Role.OPERATOR, username="sc_operator")
        case = factories.case(clerk)

        login(page, "sc_operator", factories.PASSWORD)
        page.goto("/command/situation/")
        expect(page.locator("#fig-received")).to_have_text("0.00")
        expect(page.locator("#fig-new")).to_have_text("1")

        services.record_payment(
            case.pk, Decimal("1234.50"), date(2026, 3, 9), source="direct", reference="e2e-1"
        )

        expect(page.locator("#fig-received")).to_have_text("1,234.50", timeout=15_000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "command-situation-desk.png"), full_page=True)
        page.goto("/command/situation/wall/")
        expect(page.locator("#fig-received")).to_have_text("1,234.50")
        page.screenshot(path=str(ARTIFACTS / "command-situation-wall.png"), full_page=True)
