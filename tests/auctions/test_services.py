"""Auction services: a lot from a seized house, bidders with deposits in the ledger, bidding, the end,
settlement into the case account, default and the re-auction chain (frozen time)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal as D
from typing import Any

import pytest

from tests.auctions.conftest import BIDDER_IDS, TZ, bidder, lot_input
from zhixing.auctions import services
from zhixing.auctions.models import Bid, Lot, Registration
from zhixing.auctions.services import sandbox_bank
from zhixing.core import disposal_guards
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.funds.models import AccountKind, LedgerAccount, Payout
from zhixing.funds.services import auction_deposits

pytestmark = pytest.mark.django_db
START = datetime(2026, 4, 9, 10, tzinfo=TZ)
END = datetime(2026, 4, 10, 10, tzinfo=TZ)


def _case_balance(case: Any) -> D:
    acc = LedgerAccount.objects.filter(kind=AccountKind.CASE, case_id=case.pk).first()
    return -acc.balance if acc else D("0")


def _published(people: dict[str, Any], house: dict[str, Any], **kw: Any) -> Lot:
    lot = services.create_lot(people["judge"], house["asset"].pk, lot_input(**kw))
    return services.publish_lot(people["judge"], lot.pk)


def _paid(lot: Lot, i: int) -> Registration:
    reg = services.join_lot(bidder(i), lot.pk)
    return sandbox_bank.transfer_deposit(reg.pk, bank_txn=f"B{lot.pk}-{i}", amount=reg.deposit_due)


def test_lot_terms_are_checked_and_every_problem_names_its_field(people, house):
    with pytest.raises(services.LotInvalid) as exc:
        services.create_lot(
            people["judge"],
            house["asset"].pk,
            lot_input(
                start_price="699999.99", deposit="200000", announced_on=date(2026, 3, 20), panel=["王"]
            ),
        )
    assert exc.value.errors == {
        "start_price": "起拍价不得低于参考价的70%，即700000.00元（网拍规定第10条）",
        "deposit": "保证金应为起拍价的5%至20%，即35000.00元至139999.99元（网拍规定第17条）",
        "starts_at": "不动产及其他财产权拍卖应在竞价开始30日前公告，最早于2026-04-19开始竞价",
        "panel": "起拍价、保证金、加价幅度等须由合议庭决定：请填写3名或以上单数、互不相同的合议庭成员",
    }
    assert not Lot.objects.exists()
    with pytest.raises(NotPermitted):
        services.create_lot(people["clerk"], house["asset"].pk, lot_input())
    with pytest.raises(NotPermitted):
        services.create_lot(people["yx_judge"], house["asset"].pk, lot_input())
    lot = services.create_lot(people["judge"], house["asset"].pk, lot_input())
    assert lot.status == Lot.Status.DRAFT and lot.panel == ["审判长 王法官", "审判员 李法官", "审判员 赵法官"]
    assert AuditRecord.objects.filter(action="auctions.lot_create", object_id=str(lot.pk)).count() == 1


def test_a_disposal_guard_refuses_publishing_and_confirming(people, house):
    lot = services.create_lot(people["judge"], house["asset"].pk, lot_input())

    def objection(asset_id: int) -> list[str]:
        return ["案外人异议审查中（CPL第238条）"] if asset_id == house["asset"].pk else []

    disposal_guards.register(objection)
    try:
        with pytest.raises(Conflict, match="该财产暂不得处分：案外人异议审查中（CPL第238条）"):
            services.publish_lot(people["judge"], lot.pk)
        lot.refresh_from_db()
        assert lot.status == Lot.Status.DRAFT
    finally:
        disposal_guards._GUARDS.remove(objection)
    assert services.publish_lot(people["judge"], lot.pk).status == Lot.Status.ANNOUNCED


def test_bidders_need_a_valid_id_and_a_paid_deposit(people, house, _frozen):
    with pytest.raises(ServiceError) as exc:
        services.register_bidder("某人", "110105194912310021")
    assert exc.value.field == "id_number"
    lot = _published(people, house)
    b = bidder(0)
    reg = services.join_lot(b, lot.pk)
    assert reg.deposit_due == D("70000.00") and reg.code != ""
    _frozen.move_to(START + timedelta(minutes=1))
    with pytest.raises(Conflict, match="请先交纳保证金"):
        services.place_bid(b, lot.pk, "700000")
    with pytest.raises(ServiceError, match=r"保证金应为70000\.00元"):
        services.record_deposit(None, reg.pk, bank_txn="T0", amount="7000")
    sandbox_bank.transfer_deposit(reg.pk, bank_txn="T1", amount="70000")
    sandbox_bank.transfer_deposit(reg.pk, bank_txn="T1", amount="70000")  # a retry books nothing twice
    assert auction_deposits.deposits_held(lot.court_id) == D("70000.00")
    assert services.place_bid(b, lot.pk, "700000").seq == 1
    assert Bid.objects.count() == 1


def test_the_applicant_bids_without_a_deposit_up_to_its_claim(people, house):
    applicant = house["case"].parties.get(role="applicant")
    lot = _published(people, house)
    from zhixing.cases.models import Party

    Party.objects.filter(pk=applicant.pk).update(id_number=BIDDER_IDS[5])
    reg = services.join_lot(bidder(5), lot.pk)
    # The claim (100,000 principal and its interest and costs) exceeds the 70,000 deposit.
    assert reg.deposit_due == D("0.00") and reg.deposit_state == Registration.Deposit.EXEMPT
    assert reg.applicant_claim is not None and reg.applicant_claim > D("70000")


def test_bidding_extension_settlement_and_ruling(people, house, _frozen):
    case = house["case"]
    lot = _published(people, house)
    a, b = _paid(lot, 0), _paid(lot, 1)
    assert auction_deposits.deposits_held(lot.court_id) == D("140000.00")
    _frozen.move_to(START + timedelta(hours=1))
    services.place_bid(a.bidder, lot.pk, "700000")
    with pytest.raises(Conflict, match=r"即705000\.00元"):
        services.place_bid(b.bidder, lot.pk, "704999")
    _frozen.move_to(END - timedelta(minutes=2))
    services.place_bid(b.bidder, lot.pk, "705000")
    lot.refresh_from_db()
    assert lot.ends_at == END + timedelta(minutes=3)
    _frozen.move_to(END + timedelta(minutes=2))
    services.place_bid(a.bidder, lot.pk, "710000")
    lot.refresh_from_db()
    assert lot.ends_at == END + timedelta(minutes=7) and lot.current_price == D("710000.00")
    assert [x.amount for x in Bid.objects.filter(lot=lot).order_by("seq")] == [
        D("700000.00"),
        D("705000.00"),
        D("710000.00"),
    ]
    _frozen.move_to(END + timedelta(minutes=7, seconds=1))
    with pytest.raises(Conflict, match="竞价已结束"):
        services.place_bid(b.bidder, lot.pk, "800000")
    assert services.close_due() == 0  # inside the grace a late-arriving bid may still be judged
    _frozen.move_to(END + timedelta(minutes=8))
    assert services.close_due() == 1
    lot.refresh_from_db()
    assert lot.status == Lot.Status.SOLD and lot.leader_id == a.pk
    assert lot.balance_due_on == date(2026, 4, 20)
    assert Registration.objects.get(pk=b.pk).deposit_state == Registration.Deposit.RELEASED
    # Released = a refund order to the bidder, waiting for finance; the money stays in the deposit
    # account until the bank pays it (funds `deposit_refunds`, tests/funds/test_deposit_refunds.py).
    refund = Payout.objects.get(source=f"auction-release:{b.pk}")
    assert (refund.purpose, refund.status, refund.amount, refund.chain) == (
        "deposit",
        "proposed",
        D("70000.00"),
        ["finance"],
    )
    assert refund.account_name == b.bidder.name and refund.due_on == date(2026, 4, 11)
    assert auction_deposits.deposits_held(lot.court_id) == D("140000.00")
    before = _case_balance(case)
    with pytest.raises(ServiceError, match=r"尾款应为640000\.00元"):
        services.pay_balance(
            people["finance"], lot.pk, bank_txn="W1", amount="710000", value_date=date(2026, 4, 12)
        )
    sandbox_bank.bank_notice(lot.court_id, "W1", "640000", date(2026, 4, 12), "竞买人0", "尾款")
    services.pay_balance(
        people["finance"], lot.pk, bank_txn="W1", amount="640000", value_date=date(2026, 4, 12)
    )
    assert _case_balance(case) - before == D("710000.00")
    assert auction_deposits.deposits_held(lot.court_id) == D("70000.00")  # b's refund: not paid yet
    lot = services.confirm_sale(people["judge"], lot.pk)
    assert lot.status == Lot.Status.CONFIRMED and lot.ruling_document_id is not None
    served = []

    def receiver(**kw: Any) -> None:
        served.append((kw["asset_id"], kw["served_on"]))

    from zhixing.auctions.events import sale_ruling_served

    sale_ruling_served.connect(receiver)
    try:
        services.serve_ruling(people["judge"], lot.pk, date(2026, 4, 20))
    finally:
        sale_ruling_served.disconnect(receiver)
    assert served == [(house["asset"].pk, date(2026, 4, 20))]


def test_default_forfeits_the_deposit_and_bars_the_buyer_from_the_reauction(people, house, _frozen):
    case = house["case"]
    lot = _published(people, house)
    a = _paid(lot, 0)
    _frozen.move_to(START)
    services.place_bid(a.bidder, lot.pk, "700000")  # a single bidder at the start price buys (Art 11)
    _frozen.move_to(END + timedelta(minutes=1))
    services.close_due()
    lot.refresh_from_db()
    assert lot.status == Lot.Status.SOLD
    with pytest.raises(Conflict, match="尾款期限2026-04-20尚未届满"):
        services.record_default(people["judge"], lot.pk, today=date(2026, 4, 20))
    before = _case_balance(case)
    lot = services.record_default(people["judge"], lot.pk, today=date(2026, 4, 21))
    assert lot.status == Lot.Status.DEFAULTED and lot.next_due_on == date(2026, 5, 21)
    assert _case_balance(case) - before == D("70000.00")
    _frozen.move_to(datetime(2026, 4, 21, 10, tzinfo=TZ))
    again = services.create_lot(
        people["judge"],
        house["asset"].pk,
        lot_input(
            start_price="560000",
            deposit="56000",
            notified_on=date(2026, 4, 18),
            announced_on=date(2026, 4, 21),
            starts_at=datetime(2026, 5, 6, 10, tzinfo=TZ),
            ends_at=datetime(2026, 5, 7, 10, tzinfo=TZ),
        ),
        previous=lot,
    )
    services.publish_lot(people["judge"], again.pk)
    with pytest.raises(Conflict, match="不得参加再次拍卖"):
        services.join_lot(a.bidder, again.pk)


def test_failed_auction_reauction_cut_and_set_off(people, house, _frozen):
    lot = _published(people, house)
    _frozen.move_to(END + timedelta(minutes=1))
    services.close_due()
    lot.refresh_from_db()
    assert lot.status == Lot.Status.FAILED and lot.next_due_on == date(2026, 5, 10)
    _frozen.move_to(datetime(2026, 4, 11, 10, tzinfo=TZ))
    second = {
        "notified_on": date(2026, 4, 8),
        "announced_on": date(2026, 4, 11),
        "starts_at": datetime(2026, 4, 26, 10, tzinfo=TZ),
        "ends_at": datetime(2026, 4, 27, 10, tzinfo=TZ),
    }
    with pytest.raises(services.LotInvalid) as exc:
        services.create_lot(
            people["judge"],
            house["asset"].pk,
            lot_input(start_price="559999", deposit="56000", **second),
            previous=lot,
        )
    assert list(exc.value.errors) == ["start_price"]
    re = services.create_lot(
        people["judge"],
        house["asset"].pk,
        lot_input(start_price="560000", deposit="56000", **second),
        previous=lot,
    )
    assert re.round_no == 2 and re.step == "reauction"
    services.publish_lot(people["judge"], re.pk)
    _frozen.move_to(datetime(2026, 4, 27, 10, 1, tzinfo=TZ))
    services.close_due()
    re.refresh_from_db()
    assert re.status == Lot.Status.FAILED and re.next_due_on == date(2026, 6, 26)  # sale: 60 days (config)
    with pytest.raises(ServiceError) as overlong:  # never cut short in silence
        services.set_off(people["judge"], re.pk, "广" * 129)
    assert overlong.value.field == "creditor"
    assert overlong.value.message == "“抵债受让人”不能超过128个字符（现为129个字符）"
    re.refresh_from_db()
    assert re.status == Lot.Status.FAILED and re.set_off_to == ""
    done = services.set_off(people["judge"], re.pk, "广州某银行股份有限公司")
    assert done.status == Lot.Status.SET_OFF and done.set_off_to == "广州某银行股份有限公司"
