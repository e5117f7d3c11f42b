"""The sale's consequences go through the measures consequence table (issue 18): the term clock paused
while the lot's chain runs, the balance booked into the case account, and — on service of the ruling —
title recorded as passed and the sold asset's seizure released; each exactly once (frozen time)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal as D
from typing import Any
from unittest import mock

import pytest

from tests.auctions.conftest import TZ, bidder, lot_input
from zhixing.auctions import services
from zhixing.auctions.events import sale_balance_paid, sale_ruling_served
from zhixing.auctions.models import Lot
from zhixing.auctions.services import sandbox_bank
from zhixing.cases.models import ExcludedPeriod
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.funds.models import AccountKind, LedgerAccount, Receipt
from zhixing.inquiry.models import InquiryRequest
from zhixing.measures import services as measures
from zhixing.measures.models import Consequence
from zhixing.measures.rules import DEFAULT_TABLE, Action, Decider, Event, Measure

pytestmark = pytest.mark.django_db
START = datetime(2026, 4, 9, 10, tzinfo=TZ)
END = datetime(2026, 4, 10, 10, tzinfo=TZ)
NOW_PLUS_RETRY = datetime(2026, 3, 10, 10, 11, tzinfo=TZ)  # the first retry is due 10 minutes on


def _case_balance(case: Any) -> D:
    acc = LedgerAccount.objects.filter(kind=AccountKind.CASE, case_id=case.pk).first()
    return -acc.balance if acc else D("0")


def _sold(people: dict[str, Any], house: dict[str, Any], frozen: Any) -> Lot:
    """A lot published 2026-03-10, one bidder at the start price, closed: sold, balance 630,000 due."""
    lot = services.create_lot(people["judge"], house["asset"].pk, lot_input())
    lot = services.publish_lot(people["judge"], lot.pk)
    reg = services.join_lot(bidder(0), lot.pk)
    reg = sandbox_bank.transfer_deposit(reg.pk, bank_txn=f"B{lot.pk}", amount=reg.deposit_due)
    frozen.move_to(START)
    services.place_bid(reg.bidder, lot.pk, "700000")
    frozen.move_to(END + timedelta(minutes=1))
    services.close_due()
    return Lot.objects.get(pk=lot.pk)


def _rows(case: Any) -> list[tuple[str, str, str, str]]:
    rows = Consequence.objects.filter(case=case).order_by("id")
    return list(rows.values_list("event", "measure", "action", "status"))


def test_the_sale_rows_are_automatic_settled_by_their_articles() -> None:
    served = DEFAULT_TABLE[Event.SALE_RULING_SERVED]
    assert (served[Measure.SEIZURE].action, served[Measure.SEIZURE].scope) == (Action.RELEASE, "sold")
    assert served[Measure.TITLE].action == Action.TRANSFER
    assert "网拍规定第22条" in served[Measure.TITLE].article
    assert DEFAULT_TABLE[Event.SALE_BALANCE_PAID][Measure.PROCEEDS].action == Action.POST
    assert DEFAULT_TABLE[Event.AUCTION_STARTED][Measure.TERM].action == Action.PAUSE
    assert DEFAULT_TABLE[Event.AUCTION_ENDED][Measure.TERM].action == Action.RESUME
    assert "审限规定第9条" in DEFAULT_TABLE[Event.AUCTION_ENDED][Measure.TERM].article
    cells = [
        served[Measure.SEIZURE],
        served[Measure.TITLE],
        DEFAULT_TABLE[Event.SALE_BALANCE_PAID][Measure.PROCEEDS],
        DEFAULT_TABLE[Event.AUCTION_STARTED][Measure.TERM],
        DEFAULT_TABLE[Event.AUCTION_ENDED][Measure.TERM],
    ]
    assert all(c.decider == Decider.AUTO and not c.configurable for c in cells)
    # A sale touches nothing else; no other event touches title, proceeds or the term clock.
    assert served[Measure.FREEZE].action == Action.KEEP and served[Measure.LISTING].action == Action.KEEP
    assert all(
        DEFAULT_TABLE[e][m].action == Action.KEEP
        for e in Event
        if not e.value.startswith(("sale_", "auction_", "set_off_"))
        for m in (Measure.TITLE, Measure.PROCEEDS, Measure.TERM)
    )


def test_the_sale_pauses_the_term_books_the_proceeds_passes_title_and_releases_the_seizure(
    people, house, _frozen
):
    case, asset = house["case"], house["asset"]
    lot = _sold(people, house, _frozen)
    period = ExcludedPeriod.objects.get(case=case, kind="auction")
    assert (period.start, period.end) == (date(2026, 3, 10), None)
    assert _rows(case) == [("auction_started", "term", "pause", "applied")]

    before = _case_balance(case)
    sandbox_bank.bank_notice(lot.court_id, "W1", "630000", date(2026, 4, 12), "买受人", "尾款")
    services.pay_balance(
        people["finance"], lot.pk, bank_txn="W1", amount="630000", value_date=date(2026, 4, 12)
    )
    assert _case_balance(case) - before == D("700000.00")  # the balance and the buyer's deposit
    receipt = Receipt.objects.get(bank_txn_id="W1")  # the bank's own notice, claimed to the case
    assert (receipt.amount, receipt.case_id, receipt.source, receipt.status) == (
        D("630000.00"),
        case.pk,
        "notice",
        Receipt.Status.CLAIMED,
    )
    proceeds = Consequence.objects.get(case=case, measure="proceeds")
    assert proceeds.key == f"sale_balance_paid:{lot.pk}:proceeds"
    assert "网拍规定第6条、第23条" in proceeds.article

    _frozen.move_to(datetime(2026, 4, 14, 10, tzinfo=TZ))
    services.confirm_sale(people["judge"], lot.pk)
    period.refresh_from_db()
    assert period.end == date(2026, 4, 14)
    assert InquiryRequest.objects.filter(asset=asset, action="release").count() == 0  # not before service

    services.serve_ruling(people["judge"], lot.pk, date(2026, 4, 20))
    asset.refresh_from_db()
    assert asset.title_passed_on == date(2026, 4, 20)
    assert asset.title_passed_ref == f"拍卖成交裁定送达买受人（标的{lot.pk}）"
    release = InquiryRequest.objects.get(asset=asset, action="release")
    assert release.amount is None  # the whole seizure of the sold house
    seizure = Consequence.objects.get(case=case, event="sale_ruling_served", measure="seizure")
    assert seizure.requests == [release.pk] and seizure.key == f"sale_ruling_served:{lot.pk}:seizure"
    assert _rows(case)[-4:] == [
        ("sale_balance_paid", "proceeds", "post", "applied"),
        ("auction_ended", "term", "resume", "applied"),
        ("sale_ruling_served", "seizure", "release", "applied"),
        ("sale_ruling_served", "title", "transfer", "applied"),
    ]


def test_a_repeated_or_retried_sale_event_applies_each_consequence_exactly_once(people, house, _frozen):
    case, asset = house["case"], house["asset"]
    lot = _sold(people, house, _frozen)
    sandbox_bank.bank_notice(lot.court_id, "W1", "630000", date(2026, 4, 12), "买受人", "尾款")
    services.pay_balance(
        people["finance"], lot.pk, bank_txn="W1", amount="630000", value_date=date(2026, 4, 12)
    )
    services.confirm_sale(people["judge"], lot.pk)
    # The title's recording fails once (e.g. a lock timeout): recorded as failed, not lost.
    with mock.patch(
        "zhixing.inquiry.services.releases.record_title_passed", side_effect=ServiceError("登记簿忙")
    ):
        services.serve_ruling(people["judge"], lot.pk, date(2026, 4, 20))
    title = Consequence.objects.get(case=case, measure="title")
    assert (title.status, title.error, title.attempts) == ("failed", "登记簿忙", 1)
    balance, rows = _case_balance(case), Consequence.objects.count()

    # The same events delivered again (a redelivery, a second worker): nothing is applied twice.
    for _ in range(2):
        sale_ruling_served.send(
            sender=Lot,
            case_id=case.pk,
            asset_id=asset.pk,
            lot_id=lot.pk,
            served_on=date(2026, 4, 20),
            actor=people["judge"],
        )
        sale_balance_paid.send(
            sender=Lot,
            case_id=case.pk,
            asset_id=asset.pk,
            lot_id=lot.pk,
            receipt_key="W1",
            amount=D("630000.00"),
            value_date=date(2026, 4, 12),
            actor=people["finance"],
        )
    assert Consequence.objects.count() == rows
    assert _case_balance(case) == balance
    assert Receipt.objects.filter(case=case).count() == 1  # the bank's notice W1, claimed once
    assert InquiryRequest.objects.filter(asset=asset, action="release").count() == 1
    asset.refresh_from_db()
    assert asset.title_passed_on is None

    # The retry applies the failed one, once; a second retry finds nothing left to do.
    retried = measures.retry(people["judge"], title)
    assert (retried.status, retried.attempts) == ("applied", 2)
    asset.refresh_from_db()
    assert asset.title_passed_on == date(2026, 4, 20)
    with pytest.raises(Conflict):
        measures.retry(people["judge"], title)
    assert Consequence.objects.filter(case=case, measure="title").count() == 1


def test_a_balance_without_the_banks_notice_is_refused_and_nothing_changes(people, house, _frozen):
    case = house["case"]
    lot = _sold(people, house, _frozen)
    before, rows = _case_balance(case), Consequence.objects.count()
    with pytest.raises(ServiceError, match="本院专户未收到该流水号的银行来款通知") as exc:
        services.pay_balance(
            people["finance"], lot.pk, bank_txn="W1", amount="630000", value_date=date(2026, 4, 12)
        )
    assert exc.value.field == "bank_txn" and not Receipt.objects.filter(bank_txn_id="W1").exists()
    assert Lot.objects.get(pk=lot.pk).status == Lot.Status.SOLD
    assert _case_balance(case) == before and Consequence.objects.count() == rows


def _failed(people: dict[str, Any], house: dict[str, Any], frozen: Any) -> Lot:
    """The house fails at auction (no bid by 2026-04-10 10:00): set-off at its reserve price possible."""
    lot = services.create_lot(people["judge"], house["asset"].pk, lot_input())
    services.publish_lot(people["judge"], lot.pk)
    frozen.move_to(END + timedelta(minutes=1))
    services.close_due()
    return Lot.objects.get(pk=lot.pk)


def test_the_set_off_ruling_served_passes_title_and_releases_the_seizure_once(people, house, _frozen):
    case, asset = house["case"], house["asset"]
    row = DEFAULT_TABLE[Event.SET_OFF_RULING_SERVED]
    assert (row[Measure.TITLE].action, row[Measure.TITLE].scope) == (Action.TRANSFER, "sold")
    assert (row[Measure.SEIZURE].action, row[Measure.SEIZURE].decider) == (Action.RELEASE, Decider.AUTO)
    assert "拍卖变卖规定第16条、第26条" in row[Measure.TITLE].article
    assert row[Measure.PROCEEDS].action == Action.KEEP and row[Measure.FREEZE].action == Action.KEEP

    re = _failed(people, house, _frozen)
    with pytest.raises(Conflict, match="尚未作出") as exc:  # no set-off ruling yet: nothing passes
        services.serve_ruling(people["judge"], re.pk, date(2026, 4, 10))
    assert exc.value.field == "status"
    services.set_off(people["judge"], re.pk, "广州某银行股份有限公司")
    assert InquiryRequest.objects.filter(asset=asset, action="release").count() == 0  # not before service

    _frozen.move_to(datetime(2026, 4, 30, 10, tzinfo=TZ))
    services.serve_ruling(people["judge"], re.pk, date(2026, 4, 29))
    asset.refresh_from_db()
    assert asset.title_passed_on == date(2026, 4, 29)
    assert asset.title_passed_ref == f"以物抵债裁定送达承受人（标的{re.pk}）"
    release = InquiryRequest.objects.get(asset=asset, action="release")
    title = Consequence.objects.get(case=case, event="set_off_ruling_served", measure="title")
    assert title.key == f"set_off_ruling_served:{re.pk}:title" and "转移给承受人" in title.summary
    seizure = Consequence.objects.get(case=case, event="set_off_ruling_served", measure="seizure")
    assert (seizure.status, seizure.requests) == ("applied", [release.pk])
    served = AuditRecord.objects.get(action="auctions.set_off_served", object_id=str(re.pk))
    assert served.after == {"served_on": "2026-04-29"}

    # Served again (a second click, a redelivered event): nothing happens twice.
    rows = Consequence.objects.count()
    services.serve_ruling(people["judge"], re.pk, date(2026, 4, 30))
    assert Lot.objects.get(pk=re.pk).ruling_served_on == date(2026, 4, 29)
    assert Consequence.objects.count() == rows
    assert InquiryRequest.objects.filter(asset=asset, action="release").count() == 1


def test_the_background_retry_applies_the_term_pause_as_the_named_system_actor(people, house, _frozen):
    case = house["case"]
    lot = services.create_lot(people["judge"], house["asset"].pk, lot_input())
    # The pause fails once when the lot is published (e.g. the case row was locked): recorded, not lost.
    with mock.patch(
        "zhixing.measures.targets.start_excluded_period", side_effect=Conflict("案件正被他人修改")
    ):
        services.publish_lot(people["judge"], lot.pk)
    term = Consequence.objects.get(case=case, event="auction_started", measure="term")
    assert (term.status, term.error) == ("failed", "案件正被他人修改")
    assert not ExcludedPeriod.objects.filter(case=case).exists()

    _frozen.move_to(NOW_PLUS_RETRY)
    assert measures.retry_due() == 1  # the periodic task's call: no user
    term.refresh_from_db()
    assert (term.status, term.attempts, term.error) == ("applied", 2, "")
    period = ExcludedPeriod.objects.get(case=case, kind="auction")
    assert (period.start, period.end, period.document_ref) == (
        date(2026, 3, 10),
        None,
        f"拍卖公告（标的{lot.pk}）",
    )
    started = AuditRecord.objects.get(action="case.exclude_start", object_id=str(period.pk))
    retried = AuditRecord.objects.get(action="measures.retry", object_id=str(term.pk))
    for rec in (started, retried):
        assert (rec.actor_id, rec.actor_name) == (None, "系统（措施联动定时重试）")
        assert rec.court_code == case.court.code
    assert retried.after == {"status": "applied", "attempts": 2, "error": ""}


def test_the_system_actor_holds_only_its_grants_in_its_own_court(people, house):
    from zhixing.core.system_actor import actor_name, system_actor
    from zhixing.courts.queries import can_write_court
    from zhixing.courts.roles import Cap

    me = system_actor("措施联动定时重试", house["case"].court, [Cap.CASE_SUSPEND])
    assert me.can(Cap.CASE_SUSPEND) and not me.can(Cap.CASE_CLOSE) and me.pk is None
    assert can_write_court(me, house["case"].court)
    assert not can_write_court(me, people["yx_judge"].court)
    assert (actor_name(me), actor_name(None), actor_name(people["judge"])) == (
        "系统（措施联动定时重试）",
        "系统",
        people["judge"].get_full_name() or people["judge"].username,
    )
