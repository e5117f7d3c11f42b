"""An interested person (利害关系人, not a party) objects at the counter to a freeze; the parties, who did
not consent to e-service, are not yet told, so the page says who is missing; after the 3-day clock runs
out across the National Day holiday the supervision page counts it overdue, the clerk records the
written notice, and the 复议 page is reachable from the judge's menu (issue 19 items 1, 2, 5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from e2e.conftest import login
from tests import factories
from tests.conftest import _fast_password_hashing, courts, people  # noqa: F401 - fixtures
from tests.inquiry.expiry_support import frozen
from zhixing.objections.models import Objection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TZ = ZoneInfo("Asia/Shanghai")
OUTSIDER_ID = factories.make_id(date(1988, 6, 1), seq=615)


def test_interested_person_objects_and_the_late_notice_is_recorded(
    page: Any,
    people: dict[str, Any],  # noqa: F811
) -> None:
    with time_machine.travel(datetime(2026, 9, 28, 10, tzinfo=TZ), tick=True):
        case = factories.case(people["clerk"])
        account = frozen(case, "6222000011117788", date(2026, 3, 5))
        login(page, "th_clerk", factories.PASSWORD)
        page.goto(f"/objections/cases/{case.pk}/")
        page.select_option("#id_act", f"freeze:{account.pk}")
        page.select_option("#id_party_id", "")
        page.fill("#id_interested_name", "广州某物流有限公司员工周某")
        page.fill("#id_interested_id_number", OUTSIDER_ID)
        page.fill("#id_interested_phone", "13800000009")
        page.fill("#id_interested_claim", "被冻结款项中有本人代收的运费")
        page.fill("#id_act_grounds", "冻结损害本人合法权益")
        page.click("#act-objection-submit")
        page.wait_for_selector("#objection-number")
        o = Objection.objects.get()
        assert o.objector_party_id is None and o.notify_due == date(2026, 10, 8)  # 10-01 in the holiday
        assert "未能电子通知" in page.inner_text("#notice-state")
    with time_machine.travel(datetime(2026, 10, 9, 10, tzinfo=TZ), tick=True):
        page.context.clear_cookies()  # eleven days later the session has long expired
        login(page, "th_clerk", factories.PASSWORD)
        page.goto(f"/objections/{o.pk}/")
        assert "逾期未通知" in page.inner_text("#notice-state")
        page.fill("#id_notified_on", "2026-10-09")
        page.fill("#id_notice_method", "书面通知")
        page.click("#notice-submit")
        page.wait_for_selector("#notice-state:has-text('已通知')")
        assert page.inner_text("#notice-state").startswith("2026-10-09 已通知")
        page.context.clear_cookies()
        login(page, "th_judge", factories.PASSWORD)
        page.goto("/")
        page.goto(page.get_attribute("#nav-objection-reviews", "href") or "")  # the menu's link
        page.wait_for_selector("#objection-reviews")
        assert page.url.endswith("/objections/reviews/")
