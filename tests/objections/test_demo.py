"""The objections demo (run by seed_demo) makes every state on the court's controlled assets."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests import factories
from tests.inquiry.expiry_support import frozen, seized
from zhixing.auctions.models import Lot
from zhixing.inquiry.models import InquiryRequest
from zhixing.objections import demo, services
from zhixing.objections.models import Objection

from .conftest import at

pytestmark = pytest.mark.django_db


def test_demo_makes_every_state(people: dict[str, Any], custody: Any) -> None:
    with at(date(2026, 12, 3)):
        for i in range(12):  # nine act states on freezes, the rest and the third parties' on seizures
            case = factories.case(people["clerk"])
            seized(case, date(2026, 3, 5), ref=f"粤(2024)广州市不动产权第01069{i}号")
            frozen(case, f"62220000999{i:05d}", date(2026, 3, 5))
        for _ in range(4):  # open cases without assets: the lots and demo_outcomes make their own flats
            factories.case(people["clerk"])
        made = demo.seed("粤0106")
    rows = list(Objection.objects.order_by("pk"))
    assert made == len(rows) == 23
    third = [(o.status, bool(o.served_on), o.suit_state) for o in rows if o.kind == "third_party"]
    assert third == [
        ("pending", False, ""),
        ("pending", False, ""),
        ("upheld", True, ""),
        ("rejected", False, ""),
        ("rejected", True, ""),
        ("rejected", True, ""),
        ("rejected", True, "pending"),
        ("withdrawn", False, ""),
        # issue 19: the lot suspended by a pending objection, the one resumed after the withdrawal
        ("pending", False, ""),
        ("withdrawn", False, ""),
        # a retrial application pending instead of a suit (demo_outcomes)
        ("rejected", True, ""),
    ]
    lots = [o for o in rows if o.kind == "third_party"][-3:-1]
    suspended, resumed = (Lot.objects.get(asset_id=o.asset_id) for o in lots)
    assert suspended.status == Lot.Status.SUSPENDED and suspended.resumed_at is None
    assert resumed.status == Lot.Status.ANNOUNCED and resumed.resumed_at is not None
    act = [(o.status, o.review_status) for o in rows if o.kind == "act"]
    assert act == [
        ("pending", ""),
        ("pending", ""),
        ("upheld", ""),
        ("rejected", ""),
        ("rejected", ""),
        ("rejected", "pending"),
        ("rejected", "rejected"),
        ("rejected", "upheld"),  # the higher court set the ruling aside
        ("rejected", "pending"),  # past the higher court's 30 days (the walk found no 复议 anywhere)
        ("pending", ""),  # told at once through the portal (issue 19 item 1)
        ("pending", ""),  # an interested person's (item 2)
        ("pending", ""),  # an interested person's, online on the public form (demo_outcomes)
    ]
    acts = [o for o in rows if o.kind == "act"]
    assert [o.channel for o in acts[:2]] == ["online", "counter"]
    # The upheld one's freeze is being released through the consequence table.
    assert InquiryRequest.objects.filter(asset=acts[2].asset_id, action="release").count() == 1
    assert acts[4].review_due is not None and acts[5].review_court == people["gz_director"].court
    assert [o.channel for o in rows[:2]] == ["online", "counter"]
    # Issue 19 item 1: the notice states. The third party's overdue objection: nobody told, past 3 days.
    assert rows[1].notified_on is None and rows[1].notify_due < date(2026, 12, 3)
    # The ruling not served past its deadline; its notice recorded by the clerk on the day of receipt.
    assert acts[3].served_on is None and acts[3].service_due < date(2026, 12, 3)
    assert (acts[3].notified_on, acts[3].notice_method) == (acts[3].received_on, "书面通知（当面送交）")
    assert acts[6].review_court == acts[7].review_court == people["gz_director"].court
    assert acts[8].review_decision_due < date(2026, 12, 3) < acts[5].review_decision_due
    assert acts[9].notified_on == date(2026, 12, 3) and acts[9].notice_method.startswith("门户消息")
    assert (acts[10].objector_party_id, acts[10].objector_name) == (None, "广州某物流有限公司")
    assert (acts[11].objector_party_id, acts[11].channel, acts[11].act_type) == (None, "online", "seizure")
    retrial = [o for o in rows if o.kind == "third_party"][-1]
    assert (retrial.retrial_state, retrial.retrial_court) == ("pending", "广东省广州市中级人民法院")
    assert "再审审查期间不得处分该财产" in services.disposal_refusals(retrial.asset_id)[0]
