"""An objection to a reference price (参考价异议, 参考价规定 Arts 22–23) against an asset whose lot is already
published or in bidding (R-4.3.8): rows of the measures consequence table, applied by
`measures.services.apply_event` in the transaction of each step, keyed per objection —

* filed within its window → the lot is suspended (中止拍卖, 网拍规定 Art 28): bids are refused with a
  message naming the price objection (service, bidder API, portal form), the public and the clerk's lot
  pages say so, deposits stay held;
* rejected or withdrawn → the lot resumes (the bidding time it had left, or its timetable moved);
* upheld → the price is set aside (existing) and the lot made from it withdrawn (撤回拍卖), every paid
  deposit released; a lot on a set-aside price never resumes.
Frozen time throughout (the objections conftest's clock: the lot announced 2026-03-10, bidding 04-09 to
04-10)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests import factories
from tests.auctions.conftest import BIDDER_IDS, lot_input, seized_house
from zhixing.auctions import services as auctions
from zhixing.auctions.models import Lot, ReferencePrice, Registration
from zhixing.auctions.services import sandbox_bank
from zhixing.auctions.services.bidding import PRICE_SUSPENDED_MESSAGE, suspended_message
from zhixing.core import disposal_guards
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.funds.services.accounts import forget_custody_cache
from zhixing.measures import rules as table_rules
from zhixing.measures.models import Consequence
from zhixing.objections import acts, services, valuation
from zhixing.objections.models import Objection

from .conftest import END, NOW, TZ, objector

pytestmark = pytest.mark.django_db
REPORTED = date(2026, 3, 9)  # the online-inquiry report served the day before the announcement
FILED = datetime(2026, 3, 11, 10, tzinfo=TZ)  # within the 5-day window
STARTS = datetime(2026, 4, 9, 10, tzinfo=TZ)


def _price(people: dict[str, Any]) -> ReferencePrice:
    house = seized_house(factories.case(people["clerk"]))
    return auctions.set_reference_price(
        people["judge"],
        house.pk,
        method="online",
        amount="1000000",
        started_on=date(2026, 3, 2),
        reported_on=REPORTED,
        tried=["agreement", "directed"],
    )


def _published(people: dict[str, Any], price: ReferencePrice) -> Lot:
    lot = auctions.create_lot(people["judge"], price.asset_id, lot_input())
    assert lot.reference_id == price.pk
    return auctions.publish_lot(people["judge"], lot.pk)


def _registered(lot: Lot, i: int = 0) -> tuple[Registration, str]:
    bidder, token = auctions.register_bidder(f"竞买人{i}", BIDDER_IDS[i])
    reg = auctions.join_lot(bidder, lot.pk)
    return sandbox_bank.transfer_deposit(reg.pk, bank_txn=f"PRICE-DEP-{i}", amount=reg.deposit_due), token


def _object(people: dict[str, Any], price: ReferencePrice) -> Objection:
    return acts.file_act_objection(
        people["clerk"],
        price.case,
        act_type="valuation",
        act_id=price.pk,
        party_id=price.asset.party_id,
        grounds="询价报告将房屋建筑面积记载为89.5平方米，与不动产权证书记载的98.5平方米不符",
    )


def test_the_table_rows_their_articles_and_what_is_configurable() -> None:
    t, e, m, a = table_rules.DEFAULT_TABLE, table_rules.Event, table_rules.Measure, table_rules.Action
    rows = {
        e.PRICE_OBJECTION_FILED: (a.SUSPEND, True),
        e.PRICE_OBJECTION_CLEARED: (a.RESUME_LOT, False),
        e.PRICE_OBJECTION_UPHELD: (a.CANCEL_LOT, True),
    }
    for event, (action, configurable) in rows.items():
        assert [k for k, r in t[event].items() if r.action != a.KEEP] == [m.LOT]  # nothing else touched
        rule = t[event][m.LOT]
        assert (rule.action, rule.decider, rule.scope, rule.configurable) == (
            action,
            table_rules.Decider.AUTO,
            "claimed",
            configurable,
        )
    filed = t[e.PRICE_OBJECTION_FILED][m.LOT]
    assert filed.article.startswith("参考价规定第22条、第23条") and "网拍规定第28条" in filed.article
    assert "可配置" in filed.article  # no article read makes a price objection a ground: UNCONFIRMED
    assert t[e.PRICE_OBJECTION_CLEARED][m.LOT].article.startswith("网拍规定第28条：中止拍卖的事由消失后")
    assert t[e.PRICE_OBJECTION_UPHELD][m.LOT].article.startswith("参考价规定第23条")
    assert table_rules.EVENT_LABELS[e.PRICE_OBJECTION_FILED] == "参考价异议立案"
    assert filed.label() == "系统自动中止拍卖被异议财产"


def test_filed_in_bidding_suspends_refuses_bids_on_every_path_and_rejection_resumes(
    people: dict[str, Any], custody: Any, clock: Any, panel: list[int], settings: Any
) -> None:
    # A party served late: a window long enough to reach the bidding (the setting, 参考价规定 Art 22).
    settings.ZHIXING_AUCTIONS = {"price_objection_days": 40}
    price = _price(people)
    lot = _published(people, price)
    reg, token = _registered(lot)
    clock.move_to(END - timedelta(hours=3))
    auctions.place_bid(reg.bidder, lot.pk, "700000")
    suspended_at = END - timedelta(hours=2)
    clock.move_to(suspended_at)

    o = _object(people, price)

    lot.refresh_from_db()
    assert (lot.status, lot.suspended_at, lot.suspension_cause) == (
        Lot.Status.SUSPENDED,
        suspended_at,
        "price_objection",
    )
    with pytest.raises(Conflict) as exc:  # the service (every path's)
        auctions.place_bid(reg.bidder, lot.pk, "705000")
    assert (exc.value.field, exc.value.message) == ("lot", PRICE_SUSPENDED_MESSAGE)
    api = Client().post(
        reverse("api:bid", args=[lot.pk]),
        data=json.dumps({"amount": "705000"}),
        content_type="application/json",
        HTTP_X_BIDDER_TOKEN=token,
    )
    assert api.status_code == 409 and api.json()["detail"] == PRICE_SUSPENDED_MESSAGE
    portal = Client()
    portal.post(reverse("auctions_signin"), {"token": token})
    form = portal.post(reverse("auctions_bid", args=[lot.pk]), {"amount": "705000"}, follow=True)
    assert PRICE_SUSPENDED_MESSAGE in form.content.decode()
    lot.refresh_from_db()
    assert (lot.bid_count, str(lot.current_price)) == (1, "700000.00")
    reg.refresh_from_db()
    assert reg.deposit_state == Registration.Deposit.PAID  # held, not refunded

    row = Consequence.objects.get(event="price_objection_filed")
    assert (row.measure, row.action, row.status, row.key) == (
        "lot",
        "suspend",
        Consequence.Status.APPLIED,
        f"price_objection_filed:{o.pk}:lot",
    )
    assert row.targets == [
        {
            "asset": price.asset_id,
            "price": price.pk,
            "objection": o.pk,
            "ref": f"参考价异议{o.number}",
            "lots": [lot.pk],
        }
    ]
    audit = AuditRecord.objects.filter(action="auctions.lot_suspend").order_by("-pk").first()
    assert audit is not None and audit.object_id == str(lot.pk)
    assert audit.after["cause"] == "price_objection"
    assert audit.after["reason"].startswith("参考价异议立案：参考价规定第22条、第23条")

    # The public lot page and the clerk's page say why.
    page = Client().get(reverse("auctions_lot", args=[lot.pk])).content.decode()
    assert 'data-testid="lot-suspended" data-cause="price_objection"' in page
    assert "本标的已中止拍卖：当事人对财产处置参考价提出异议，正在审查（参考价规定第22条、第23条）" in page
    assert 'data-testid="bid-panel"' not in page
    judge = Client()
    judge.force_login(people["judge"])
    manage = judge.get(reverse("auctions_manage_lot", args=[lot.pk])).content.decode()
    assert '<span data-testid="suspension-cause">参考价异议</span>' in manage

    # Sending the filing again (a retried transaction) applies nothing twice.
    valuation.filed(people["clerk"], o)
    assert Consequence.objects.filter(event="price_objection_filed").count() == 1

    # Rejected on 04-13: the lot resumes with the two hours it had left; bids are accepted again.
    resumed = datetime(2026, 4, 13, 10, tzinfo=TZ)
    clock.move_to(resumed)
    services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="询价报告记载无误")
    lot.refresh_from_db()
    assert (lot.status, lot.resumed_at, lot.ends_at) == (
        Lot.Status.ANNOUNCED,
        resumed,
        resumed + timedelta(hours=2),
    )
    cleared = Consequence.objects.get(event="price_objection_cleared")
    assert (cleared.action, cleared.status, cleared.key) == (
        "resume_lot",
        Consequence.Status.APPLIED,
        f"price_objection_cleared:{o.pk}:lot",
    )
    assert not Consequence.objects.filter(event="price_objection_upheld").exists()
    auctions.place_bid(reg.bidder, lot.pk, "705000")
    valuation.decided(people["judge"], o)  # once per objection
    assert Consequence.objects.filter(event="price_objection_cleared").count() == 1
    assert AuditRecord.objects.filter(action="auctions.lot_resume").count() == 1
    price.refresh_from_db()
    assert price.set_aside_on is None


def test_upheld_sets_the_price_aside_withdraws_the_lot_and_releases_the_deposits(
    people: dict[str, Any], custody: Any, clock: Any, panel: list[int]
) -> None:
    price = _price(people)
    lot = _published(people, price)  # announced, bidding from 04-09
    regs = [_registered(lot, i)[0] for i in range(2)]
    clock.move_to(FILED)
    o = _object(people, price)
    assert disposal_guards.refusals(price.asset_id) == [f"参考价异议{o.number}正在审查，不得拍卖、变卖该财产"]
    lot.refresh_from_db()
    assert (lot.status, lot.suspension_cause) == (Lot.Status.SUSPENDED, "price_objection")

    clock.move_to(FILED + timedelta(days=1))
    services.decide(people["judge"], o, upheld=True, panel_ids=panel, reason="询价报告面积记载错误")

    price.refresh_from_db()
    assert price.set_aside_on == date(2026, 3, 12)
    lot.refresh_from_db()
    assert lot.status == Lot.Status.CANCELLED
    assert lot.withdrawn_reason.startswith("参考价异议成立：参考价规定第23条")
    for reg in regs:
        reg.refresh_from_db()
        assert reg.deposit_state == Registration.Deposit.RELEASED
    cancel = AuditRecord.objects.filter(action="auctions.lot_cancel").order_by("-pk").first()
    assert cancel is not None and sorted(cancel.after["released"]) == sorted(r.pk for r in regs)
    rows = Consequence.objects.exclude(measure="term").order_by("pk")  # (the term clock's, issue 18)
    assert list(rows.values_list("event", "action", "key")) == [
        ("price_objection_filed", "suspend", f"price_objection_filed:{o.pk}:lot"),
        ("objection_upheld", "set_aside", ""),
        ("price_objection_upheld", "cancel_lot", f"price_objection_upheld:{o.pk}:lot"),
    ]  # the cleared row found nothing to resume: the lot was withdrawn
    # Withdrawing the lot ends the auction period of the term clock (审限规定 Art 9).
    assert Consequence.objects.filter(event="auction_ended", measure="term").count() == 1
    valuation.decided(people["judge"], o)  # sent again: nothing applied twice
    assert rows.count() == 3
    # A new lot needs a new price.
    with pytest.raises(Exception) as exc:
        auctions.create_lot(people["judge"], price.asset_id, lot_input())
    assert getattr(exc.value, "field", "") == "reference"


def test_a_review_setting_the_rejection_aside_withdraws_the_lot_that_resumed(
    people: dict[str, Any], custody: Any, clock: Any, panel: list[int]
) -> None:
    """Rejected (the lot resumes), then the higher court's 复议 sets the rejection aside: the price is set
    aside and the resumed lot withdrawn with its deposits released — the upheld row, once."""
    price = _price(people)
    lot = _published(people, price)
    reg = _registered(lot)[0]
    clock.move_to(FILED)
    o = _object(people, price)
    clock.move_to(FILED + timedelta(days=1))
    o = services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="询价报告记载无误")
    lot.refresh_from_db()
    assert lot.status == Lot.Status.ANNOUNCED
    o = services.record_service(people["judge"], o, "2026-03-12")
    o = acts.file_review(people["judge"], o, filed_on="2026-03-16")
    clock.move_to(datetime(2026, 3, 20, 10, tzinfo=TZ))
    acts.decide_review(people["gz_director"], o, upheld=True)
    price.refresh_from_db()
    assert price.set_aside_on == date(2026, 3, 20)
    lot.refresh_from_db()
    assert lot.status == Lot.Status.CANCELLED
    reg.refresh_from_db()
    assert reg.deposit_state == Registration.Deposit.RELEASED
    row = Consequence.objects.get(event="price_objection_upheld")
    assert (row.action, row.status, row.key) == (
        "cancel_lot",
        Consequence.Status.APPLIED,
        f"price_objection_upheld:{o.pk}:lot",
    )
    valuation.review_upheld(people["gz_director"], o)  # sent again: nothing applied twice
    assert Consequence.objects.filter(event="price_objection_upheld").count() == 1


def test_kept_by_configuration_a_lot_on_a_set_aside_price_never_resumes(
    people: dict[str, Any], custody: Any, clock: Any, panel: list[int], settings: Any
) -> None:
    settings.ZHIXING_CONSEQUENCES = {"price_objection_upheld.lot": "keep"}
    price = _price(people)
    lot = _published(people, price)
    clock.move_to(FILED)
    o = _object(people, price)
    services.decide(people["judge"], o, upheld=True, panel_ids=panel, reason="询价报告面积记载错误")
    lot.refresh_from_db()
    assert lot.status == Lot.Status.SUSPENDED
    assert not Consequence.objects.filter(event__in=("price_objection_upheld", "price_objection_cleared"))
    with pytest.raises(Conflict) as exc:  # nor by hand: the price it was made from is gone
        auctions.resume_lot(people["judge"], lot.pk, "异议已审查完毕", manual=True)
    assert exc.value.field == "reference"
    auctions.cancel_lot(people["judge"], lot.pk, "参考价已撤销，撤回拍卖")


def test_configured_off_the_filing_leaves_the_lot_in_bidding(
    people: dict[str, Any], custody: Any, clock: Any, settings: Any
) -> None:
    settings.ZHIXING_CONSEQUENCES = {"price_objection_filed.lot": "keep"}
    price = _price(people)
    lot = _published(people, price)
    clock.move_to(FILED)
    _object(people, price)
    lot.refresh_from_db()
    assert lot.status == Lot.Status.ANNOUNCED
    assert not Consequence.objects.exclude(measure="term").exists()


def test_withdrawn_resumes_moving_the_timetable_unless_a_third_party_still_claims_the_asset(
    people: dict[str, Any], custody: Any, clock: Any
) -> None:
    price = _price(people)
    lot = _published(people, price)
    clock.move_to(FILED)
    o = _object(people, price)
    claim = services.file_third_party(None, price.case, price.asset_id, objector())
    clock.move_to(FILED + timedelta(days=2))
    services.withdraw(people["judge"], o, "申请人书面撤回参考价异议")
    lot.refresh_from_db()
    assert lot.status == Lot.Status.SUSPENDED  # the third party's objection still stands
    assert not Consequence.objects.filter(event="price_objection_cleared").exists()
    # The third party's filing found the lot already suspended: nothing for its row to do.
    assert not Consequence.objects.filter(event="third_party_objection_filed").exists()
    clock.move_to(FILED + timedelta(days=3))
    services.withdraw(people["judge"], claim, "案外人书面撤回异议")
    lot.refresh_from_db()
    assert lot.status == Lot.Status.ANNOUNCED
    # Suspended before the bidding began: the timetable moves by the three days of the suspension.
    assert lot.starts_at == STARTS + timedelta(days=3)
    assert Consequence.objects.get(event="third_party_objection_cleared").action == "resume_lot"


def test_a_draft_lot_is_not_suspended_and_stays_unpublishable_while_pending(
    people: dict[str, Any], custody: Any, clock: Any
) -> None:
    price = _price(people)
    draft = auctions.create_lot(people["judge"], price.asset_id, lot_input())
    clock.move_to(FILED)
    o = _object(people, price)
    draft.refresh_from_db()
    assert draft.status == Lot.Status.DRAFT
    assert not Consequence.objects.filter(event="price_objection_filed").exists()
    with pytest.raises(Conflict) as exc:
        auctions.publish_lot(people["judge"], draft.pk)
    assert exc.value.field == "asset" and f"参考价异议{o.number}" in exc.value.message


# -- property: whatever the sequence, the lot is in bidding exactly when nothing refuses its asset ---------
class _Rollback(Exception):
    pass


@pytest.fixture
def bidding(people: dict[str, Any], custody: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """A lot in bidding from 04-09 10:00 to 04-10 10:00 on a price still open to objection (a 40-day
    window, the setting), one bidder's deposit paid."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZHIXING_AUCTIONS = {"price_objection_days": 40}
    forget_custody_cache()
    with time_machine.travel(NOW, tick=False):
        price = _price(people)
        lot = _published(people, price)
        reg, _ = _registered(lot)
    return {"price": price, "lot": lot, "reg": reg}


