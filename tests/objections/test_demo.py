"""The objections demo (run by seed_demo) makes every state on the court's controlled assets."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests import factories
from tests.inquiry.expiry_support import frozen, seized
from zhixing.inquiry.models import InquiryRequest
from zhixing.objections import demo
from zhixing.objections.models import Objection

from .conftest import at

pytestmark = pytest.mark.django_db


def test_demo_makes_every_state(people: dict[str, Any]) -> None:
    with at(date(2026, 12, 3)):
        for i in range(10):
            case = factories.case(people["clerk"])
            seized(case, date(2026, 3, 5), ref=f"粤(2024)广州市不动产权第01069{i}号")
            frozen(case, f"62220000999{i:05d}", date(2026, 3, 5))
        made = demo.seed("粤0106")
    rows = list(Objection.objects.order_by("pk"))
    assert made == len(rows) == 15
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
    ]
    act = [(o.status, o.review_status) for o in rows if o.kind == "act"]
    assert act == [
        ("pending", ""),
        ("pending", ""),
        ("upheld", ""),
        ("rejected", ""),
        ("rejected", ""),
        ("rejected", "pending"),
        ("rejected", "rejected"),
    ]
    acts = [o for o in rows if o.kind == "act"]
    assert [o.channel for o in acts[:2]] == ["online", "counter"]
    # The upheld one's freeze is being released through the consequence table.
    assert InquiryRequest.objects.filter(asset=acts[2].asset_id, action="release").count() == 1
    assert acts[4].review_due is not None and acts[5].review_court == people["gz_director"].court
    assert [o.channel for o in rows[:2]] == ["online", "counter"]
