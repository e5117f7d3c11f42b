"""The outcome of a third-party objection decides the claimed asset's lot and controls, through rows of
the measures consequence table applied by `measures.services.apply_event` (R-4.1.14, R-0.16):

* withdrawn, rejected with the window to sue lapsed (the objections sweep, frozen across the Labour Day
  holiday), or the suit lost by the objector → the suspended lot is resumed (网拍规定 Art 28) with the
  bidding time it had left, deposits still held, bids accepted again;
* upheld → the lot is withdrawn (撤回拍卖) and the deposits released;
* upheld and no suit in the window → the asset's seizure is released, exactly once however often the
  sweep runs;
* a judge may resume by hand from the lot page when the cause ended by another route (audited).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.auctions.conftest import bidder, lot_input, priced_house
from zhixing.auctions import services as auctions
from zhixing.auctions.models import Lot, Registration
from zhixing.auctions.services import sandbox_bank
from zhixing.core import disposal_guards
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.inquiry.models import Asset, InquiryRequest
from zhixing.measures import rules as table_rules
from zhixing.measures.models import Consequence, Proposal
from zhixing.objections import finality, services
from zhixing.objections.models import Objection

from .conftest import END, TZ, objector

pytestmark = pytest.mark.django_db

SUSPENDED_AT = END - timedelta(hours=2)  # 2026-04-10 08:00, two hours of bidding left
# A lawful lot announced on 2026-06-01.
LATER_LOT = lot_input(
    notified_on=date(2026, 5, 29),
    announced_on=date(2026, 6, 1),
    starts_at=datetime(2026, 7, 2, 10, tzinfo=TZ),
    ends_at=datetime(2026, 7, 3, 10, tzinfo=TZ),
)


def _suspended(people: dict[str, Any], house: Asset, clock: Any) -> tuple[Lot, Registration, Objection]:
    """A lot in bidding with one bid and a paid deposit, suspended by an objection filed online."""
    lot = auctions.publish_lot(
        people["judge"], auctions.create_lot(people["judge"], house.pk, lot_input()).pk
    )
    reg = auctions.join_lot(bidder(0), lot.pk)
    sandbox_bank.transfer_deposit(reg.pk, bank_txn="RES-DEP", amount=reg.deposit_due)
    clock.move_to(END - timedelta(hours=3))
    auctions.place_bid(reg.bidder, lot.pk, "700000")
    clock.move_to(SUSPENDED_AT)
    o = services.file_third_party(None, house.case, house.pk, objector())
    lot.refresh_from_db()
    assert lot.status == Lot.Status.SUSPENDED and lot.suspended_at == SUSPENDED_AT
    return lot, reg, o


def _at(clock: Any, day: date, hour: int = 10) -> datetime:
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=TZ)
    clock.move_to(moment)
    return moment


def test_the_table_rows_and_their_articles() -> None:
    t, e, m, a = table_rules.DEFAULT_TABLE, table_rules.Event, table_rules.Measure, table_rules.Action
    cleared = t[e.THIRD_PARTY_OBJECTION_CLEARED][m.LOT]
    assert (cleared.action, cleared.decider, cleared.scope, cleared.configurable) == (
        a.RESUME_LOT,
        table_rules.Decider.AUTO,
        "claimed",
        False,
    )
    assert (
        cleared.article.startswith("网拍规定第28条：中止拍卖的事由消失后")
        and "5日内恢复拍卖" in cleared.article
    )
    assert cleared.label() == "系统自动恢复拍卖被异议财产"
    upheld = t[e.THIRD_PARTY_OBJECTION_UPHELD][m.LOT]
    assert (upheld.action, upheld.configurable) == (a.CANCEL_LOT, True)  # no article read: configurable
    final = t[e.THIRD_PARTY_OBJECTION_FINAL]
    assert {k: r.action for k, r in final.items() if r.action != a.KEEP} == {
        m.FREEZE: a.RELEASE,
        m.SEIZURE: a.RELEASE,
        m.LOT: a.CANCEL_LOT,
    }
    assert final[m.SEIZURE].article.startswith("民诉解释(2015)第314条第2款")
    assert final[m.SEIZURE].label() == "系统自动解除被异议财产"
    # Nothing else of the case is touched by the objection's outcome.
    for event in (e.THIRD_PARTY_OBJECTION_CLEARED, e.THIRD_PARTY_OBJECTION_UPHELD):
        assert [k for k, r in t[event].items() if r.action != a.KEEP] == [m.LOT]


def test_withdrawal_resumes_the_lot_with_its_remaining_time_and_deposits_held(
    people: dict[str, Any], house: Asset, clock: Any
) -> None:
    lot, reg, o = _suspended(people, house, clock)
    resumed = _at(clock, date(2026, 4, 13))
    services.withdraw(people["judge"], o, "异议人书面申请撤回")

    lot.refresh_from_db()
    assert lot.status == Lot.Status.ANNOUNCED
    assert lot.resumed_at == resumed
    assert lot.ends_at == resumed + timedelta(hours=2)  # the two hours left at suspension
    assert lot.starts_at == datetime(2026, 4, 9, 10, tzinfo=TZ)  # bidding had begun: start unchanged
    reg.refresh_from_db()
    assert reg.deposit_state == Registration.Deposit.PAID
    row = Consequence.objects.get(event="third_party_objection_cleared")
    assert (row.measure, row.action, row.status, row.key) == (
        "lot",
        "resume_lot",
        Consequence.Status.APPLIED,
        f"third_party_objection_cleared:{o.pk}:lot",
    )
    assert row.targets == [
        {"asset": house.pk, "objection": o.pk, "ref": f"案外人异议{o.number}", "lots": [lot.pk]}
    ]
    audit = AuditRecord.objects.filter(action="auctions.lot_resume").order_by("-pk").first()
    assert audit is not None and audit.object_id == str(lot.pk)
    assert audit.before["status"] == "suspended"
    assert (audit.after["mode"], audit.after["manual"]) == ("remaining", False)
    assert audit.after["reason"].startswith("案外人异议中止事由消失：网拍规定第28条")

    # Bidding works again, on the public page too; the current price carries on.
    auctions.place_bid(reg.bidder, lot.pk, "705000")
    text = Client().get(reverse("auctions_lot", args=[lot.pk])).content.decode()
    assert 'data-testid="lot-resumed"' in text and 'data-testid="bid-panel"' in text
    # The lot ends at its new end and sells.
    clock.move_to(resumed + timedelta(hours=2, minutes=1))
    auctions.close_due()
    lot.refresh_from_db()
    assert (lot.status, str(lot.current_price)) == (Lot.Status.SOLD, "705000.00")


def test_rejected_and_no_suit_the_sweep_resumes_after_the_holiday_window_once(
    people: dict[str, Any], house: Asset, clock: Any, panel: list[int]
) -> None:
    lot, reg, o = _suspended(people, house, clock)
    o = services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="证据不足以排除执行")
    _at(clock, date(2026, 4, 16))
    o = services.record_service(people["judge"], o, "2026-04-16")
    # 04-16 + 15 = Fri 05-01, in the Labour Day holiday (05-01..05-05) → Wed 05-06.
    assert o.suit_due == date(2026, 5, 6)
    for day in (date(2026, 5, 1), date(2026, 5, 6)):
        _at(clock, day, 23)
        assert finality.sweep() == 0
        lot.refresh_from_db()
        assert lot.status == Lot.Status.SUSPENDED
    resumed = _at(clock, date(2026, 5, 7), 9)
    assert finality.sweep() == 1
    assert finality.sweep() == 0  # exactly once
    o.refresh_from_db()
    assert o.final_on == date(2026, 5, 7)
    audit = AuditRecord.objects.filter(action="objections.final").order_by("-pk").first()
    assert audit is not None and audit.object_id == str(o.pk) and audit.actor_id is None
    assert audit.after["status"] == "rejected" and audit.after["final_on"] == "2026-05-07"
    lot.refresh_from_db()
    assert (lot.status, lot.ends_at) == (Lot.Status.ANNOUNCED, resumed + timedelta(hours=2))
    assert Consequence.objects.filter(event="third_party_objection_cleared").count() == 1
    assert AuditRecord.objects.filter(action="auctions.lot_resume").count() == 1
    reg.refresh_from_db()
    assert reg.deposit_state == Registration.Deposit.PAID


def test_upheld_withdraws_the_lot_and_final_releases_the_seizure_exactly_once(
    people: dict[str, Any], house: Asset, clock: Any, panel: list[int]
) -> None:
    lot, reg, o = _suspended(people, house, clock)
    o = services.decide(people["judge"], o, upheld=True, panel_ids=panel, reason="异议人已付清价款并实际占有")
    lot.refresh_from_db()
    assert lot.status == Lot.Status.CANCELLED
    assert lot.withdrawn_reason.startswith("案外人异议成立：民诉法(2023)第238条")
    reg.refresh_from_db()
    assert reg.deposit_state == Registration.Deposit.RELEASED
    cancel = AuditRecord.objects.filter(action="auctions.lot_cancel").order_by("-pk").first()
    assert cancel is not None and cancel.after["released"] == [reg.pk]
    assert Consequence.objects.get(event="third_party_objection_upheld").action == "cancel_lot"
    # Enforcement against the asset is suspended; the seizure stays until the ruling is final.
    assert "成立" in disposal_guards.refusals(house.pk)[0]
    _at(clock, date(2026, 4, 16))
    o = services.record_service(people["judge"], o, "2026-04-16")
    assert o.suit_due == date(2026, 5, 6)
    _at(clock, date(2026, 5, 6), 23)
    assert finality.sweep() == 0
    assert not InquiryRequest.objects.filter(asset=house, action="release").exists()
    # A proposal on the case's controls from another event is not the objection's business.
    other = Proposal.objects.create(
        case=house.case,
        court_id=house.case.court_id,
        event="payment",
        measure="freeze",
        action="release",
        article="查封规定第19条",
        summary="解除超标的冻结",
    )
    _at(clock, date(2026, 5, 7))
    assert finality.sweep() == 1
    assert finality.sweep() == 0
    other.refresh_from_db()
    assert other.status == Proposal.Status.OPEN
    row = Consequence.objects.get(event="third_party_objection_final")
    assert (row.measure, row.action, row.status, row.key) == (
        "seizure",
        "release",
        Consequence.Status.APPLIED,
        f"third_party_objection_final:{o.pk}:seizure",
    )
    releases = list(InquiryRequest.objects.filter(asset=house, action="release"))
    assert [r.pk for r in releases] == row.requests and len(releases) == 1
    assert row.article.startswith("民诉解释(2015)第314条第2款")
    # A retry of the sweep's event is no second release either.
    lot_consequences_final(o)
    assert InquiryRequest.objects.filter(asset=house, action="release").count() == 1


def lot_consequences_final(o: Objection) -> None:
    from zhixing.objections import lot_consequences

    o.refresh_from_db()
    lot_consequences.final(None, o)


def test_a_suit_lost_by_the_objector_resumes_and_a_won_one_withdraws(
    people: dict[str, Any], house: Asset, clock: Any, panel: list[int]
) -> None:
    lot, _, o = _suspended(people, house, clock)
    o = services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="证据不足")
    o = services.record_service(people["judge"], o, "2026-04-10")
    _at(clock, date(2026, 4, 20))
    o = services.record_suit(people["judge"], o, filed_on="2026-04-20", number="（2026）粤0106民初77号")
    _at(clock, date(2026, 6, 1))
    with pytest.raises(ServiceError) as exc:
        services.end_suit(people["judge"], o, ended_on="2026-06-01", objector_won="maybe")
    assert exc.value.field == "objector_won"
    o = services.end_suit(people["judge"], o, ended_on="2026-06-01", objector_won=False)
    assert (o.suit_outcome, o.final_on) == ("objector_lost", date(2026, 6, 1))
    lot.refresh_from_db()
    assert lot.status == Lot.Status.ANNOUNCED  # the asset goes ahead

    # Another asset of the case, the suit won by the objector: its lot withdrawn, its seizure released.
    other = priced_house(people)
    draft = auctions.create_lot(people["judge"], other.pk, LATER_LOT)
    o2 = services.file_third_party(None, other.case, other.pk, objector())
    o2 = services.decide(people["judge"], o2, upheld=False, panel_ids=panel, reason="证据不足")
    o2 = services.record_service(people["judge"], o2, "2026-06-01")
    o2 = services.record_suit(people["judge"], o2, filed_on="2026-06-01", number="（2026）粤0106民初78号")
    services.end_suit(people["judge"], o2, ended_on="2026-06-01", objector_won=True)
    draft.refresh_from_db()
    assert draft.status == Lot.Status.CANCELLED
    assert InquiryRequest.objects.filter(asset=other, action="release").count() == 1


def test_a_suspended_lot_no_longer_blocks_a_new_lot_once_withdrawn(
    people: dict[str, Any], house: Asset, clock: Any, panel: list[int]
) -> None:
    """Upheld (lot withdrawn), then the applicant wins its suit: the asset may be put to auction again."""
    lot, _, o = _suspended(people, house, clock)
    o = services.decide(people["judge"], o, upheld=True, panel_ids=panel, reason="成立")
    o = services.record_service(people["judge"], o, "2026-04-10")
    o = services.record_suit(people["judge"], o, filed_on="2026-04-10", number="（2026）粤0106民初79号")
    with pytest.raises(Conflict):
        auctions.create_lot(people["judge"], house.pk, lot_input())
    _at(clock, date(2026, 6, 1))
    services.end_suit(people["judge"], o, ended_on="2026-06-01", objector_won=False)
    new = auctions.create_lot(people["judge"], house.pk, LATER_LOT)
    assert new.status == Lot.Status.DRAFT and new.pk != lot.pk


def test_a_judge_resumes_by_hand_from_the_lot_page(
    people: dict[str, Any], house: Asset, clock: Any, panel: list[int]
) -> None:
    lot, _, o = _suspended(people, house, clock)
    client = Client()
    client.force_login(people["judge"])
    url = reverse("auctions_lot_action", args=[lot.pk, "resume"])
    page = client.get(reverse("auctions_manage_lot", args=[lot.pk])).content.decode()
    assert 'data-testid="resume"' in page
    # While the objection is pending the guard refuses, naming it; nothing changes.
    text = client.post(url, {"reason": "中止事由消失"}, follow=True).content.decode()
    assert f"案外人异议{o.number}正在审查" in text
    lot.refresh_from_db()
    assert lot.status == Lot.Status.SUSPENDED
    # The objection is rejected and the window lapses, but the sweep has not yet run: the judge resumes.
    o = services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="证据不足")
    o = services.record_service(people["judge"], o, "2026-04-10")
    _at(clock, date(2026, 4, 30))
    with pytest.raises(ServiceError) as exc:
        auctions.resume_lot(people["judge"], lot.pk, "", manual=True)
    assert exc.value.field == "reason"
    clerk = Client()
    clerk.force_login(people["clerk"])
    assert clerk.post(url, {"reason": "x"}).status_code in (403, 404)
    client.force_login(people["judge"])  # the session of 04-10 has expired
    done = client.post(url, {"reason": "驳回异议裁定已生效，案外人未起诉"}, follow=True)
    assert [str(m) for m in done.context["messages"]] == ["已恢复拍卖"]
    lot.refresh_from_db()
    assert lot.status == Lot.Status.ANNOUNCED
    audit = AuditRecord.objects.filter(action="auctions.lot_resume").order_by("-pk").first()
    assert audit is not None and audit.actor_id == people["judge"].pk
    assert (audit.after["manual"], audit.after["reason"]) == (True, "驳回异议裁定已生效，案外人未起诉")
    # The sweep later finds nothing left to resume.
    _at(clock, date(2026, 5, 7))
    assert finality.sweep() == 1
    row = Consequence.objects.filter(event="third_party_objection_cleared").first()
    assert row is None  # no suspended lot left: nothing applied