PRICE_ACTIONS = st.lists(
    st.one_of(
        st.just(("file_price",)),
        st.just(("file_third",)),
        st.tuples(st.just("decide"), st.booleans()),
        st.just(("withdraw",)),
        st.tuples(st.just("wait"), st.integers(1, 30)),
        st.just(("bid",)),
    ),
    min_size=1,
    max_size=12,
)


def _price_step(
    action: tuple[Any, ...], people: dict[str, Any], world: dict[str, Any], panel: list[int]
) -> None:
    price, lot, reg = world["price"], world["lot"], world["reg"]
    judge, kind = people["judge"], action[0]
    pending = Objection.objects.filter(status=Objection.Status.PENDING).order_by("-pk")
    try:
        if kind == "file_price":
            _object(people, price)
        elif kind == "file_third":
            services.file_third_party(None, price.case, price.asset_id, objector())
        elif kind == "decide" and pending.filter(act_type="valuation").exists():
            o = pending.filter(act_type="valuation").first()
            services.decide(judge, o, upheld=action[1], panel_ids=panel, reason="合议庭审查")
        elif kind == "withdraw" and pending.exists():
            services.withdraw(judge, pending.first(), "书面撤回")
    except ServiceError:
        pass  # refused, nothing written (a price already set aside, the same person's pending claim)
    lot.refresh_from_db()
    if kind == "bid":
        amount = (lot.current_price + lot.increment) if lot.current_price else lot.start_price
        if lot.status == Lot.Status.ANNOUNCED:
            auctions.place_bid(reg.bidder, lot.pk, str(amount))
        else:
            with pytest.raises(Conflict) as exc:
                auctions.place_bid(reg.bidder, lot.pk, str(amount))
            if lot.status == Lot.Status.SUSPENDED:
                assert exc.value.message == suspended_message(lot)
    # The invariant: a lot on a price set aside is withdrawn; otherwise it is suspended exactly while a
    # disposal guard refuses its asset, and in bidding again as soon as none does.
    price.refresh_from_db()
    upheld = Objection.objects.filter(act_type="valuation", status=Objection.Status.UPHELD).exists()
    assert (price.set_aside_on is not None) is upheld
    refused = bool(disposal_guards.refusals(price.asset_id))
    expected = Lot.Status.CANCELLED if upheld else (Lot.Status.SUSPENDED if refused else Lot.Status.ANNOUNCED)
    assert lot.status == expected, (action, lot.status, refused)
    keys = list(Consequence.objects.exclude(key="").values_list("key", flat=True))
    assert len(keys) == len(set(keys))  # each consequence once
    assert not Consequence.objects.exclude(status=Consequence.Status.APPLIED).exists()


@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=PRICE_ACTIONS)
@example(
    actions=[
        ("bid",),
        ("file_price",),
        ("bid",),
        ("file_third",),
        ("decide", False),
        ("bid",),
        ("withdraw",),
        ("bid",),
    ]
)
@example(
    actions=[("file_third",), ("file_price",), ("withdraw",), ("decide", True), ("bid",), ("file_price",)]
)
def test_the_lot_is_in_bidding_exactly_when_nothing_refuses_its_asset(
    actions: list[tuple[Any, ...]], people: dict[str, Any], bidding: dict[str, Any], panel: list[int]
) -> None:
    try:
        with transaction.atomic(), time_machine.travel(STARTS + timedelta(hours=1), tick=False) as clock:
            for action in actions:
                if action[0] == "wait":
                    clock.shift(timedelta(minutes=action[1]))
                    continue
                _price_step(action, people, bidding, panel)
            raise _Rollback
    except _Rollback:
        pass
