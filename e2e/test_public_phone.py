"""A member of the public queries the 失信 list on a phone (390 × 844) and reads the result without
scrolling sideways: each result is a card of labelled fields, the ID number masked (issue 13)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from e2e.conftest import ARTIFACTS
from zhixing.credit import queries

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(30000)
    page = context.new_page()
    yield page
    context.close()


def test_public_queries_the_list_on_a_phone(phone: Any) -> None:
    queries.reset_index()
    # 3 cases: the demo's credit commands publish listings of their own (3 of them at 3 cases); more cases
    # only lengthen the seed (about 0.4 s each).
    call_command("seed_demo", cases=3, verbosity=0)
    listing = queries.published().order_by("pk").first()
    assert listing is not None, "the demo publishes no 失信 listing"
    page = phone

    page.goto("/public/blacklist/")
    # The form fits: its labels sit above the boxes, the button is on screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill('[data-testid="public-q"]', listing.name)
    page.click('[data-testid="public-submit"]')
    rows = page.locator('[data-testid="public-row"]')
    rows.first.wait_for()
    assert rows.count() >= 1

    # Nothing wider than the phone: not the page, not the result.
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    table = page.locator("#public-results")
    assert page.evaluate("el => el.scrollWidth <= el.clientWidth", table.element_handle())
    box = rows.first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390

    # The result reads as labelled fields: the name, the masked ID, the case number, the court.
    card = rows.filter(has_text=listing.case.number).first
    assert card.locator("td.name").inner_text() == listing.name
    assert card.locator('td[data-label="案号"]').inner_text() == listing.case.number
    masked = card.locator('[data-testid="public-id"]').inner_text()
    assert "*" in masked and masked != listing.subject_key
    label = page.evaluate(
        "el => getComputedStyle(el, '::before').content",
        card.locator('td[data-label="执行法院"]').element_handle(),
    )
    assert label == '"执行法院"'
    # Every field's text lies inside the window (nothing cut off to the right).
    right = page.evaluate(
        "el => Math.max(...[...el.querySelectorAll('td')].map(td => td.getBoundingClientRect().right))",
        card.element_handle(),
    )
    assert right <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "public-blacklist-390.png"), full_page=True)
    queries.reset_index()
