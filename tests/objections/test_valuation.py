"""Objections to a reference price (参考价异议, 参考价规定 Arts 22–23) as act objections (CPL-2023 Art 236):
the 5-day window from the report's service across the National Day holiday, bad input naming the field,
the lot blocked while the objection is pending, and an upheld objection setting the price aside through
the consequence table so the asset needs a new price."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.auctions.conftest import lot_input, seized_house
from zhixing.auctions import services as auctions
from zhixing.auctions.models import Lot, ReferencePrice
from zhixing.cases.parties import Party
from zhixing.core import disposal_guards
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import Conflict, ServiceError
from zhixing.measures.models import Consequence
from zhixing.objections import acts, queries, services
from zhixing.objections.models import Objection

from .conftest import TZ, at

pytestmark = pytest.mark.django_db
REPORTED = date(2026, 9, 28)  # 28 Sep + 5 days = 3 Oct, a National Day holiday: the window ends 8 Oct
LAST_DAY = date(2026, 10, 8)


def _priced(people: dict[str, Any], method: str = "appraisal") -> ReferencePrice:
    case = factories.case(people["clerk"])
    house = seized_house(case)
    with at(REPORTED):
        return auctions.set_reference_price(
            people["judge"],
            house.pk,
            method=method,
            amount="1000000",
            started_on=date(2026, 9, 1),
            reported_on=REPORTED,
            tried=["agreement", "directed", "online"],
            jointly_asked=method in ("agreement", "directed"),
        )


def _lot(people: dict[str, Any], price: ReferencePrice) -> Lot:
    return auctions.create_lot(
        people["judge"],
        price.asset_id,
        lot_input(
            notified_on=date(2026, 10, 9),
            announced_on=date(2026, 10, 12),
            starts_at=datetime(2026, 11, 11, 10, tzinfo=TZ),
            ends_at=datetime(2026, 11, 12, 10, tzinfo=TZ),
        ),
    )


def _file(people: dict[str, Any], price: ReferencePrice, **kw: Any) -> Objection:
    debtor = price.case.parties.get(role="debtor")
    data: dict[str, Any] = {
        "act_type": "valuation",
        "act_id": price.pk,
        "party_id": debtor.pk,
        "grounds": "评估报告将房屋面积记载为89平方米，实为98平方米",
    }
    data.update(kw)
    return acts.file_act_objection(people["clerk"], price.case, **data)


def test_window_is_five_days_from_the_report_rolled_past_the_holiday(people: dict[str, Any]) -> None:
    price = _priced(people)
    assert price.objection_until == LAST_DAY
    with at(LAST_DAY):
        choices = [a.value for a in queries.objectable_acts(price.case) if a.act_type == "valuation"]
        assert choices == [f"valuation:{price.pk}"]
        o = _file(people, price)
    assert (o.kind, o.act_type, o.act_id, o.asset_id) == ("act", "valuation", price.pk, price.asset_id)
    assert o.act_label == f"参考价 委托评估1,000,000.00元（{price.asset}）"
    assert AuditRecord.objects.order_by("-pk").filter(action="objections.file").first().after["act"] == (
        o.act_label
    )


def test_late_objection_names_received_on_and_writes_nothing(people: dict[str, Any]) -> None:
    price = _priced(people)
    with at(date(2026, 10, 9)):
        assert [a for a in queries.objectable_acts(price.case) if a.act_type == "valuation"] == []
        with pytest.raises(ServiceError) as exc:
            _file(people, price)
    assert exc.value.field == "received_on"
    assert exc.value.message == (
        "参考价异议已超过期限（收到报告之日2026-09-28起5日，2026-10-08届满；参考价规定第22条）"
    )
    # A receipt dated before the report was served is refused too.
    with at(date(2026, 10, 9)), pytest.raises(ServiceError) as early:
        _file(people, price, received_on="2026-09-27")
    assert early.value.field == "received_on"
    assert not Objection.objects.exists()
    assert not AuditRecord.objects.filter(action="objections.file").exists()


def test_window_length_is_configurable(people: dict[str, Any], settings: Any) -> None:
    settings.ZHIXING_AUCTIONS = {"price_objection_days": 10}
    price = _priced(people)
    assert price.objection_until == date(2026, 10, 8)  # 28 Sep + 10 = 8 Oct, a working day
    settings.ZHIXING_AUCTIONS = {"price_objection_days": 3}
    price = _priced(people)
    assert price.objection_until == date(2026, 10, 8)  # 1 Oct, in the holiday: rolled to 8 Oct
    settings.ZHIXING_AUCTIONS = {"price_objection_days": 2}
    price = _priced(people)
    assert price.objection_until == date(2026, 9, 30)


def test_bad_price_or_objector_names_the_field(people: dict[str, Any]) -> None:
    price = _priced(people)
    agreed = _priced(people, method="agreement")
    other = _priced(people)
    stranger = factories.case(people["clerk"]).parties.get(role="debtor")
    bad = [
        ({"act_id": 999999}, "act_id"),
        ({"act_id": other.pk}, "act_id"),  # another case's price
        ({"act_id": "x"}, "act_id"),
        ({"party_id": stranger.pk}, "party_id"),  # not a party of this case
    ]
    with at(date(2026, 10, 2)):
        for kw, field in bad:
            with pytest.raises(ServiceError) as exc:
                _file(people, price, **kw)
            assert exc.value.field == field, (kw, exc.value.message)
        with pytest.raises(ServiceError) as exc:  # a negotiated price admits no objection (Art 24)
            _file(people, agreed)
        assert exc.value.field == "act_id" and "不得提出异议" in exc.value.message
    assert not Objection.objects.exists()


def test_pending_objection_blocks_the_lot_and_upheld_sets_the_price_aside(
    people: dict[str, Any], panel: list[int]
) -> None:
    price = _priced(people)
    with at(date(2026, 10, 2)):
        draft = _lot(people, price)
        o = _file(people, price)
        reason = f"参考价异议{o.number}正在审查，不得拍卖、变卖该财产"
        assert disposal_guards.refusals(price.asset_id) == [reason]
        with pytest.raises(Conflict) as exc:
            auctions.publish_lot(people["judge"], draft.pk)
        assert exc.value.field == "asset" and reason in exc.value.message
        services.decide(people["judge"], o, upheld=True, panel_ids=panel, reason="房屋面积记载错误")
    price.refresh_from_db()
    assert price.set_aside_on == date(2026, 10, 2)
    row = Consequence.objects.get(case=price.case, event="objection_upheld")
    assert (row.measure, row.action, row.status, row.targets) == (
        "valuation",
        "set_aside",
        "applied",
        [price.pk],
    )
    assert "参考价规定第22条、第23条" in row.article
    assert AuditRecord.objects.filter(action="auctions.price_set_aside", object_id=str(price.pk)).exists()
    from zhixing.objections.documents_kinds import _act_ruling

    o.refresh_from_db()
    assert o.ruling_document_id is not None
    assert _act_ruling(price.case, o)["result"] == (
        f"异议成立，撤销{o.act_label}，重新确定财产处置参考价"
        "（《最高人民法院关于人民法院确定财产处置参考价若干问题的规定》第二十三条）。"
    )
    assert AuditRecord.objects.order_by("-pk").filter(action="objections.decide").first().after["undone"] == (
        "撤销参考价，须重新确定参考价"
    )
    # The draft made from the old price is withdrawn in the ruling's transaction.
    draft.refresh_from_db()
    assert draft.status == Lot.Status.CANCELLED
    assert draft.withdrawn_reason.startswith("参考价异议成立：参考价规定第23条")
    with at(date(2026, 10, 3)):
        assert disposal_guards.refusals(price.asset_id) == []  # no longer pending
        with pytest.raises(ServiceError) as invalid:  # a new lot needs a new price
            _lot(people, price)
        assert invalid.value.field == "reference"


def test_rejected_objection_frees_the_lot(people: dict[str, Any], panel: list[int]) -> None:
    price = _priced(people)
    with at(date(2026, 10, 8)):
        o = _file(people, price)
        services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="评估报告记载无误")
        lot = auctions.publish_lot(people["judge"], _lot(people, price).pk)
    assert lot.status == Lot.Status.ANNOUNCED
    price.refresh_from_db()
    assert price.set_aside_on is None


def test_demo_makes_a_pending_and_an_upheld_valuation_objection_and_a_suspended_lot(
    people: dict[str, Any], custody: Any, settings: Any, tmp_path: Any
) -> None:
    from tests.inquiry.expiry_support import seized
    from zhixing.funds.services.accounts import forget_custody_cache
    from zhixing.objections import demo_valuation

    settings.MEDIA_ROOT = tmp_path / "media"
    forget_custody_cache()
    with at(date(2026, 12, 3)):
        for i in range(2):
            seized(
                factories.case(people["clerk"]), date(2026, 11, 5), ref=f"粤(2024)广州市不动产权第01077{i}号"
            )
        assert demo_valuation.seed("粤0106") == 3
    rows = list(Objection.objects.order_by("pk"))
    assert [(o.act_type, o.status) for o in rows] == [
        ("valuation", "pending"),
        ("valuation", "upheld"),
        ("valuation", "pending"),
    ]
    prices = list(ReferencePrice.objects.order_by("pk"))
    assert [p.set_aside_on for p in prices] == [None, date(2026, 12, 3), None]
    assert disposal_guards.refusals(rows[0].asset_id) == [
        f"参考价异议{rows[0].number}正在审查，不得拍卖、变卖该财产"
    ]
    # The lot announced from the third price is suspended by the objection to it.
    lot = Lot.objects.get(asset_id=rows[2].asset_id)
    assert (lot.status, lot.suspension_cause, lot.reference_id) == (
        "suspended",
        "price_objection",
        prices[2].pk,
    )


def test_counter_and_portal_forms_file_a_valuation_objection(people: dict[str, Any]) -> None:
    price = _priced(people)
    debtor = price.case.parties.get(role="debtor")
    Party.objects.filter(pk=debtor.pk).update(phone="13900003333")
    clerk = Client()
    clerk.force_login(people["clerk"])
    counter = reverse("objections_case", args=[price.case_id])
    portal = Client()
    session = portal.session
    session["party_portal_phone"] = "13900003333"
    session.save()
    online = reverse("party_objection", args=[price.case_id])
    with at(date(2026, 10, 9)):  # the day after the window: not listed, a forced post names the field
        assert f'value="valuation:{price.pk}"' not in clerk.get(counter).content.decode()
        late = portal.post(online, {"act": f"valuation:{price.pk}", "grounds": "面积记载错误"})
        assert late.status_code == 422 and 'data-field="received_on"' in late.content.decode()
    with at(date(2026, 10, 8)):
        assert f'value="valuation:{price.pk}"' in clerk.get(counter).content.decode()
        assert f'value="valuation:{price.pk}"' in portal.get(online).content.decode()
        r = clerk.post(
            counter,
            {"kind": "act", "act": f"valuation:{price.pk}", "party_id": debtor.pk, "grounds": "面积记载错误"},
        )
        assert r.status_code == 302
        r2 = portal.post(online, {"act": f"valuation:{price.pk}", "grounds": "评估未到现场勘验"})
        assert r2.status_code == 302
    rows = list(Objection.objects.order_by("pk"))
    assert [(o.channel, o.act_type, o.act_id) for o in rows] == [
        ("counter", "valuation", price.pk),
        ("online", "valuation", price.pk),
    ]
