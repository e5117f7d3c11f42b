"""Long work shows its progress and irreversible actions ask first (issue 13, ADR 0012).

1. A judge runs 一键查控; one bank answers seconds later by callback (the partner sandbox's `delay`), and the
   page — never reloaded — shows the request rows change from 等待反馈 to 已反馈 with "已反馈 n/m", then the
   account the bank found in the register.
2. A 扣划 asks with the account and the amount: 取消 sends nothing, 确定 files the order.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from e2e.conftest import cancel_confirm, login
from tests import factories
from tests.conftest import _fast_password_hashing, courts, people  # noqa: F401 - fixtures
from tests.inquiry.conftest import Sandbox, sandbox_process  # noqa: F401 - fixture
from zhixing.cases import services as case_services
from zhixing.inquiry.models import Asset, InquiryRequest, Partner

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ACCOUNT = "ICBC015388343998"  # the synthetic ICBC account of debtor 360426199101010071 (51,995.59 yuan)
BANK_DELAY = 6  # seconds before the sandbox ICBC delivers its answer by callback


@pytest.fixture
def slow_bank(settings: Any, sandbox_process: str, live_server: Any) -> Any:  # noqa: F811
    settings.ZHIXING_SANDBOX_URL = sandbox_process
    settings.ZHIXING_PLATFORM_URL = live_server.url
    settings.ZHIXING_INQUIRY = {"http_timeout": 5}
    box = Sandbox(sandbox_process)
    box.reset()
    box.configure(**{"BANK-ICBC": {"delay": BANK_DELAY}})
    yield box
    box.reset()  # the sandbox process is shared by the session's other tests


def assigned_case(people: dict[str, Any]) -> Any:  # noqa: F811
    case = factories.case(people["clerk"])
    return case_services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))


def test_inquiry_results_arrive_without_reload(page: Any, people: dict[str, Any], slow_bank: Any) -> None:  # noqa: F811
    case = assigned_case(people)
    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/inquiry/cases/{case.pk}/")
    assert page.locator(f"text={ACCOUNT}").count() == 0
    page.click("#inquiry-start-button")
    page.wait_for_selector("#messages")
    assert "已发起网络查控" in page.inner_text("#messages")

    # The bank has not answered yet: its row waits, the bar counts the others.
    icbc = InquiryRequest.objects.get(case=case, partner__code="BANK-ICBC", action="query")
    total = InquiryRequest.objects.filter(case=case, batch_id=icbc.batch_id).count()
    assert total > 1
    row = page.locator(f"#request-{icbc.pk}")
    assert row.get_attribute("data-status") in ("pending", "sending", "waiting")
    progress = page.locator("[data-testid=round-progress]")
    assert progress.get_attribute("data-complete") == "0"
    before = int(progress.get_attribute("data-done") or 0)
    assert before < total and f"/{total}" in page.inner_text(".progress-text")
    assert "联动单位反馈后自动更新" in page.inner_text("#round-status")
    page.evaluate("window.__notReloaded = true")

    # The callback lands; the polled partial brings it in place.
    page.wait_for_selector(f"#request-{icbc.pk}[data-status=done]", timeout=BANK_DELAY * 1000 + 20_000)
    page.wait_for_selector("[data-testid=round-progress][data-complete='1']", timeout=20_000)
    assert page.inner_text(".progress-text") == f"已反馈 {total}/{total}"
    assert page.locator("#requests").get_attribute("hx-trigger") is None  # polling stopped
    # The register (out of band) now lists the account the bank found, with the freeze amount offered.
    page.wait_for_selector(f"#register >> text={ACCOUNT}", timeout=10_000)
    asset = Asset.objects.get(case=case, ref=ACCOUNT)
    offered = page.input_value(f"[data-testid=freeze-amount-{asset.pk}]")
    assert offered and Decimal(offered) > 0
    assert page.evaluate("window.__notReloaded === true")  # all of it without a reload


def test_deduct_asks_first_and_cancel_sends_nothing(
    page: Any,
    people: dict[str, Any],  # noqa: F811
    settings: Any,
    live_server: Any,
) -> None:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}  # the order is filed, not sent, in this test
    case = assigned_case(people)
    partner = Partner.objects.get(code="BANK-ICBC")
    asset = Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=partner,
        category=partner.category,
        kind="account",
        ref=ACCOUNT,
        value=Decimal("51995.59"),
        state="frozen",
        frozen_amount=Decimal("12000.00"),
        found_at=datetime.now(ZoneInfo("Asia/Shanghai")),
    )
    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/inquiry/cases/{case.pk}/")

    # A refused freeze comes back beside its field, focused, with what was typed (not at the page top).
    page.fill(f"[data-testid=freeze-amount-{asset.pk}]", "-3")
    with page.expect_navigation():
        page.click(f"[data-testid=freeze-{asset.pk}]")
    assert page.url.endswith(f"#asset-{asset.pk}")
    assert page.inner_text(f"[data-testid=freeze-error-{asset.pk}]") == "冻结金额不能为负数"
    expect(page.locator(f"[data-testid=freeze-amount-{asset.pk}]")).to_be_focused()
    assert page.input_value(f"[data-testid=freeze-amount-{asset.pk}]") == "-3"

    page.click(f"[data-testid=deduct-{asset.pk}]")
    text = cancel_confirm(page)
    assert text == (
        f"将从{partner.name}账户 {ACCOUNT} 扣划已冻结的 12,000.00 元至法院执行款专户，"
        "资金划出后不能退回账户，操作不可撤销。"
    )
    page.wait_for_timeout(500)
    assert InquiryRequest.objects.filter(asset=asset, action="deduct").count() == 0
    assert page.locator("#messages").count() == 0

    page.click(f"[data-testid=deduct-{asset.pk}]")
    dialog = page.locator("#confirm-dialog[open]")
    assert "12,000.00 元" in dialog.inner_text()
    with page.expect_navigation():
        dialog.locator("#confirm-ok").click()
    assert page.inner_text("#messages").startswith("扣划请求已")
    assert InquiryRequest.objects.filter(asset=asset, action="deduct").count() == 1
