"""A debtor objects at the counter to the freeze of its account (执行行为异议, CPL-2023 Art 236); the
judge's panel upholds it and the ruling is generated; the freeze is released through the measures
consequence table (one release order, its article), and the 复议 window is shown once the ruling is
served (across the National Day holiday)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from e2e.conftest import accept_confirm, login
from tests import factories
from tests.conftest import _fast_password_hashing, courts, people  # noqa: F401 - fixtures
from tests.inquiry.expiry_support import frozen
from zhixing.inquiry.models import InquiryRequest
from zhixing.measures.models import Consequence
from zhixing.objections.models import Objection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TZ = ZoneInfo("Asia/Shanghai")


def test_counter_act_objection_upheld_releases_the_freeze(page: Any, people: dict[str, Any]) -> None:  # noqa: F811
    with time_machine.travel(datetime(2026, 9, 24, 10, tzinfo=TZ), tick=True):
        case = factories.case(people["clerk"])
        account = frozen(case, "6222000011118888", date(2026, 3, 5))
        debtor = case.parties.get(role="debtor")

        # 1. The clerk files the debtor's objection to that freeze at the counter.
        login(page, "th_clerk", factories.PASSWORD)
        page.goto(f"/objections/cases/{case.pk}/")
        page.select_option("#id_act", f"freeze:{account.pk}")
        page.select_option("#id_party_id", str(debtor.pk))
        page.fill("#id_act_grounds", "该账户为社会保障金专用账户，依法不得冻结")
        page.click("#act-objection-submit")
        page.wait_for_selector("#objection-number")
        o = Objection.objects.get()
        assert o.kind == "act" and page.inner_text("#decision-due") == "2026-10-09"  # 10-09 a working day

        # 2. The judge's panel upholds it: the ruling is generated, the freeze released via the table.
        page.context.clear_cookies()
        login(page, "th_judge", factories.PASSWORD)
        page.goto(f"/objections/{o.pk}/")
        page.check(f"input[name=panel][value='{people['judge2'].pk}']")
        page.check(f"input[name=panel][value='{people['director'].pk}']")
        page.check("#outcome-upheld")
        page.fill("#id_reason", "社会保障金依法不得冻结")
        page.click("#decide-submit")
        accept_confirm(page, "生成执行裁定书")
        page.wait_for_selector("#ruling-link")
        assert page.inner_text("#objection-status") == "异议成立"
        row = Consequence.objects.get(case=case)
        assert (row.event, row.measure, row.status) == ("objection_upheld", "freeze", "applied")
        assert InquiryRequest.objects.filter(asset=account, action="release").count() == 1

        # 3. Served the same day: 复议 within 10 days — 10-04 falls in the holiday, so 10-08.
        page.fill("#id_served_on", "2026-09-24")
        page.click("#serve-submit")
        page.wait_for_selector("#review-due")
        assert page.inner_text("#review-due") == "2026-10-08"
