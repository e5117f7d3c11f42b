"""End to end in Debian's Chromium (issue 20): a 天河 judge entrusts a freeze to 越秀; 越秀's clerk finds it
in the inbox, starts it and reports it done; the 天河 judge sees it done in the outbox."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.conftest import login
from tests import factories
from zhixing.entrust.models import Entrustment

pytestmark = pytest.mark.django_db(transaction=True)


def test_freeze_matter_sent_handled_and_seen_done(page: Any, courts: dict[str, Any]) -> None:
    clerk = factories.staff(courts["th"], "clerk", username="e2e_en_clerk", full_name="李书记")
    factories.staff(courts["th"], "judge", username="e2e_en_judge", full_name="张法官")
    factories.staff(courts["yx"], "clerk", username="e2e_yx_clerk", full_name="越秀书记员")
    case = factories.case(clerk)

    login(page, "e2e_en_judge", factories.PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    page.click("[data-testid=entrust-link]")
    page.select_option("#id_entrust_kind", "matter")
    page.select_option("#id_entrust_matter", "freeze")
    page.select_option("#id_entrust_court", "粤0104")
    page.fill("#id_entrust_request", "冻结张三在中国银行越秀支行账户内存款")
    page.click("#form-entrust button[type=submit]")
    row = page.wait_for_selector("[data-testid=case-entrust] tr[data-status=sent]")
    assert "广州市越秀区人民法院" in row.inner_text()
    e = Entrustment.objects.get()

    page.context.clear_cookies()
    login(page, "e2e_yx_clerk", factories.PASSWORD)
    page.goto("/entrust/")
    inbox = page.locator(f"#inbox tr[data-entrust='{e.pk}']")
    assert "冻结张三在中国银行越秀支行账户内存款" in inbox.inner_text()
    inbox.locator("[data-testid=entrust-start]").click()
    page.wait_for_selector(f"#inbox tr[data-entrust='{e.pk}'][data-status=started]")
    page.fill(f"#inbox tr[data-entrust='{e.pk}'] input[name=text] >> nth=0", "已冻结存款12345.67元，期限一年")
    page.click(f"#inbox tr[data-entrust='{e.pk}'] [data-testid=entrust-done]")
    page.wait_for_selector(f"#inbox tr[data-entrust='{e.pk}'][data-status=done]")
    assert page.inner_text("[data-testid=stat-handled]") == "1"

    page.context.clear_cookies()
    login(page, "e2e_en_judge", factories.PASSWORD)
    page.goto("/entrust/")
    out = page.locator(f"#outbox tr[data-entrust='{e.pk}']")
    assert out.get_attribute("data-status") == "done"
    assert page.inner_text("[data-testid=entrust-result]") == "已冻结存款12345.67元，期限一年"
    assert page.inner_text("[data-testid=stat-trips]") == "4"
