"""Issue 19's scenario: a third party objects to a seized flat on the public form (no login); the judge
tries to publish the flat's auction lot and is refused, the refusal naming the objection; the collegial
panel rejects the objection and the ruling is served; on the last day of the 15-day window to sue (across
the National Day holiday) the lot still cannot be published; the day after, no suit filed, the judge
publishes it and the announcement is out.

The flat's reference price and its draft lot (the panel's terms) are made through the auctions services
before the objection arrives; every auction step after that is the judge's click on the lot's page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from e2e.conftest import accept_confirm, login
from tests import factories
from tests.auctions.conftest import lot_input
from tests.conftest import _fast_password_hashing, courts, people  # noqa: F401 - fixtures
from tests.inquiry.expiry_support import seized
from zhixing.auctions import services as auctions
from zhixing.auctions.models import Lot
from zhixing.core import disposal_guards
from zhixing.objections import finality
from zhixing.objections.models import Objection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TZ = ZoneInfo("Asia/Shanghai")
FLAT = "粤(2024)广州市不动产权第0106888号"
OBJECTOR_ID = factories.make_id(date(1985, 3, 15), seq=604)


def _draft_lot(judge: Any, flat: Any) -> Lot:
    """The flat's lot as the panel set it: online price of 2026-09-10, announcement planned for 10-09."""
    auctions.set_reference_price(
        judge,
        flat.pk,
        method="online",
        amount="1000000",
        started_on=date(2026, 9, 1),
        reported_on=date(2026, 9, 10),
        tried=["agreement", "directed"],
    )
    return auctions.create_lot(
        judge,
        flat.pk,
        lot_input(
            title="广州市天河区某路8号808房",
            notified_on=date(2026, 10, 6),
            announced_on=date(2026, 10, 9),
            starts_at=datetime(2026, 11, 9, 10, tzinfo=TZ),
            ends_at=datetime(2026, 11, 10, 10, tzinfo=TZ),
        ),
    )


def _publish(page: Any, lot: Lot) -> str:
    """The judge clicks 发布拍卖公告 on the lot's page; the page's message."""
    page.goto(f"/auctions/manage/{lot.pk}/")
    page.click("[data-testid=publish]")
    page.wait_for_selector("#messages")
    return str(page.inner_text("#messages"))


def test_public_objection_rejected_and_the_suit_window_runs_out(page: Any, people: dict[str, Any]) -> None:  # noqa: F811
    with time_machine.travel(datetime(2026, 9, 21, 10, tzinfo=TZ), tick=True):
        case = factories.case(people["clerk"])
        flat = seized(case, date(2026, 3, 5), ref=FLAT)
        lot = _draft_lot(people["judge"], flat)

        # 1. The third party, not signed in, files on the public form; the answer masks the ID number.
        page.goto("/public/objections/")
        page.fill("#id_case_number", case.number)
        page.fill("#id_asset_ref", FLAT)
        page.fill("#id_objector_name", "李秀英")
        page.fill("#id_objector_id_number", OBJECTOR_ID)
        page.fill("#id_claim", "该房屋系本人购买，已付清全部价款并实际居住")
        page.fill("#id_grounds", "购房合同、付款凭证、物业缴费记录")
        page.click("#public-submit")
        page.wait_for_selector("#objection-done")
        o = Objection.objects.get()
        assert page.inner_text("#done-number") == o.number
        assert page.inner_text("#done-id") == OBJECTOR_ID[:4] + "*" * 10 + OBJECTOR_ID[-4:]
        assert page.inner_text("#done-due") == "2026-10-08"  # 10-06 falls in the holiday
        assert "正在审查" in disposal_guards.refusals(flat.pk)[0]  # no lot, no deduction, no payout

        # 2. The judge tries to publish the flat's lot: refused, naming the objection; the lot stays a draft.
        login(page, "th_judge", factories.PASSWORD)
        refused = _publish(page, lot)
        assert f"该财产暂不得处分：案外人异议{o.number}正在审查，不得处分该财产" in refused
        assert page.inner_text("[data-testid=lot-status]") == "待公告"
        assert page.is_visible("[data-testid=publish]")
        lot.refresh_from_db()
        assert lot.status == Lot.Status.DRAFT

        # 3. The judge's panel (the judge, a second judge and the director) rejects it.
        page.goto(f"/objections/{o.pk}/")
        assert "正在审查，不得处分该财产" in page.inner_text("#disposal-block")
        page.check(f"input[name=panel][value='{people['judge2'].pk}']")
        page.check(f"input[name=panel][value='{people['director'].pk}']")
        page.check("#outcome-rejected")
        page.fill("#id_reason", "异议人提交的证据不足以证明其对该房屋享有足以排除强制执行的民事权益")
        page.click("#decide-submit")
        accept_confirm(page, "生成执行裁定书")
        page.wait_for_selector("#ruling-link")
        assert page.inner_text("#objection-status") == "异议驳回"
        assert "尚未送达" in page.inner_text("#disposal-block")

        # 4. The ruling is served the same day: the window to sue ends 2026-10-08 (10-06 is a holiday).
        page.fill("#id_served_on", "2026-09-21")
        page.click("#serve-submit")
        page.wait_for_selector("#suit-due")
        assert page.inner_text("#suit-due") == "2026-10-08"
        assert "2026-10-08前（含当日）" in page.inner_text("#disposal-block")

    # 5. On the window's last day the flat is still blocked and the lot still cannot be published; the
    # day after, no suit filed, the flat is free and the judge publishes the lot.
    # (A session lasts 8 hours: the judge signs in again after the days pass.)
    with time_machine.travel(datetime(2026, 10, 8, 22, tzinfo=TZ), tick=True):
        assert "提起执行异议之诉" in disposal_guards.refusals(flat.pk)[0]
        page.context.clear_cookies()
        login(page, "th_judge", factories.PASSWORD)
        refused = _publish(page, lot)
        assert f"案外人异议{o.number}已裁定驳回，案外人可在2026-10-08前（含当日）提起执行异议之诉" in refused
        assert page.inner_text("[data-testid=lot-status]") == "待公告"
    with time_machine.travel(datetime(2026, 10, 9, 9, tzinfo=TZ), tick=True):
        # The hourly sweep marks the rejection final (the day after the window); the page shows it.
        assert finality.sweep() == 1
        page.context.clear_cookies()
        login(page, "th_judge", factories.PASSWORD)
        page.goto(f"/objections/{o.pk}/")
        page.wait_for_selector("#disposal-free")
        assert page.inner_text("#final-on") == "2026-10-09"
        assert disposal_guards.refusals(flat.pk) == []
        assert _publish(page, lot) == "已发布拍卖公告"
        assert page.inner_text("[data-testid=lot-status]") == "已公告"
        assert not page.is_visible("[data-testid=publish]")
        lot.refresh_from_db()
        assert lot.status == Lot.Status.ANNOUNCED
