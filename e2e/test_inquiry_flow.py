"""Network inquiry in the browser: a judge runs a one-click inquiry, the director approves a freeze, the
judge sees the frozen amount, and — near the end of the term — the renewal warning with one-click renewal.

The partner sandbox runs as its own uvicorn process; Huey runs in immediate mode, so the post-commit
dispatch job runs inside the request that created the requests.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from e2e.conftest import login
from tests import factories
from tests.conftest import _fast_password_hashing, courts, people  # noqa: F401 - fixtures
from tests.inquiry.conftest import sandbox_process  # noqa: F401 - fixture
from zhixing.cases import services as case_services
from zhixing.inquiry.models import Asset

# serialized_rollback: the flush after a transactional test must not take the reference data with it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ACCOUNT = "ICBC015388343998"  # the synthetic ICBC account of debtor 360426199101010071 (51,995.59 yuan)


@pytest.fixture
def platform(settings: Any, sandbox_process: str, live_server: Any) -> None:  # noqa: F811
    settings.ZHIXING_SANDBOX_URL = sandbox_process
    settings.ZHIXING_PLATFORM_URL = live_server.url
    settings.ZHIXING_INQUIRY = {"http_timeout": 5}


def test_inquiry_freeze_and_renewal_warning(page: Any, people: dict[str, Any], platform: None) -> None:  # noqa: F811
    case = factories.case(people["clerk"])
    case_services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))

    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/inquiry/cases/{case.pk}/")
    page.click("#inquiry-start-button")
    page.wait_for_selector("#messages")
    assert "已发起网络查控" in page.inner_text("#messages")
    page.wait_for_selector(f"text={ACCOUNT}")
    asset = Asset.objects.get(case=case, ref=ACCOUNT)
    page.fill(f"[data-testid=freeze-amount-{asset.pk}]", "30000")
    page.click(f"[data-testid=freeze-{asset.pk}]")
    assert "提交审批" in page.inner_text("#messages")

    page.context.clear_cookies()
    login(page, "th_director", factories.PASSWORD)
    page.goto("/inquiry/approvals/")
    page.click("[data-testid^=approve-]")
    assert "已批准" in page.inner_text("#messages")

    page.context.clear_cookies()
    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/inquiry/cases/{case.pk}/")
    assert page.inner_text(f"[data-testid=frozen-{asset.pk}]") == "30,000.00"
    assert page.get_attribute(f"#asset-{asset.pk}", "data-state") == "frozen"
    assert page.locator("#expiry-warnings").count() == 0

    near_expiry = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=350)
    with time_machine.travel(near_expiry, tick=True):
        page.context.clear_cookies()
        login(page, "th_judge", factories.PASSWORD)
        page.goto(f"/inquiry/cases/{case.pk}/")
        warning = page.inner_text("#expiry-warnings")
        assert "即将到期" in warning and ACCOUNT in warning
        page.click(f"[data-testid=renew-{asset.pk}]")
        assert "续行请求已发送" in page.inner_text("#messages")
        # The sandbox keeps real time, so it refuses messages signed 350 days ahead (replay window):
        # the renewal stays in flight and the warning says so instead of offering the button again.
        assert page.locator(f"[data-testid=renewing-{asset.pk}]").count() == 1
