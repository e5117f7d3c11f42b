"""A member of the public reports a debtor's assets with a photo on the public portal; the handling judge
finds the tip on the case's disclosure page (reached from the case page), opens the photo, and records
what was done (issue 17 item 5)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import login
from tests import factories
from zhixing.cases import services
from zhixing.courts.roles import Role
from zhixing.portal.models import Tip

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_public_tip_with_a_photo_reaches_the_judge_who_acts_on_it(page: Any) -> None:
    th = factories.province()["th"]
    clerk, judge, director = (
        factories.staff(th, r, username=f"tip_{r}") for r in (Role.CLERK, Role.JUDGE, Role.DIRECTOR)
    )
    case = services.assign_case(director, factories.case(clerk), judge, on=date(2026, 3, 5))

    page.goto("/public/")
    page.click("text=举报被执行人下落或财产线索")
    page.fill('[data-testid="tip-case"]', case.number)
    page.select_option('[data-testid="tip-kind"]', "assets")
    page.fill('[data-testid="tip-content"]', "被执行人在天河区某小区有一套房产，常停一辆白色轿车")
    page.set_input_files(
        '[data-testid="tip-photos"]', {"name": "car.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.fill('[data-testid="tip-name"]', "李群众")
    page.fill('[data-testid="tip-phone"]', "13800138000")
    page.click('[data-testid="tip-submit"]')
    reference = page.locator('[data-testid="submitted-reference"]')
    expect(reference).to_have_text(Tip.objects.get().reference)

    login(page, "tip_judge", factories.PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator('[data-testid="tips-new"]')).to_have_text("1条线索待核查")
    page.click("#link-disclosure")
    row = page.locator('[data-testid="tip-row"]')
    expect(row).to_have_count(1)
    expect(row.locator('[data-testid="tip-status"]')).to_have_text("待处理")
    with page.expect_popup() as popup:
        row.locator('[data-testid="tip-photo"]').click()
    assert popup.value.evaluate("document.contentType") == "image/png"
    popup.value.close()
    row.locator('[data-testid="tip-note"]').fill("已向不动产登记中心查询该房产")
    row.locator('[data-testid="tip-act"]').click()
    expect(page.locator('[data-testid="tip-row"] [data-testid="tip-status"]')).to_contain_text("已核查")
    tip = Tip.objects.get()
    assert (tip.status, tip.acted_by_id, tip.action_note) == (
        "acted",
        judge.pk,
        "已向不动产登记中心查询该房产",
    )
