"""Property: whatever the sequence of objection actions and days, a blocked asset is never disposed of,
and an unblocked one is not held back by the objection. The case holds three controlled assets, and each
objection claims one of them:

* a frozen account: a deduction order (inquiry), a payout of its booked deduction (funds: the payable
  amount `propose`, the page and the API share, and sending an approved payout);
* a seized house with a draft lot: making another lot, publishing the draft (auctions);
* a seized house sold at auction, its price paid into the case account: confirming the sale and serving
  the ruling (auctions), a payout of the price (funds, through the auctions proceeds source).

Each disposal runs in a savepoint rolled back after it (the asset stays disposable for later steps); a
refusal must be the guard's (field `asset`, the objection's reason in the message). Each hypothesis
example runs in a savepoint rolled back at its end; time is moved with time_machine.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.auctions.conftest import TZ, bidder, lot_input
from tests.inquiry.expiry_support import seized
from zhixing.auctions import services as auctions
from zhixing.auctions.models import Lot
from zhixing.auctions.services import sandbox_bank
from zhixing.core import disposal_guards
from zhixing.core.errors import Conflict, ServiceError
from zhixing.funds import payable
from zhixing.funds import services as funds
from zhixing.funds.disposal import refuse_blocked
from zhixing.funds.services.accounts import forget_custody_cache
from zhixing.inquiry.models import Asset, DeductionReceivable, InquiryRequest
from zhixing.inquiry.services.controls import request_control
from zhixing.objections import services
from zhixing.objections.models import Objection

from .conftest import at, objector

pytestmark = pytest.mark.django_db
PROCEEDS = Decimal("2000.00")
PRICE = Decimal("700000.00")  # the sold house's price in the case account
START = date(2026, 9, 21)
TARGETS = ("account", "house", "sold")


class Rollback(Exception):
    pass


@pytest.fixture
def money_case(people: dict[str, Any], case: Any, account: Asset) -> Any:
    """The case account holds 2,000.00 deducted earlier from the (still partly frozen) account."""
    funds.set_custody_account(
        None,
        people["clerk"].court,
        bank_name="沙箱托管银行",
        account_name="广州市天河区人民法院",
        account_no="44001000106",
        sub_prefix="880106",
    )
    req = InquiryRequest.objects.create(
        case=case,
        court_id=case.court_id,
        party_id=account.party_id,
        partner=account.partner,
        action="deduct",
        asset=account,
        amount=PROCEEDS,
        status=InquiryRequest.Status.DONE,
        idempotency_key="prop-deduct-1",
        notice_number="控prop1",
        requested_by=people["judge"],
    )
    DeductionReceivable.objects.create(
        case=case,
        request=req,
        amount=PROCEEDS,
        payer_bank="工商银行",
        idempotency_key="prop-deduct-1",
        booked=True,
    )
    acc = funds.case_account(case)
    funds.book_incoming(
        funds.Incoming(
            txn_id="prop-deduct-1",
            amount=str(PROCEEDS),
            value_date=START,
            to_account=acc.number,
            payer_name="工商银行",
        ),
        source="deduction",
    )
    return case


def _priced(judge: Any, asset: Asset, reported_on: date) -> None:
    auctions.set_reference_price(
        judge,
        asset.pk,
        method="online",
        amount="1000000",
        started_on=reported_on - timedelta(days=10),
        reported_on=reported_on,
        tried=["agreement", "directed"],
    )


def _lot_terms(day: date) -> auctions.LotInput:
    """A lawful first auction announced on `day`: parties told 3 days before, bidding 31 days later."""
    starts = datetime(day.year, day.month, day.day, 10, tzinfo=TZ) + timedelta(days=31)
    return lot_input(
        notified_on=day - timedelta(days=3),
        announced_on=day,
        starts_at=starts,
        ends_at=starts + timedelta(days=1),
    )


@pytest.fixture
def auction_assets(people: dict[str, Any], money_case: Any, settings: Any, tmp_path: Any) -> dict[str, Asset]:
    """Two seized houses of the case: one with a draft lot, one sold in July (700,000 in the account)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    forget_custody_cache()
    judge = people["judge"]
    house = seized(money_case, date(2026, 1, 5), ref="粤（2024）广州市不动产权第0106101号")
    sold = seized(money_case, date(2026, 1, 5), ref="粤（2024）广州市不动产权第0106102号")
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=TZ), tick=False) as clock:
        _priced(judge, sold, date(2026, 5, 20))
        lot = auctions.publish_lot(
            judge, auctions.create_lot(judge, sold.pk, _lot_terms(date(2026, 6, 1))).pk
        )
        reg = auctions.join_lot(bidder(0), lot.pk)
        sandbox_bank.transfer_deposit(reg.pk, bank_txn="PROP-DEP", amount=reg.deposit_due)
        clock.move_to(lot.ends_at - timedelta(hours=1))
        auctions.place_bid(reg.bidder, lot.pk, str(PRICE))
        clock.move_to(lot.ends_at + timedelta(minutes=1))
        auctions.close_due()
        sandbox_bank.bank_notice(lot.court_id, "PROP-BAL", "630000", date(2026, 7, 3), "买受人", "尾款")
        auctions.pay_balance(
            people["finance"], lot.pk, bank_txn="PROP-BAL", amount="630000", value_date=date(2026, 7, 3)
        )
    with time_machine.travel(datetime(2026, 9, 20, 10, tzinfo=TZ), tick=False):
        _priced(judge, house, date(2026, 9, 1))
        auctions.create_lot(judge, house.pk, _lot_terms(date(2026, 9, 20)))
    return {"house": house, "sold": sold}


ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("file"), st.sampled_from(TARGETS)),
        st.tuples(st.just("decide"), st.booleans()),
        st.just(("serve",)),
        st.just(("suit",)),
        st.just(("end_suit",)),
        st.just(("withdraw",)),
        st.tuples(st.just("wait"), st.integers(1, 20)),
        st.just(("deduct",)),
        st.just(("payout",)),
        st.just(("lot",)),
        st.just(("publish",)),
        st.just(("confirm",)),
    ),
    min_size=1,
    max_size=12,
)


def _disposed(asset: Asset, dispose: Any) -> bool:
    """Run one disposal in a savepoint rolled back after it: True when it went through, False when the
    disposal guard refused it (field `asset`, the guard's reason in the message); any other refusal
    fails the test."""
    reasons = disposal_guards.refusals(asset.pk)
    try:
        with transaction.atomic():
            dispose()
            raise Rollback
    except Rollback:
        return True
    except Conflict as exc:
        if exc.field == "asset" and reasons and all(r in exc.message for r in reasons):
            return False
        raise AssertionError(f"refused for another reason: {exc.message}") from exc


def _payout(case: Any, blocked: dict[str, bool], assets: dict[str, Asset]) -> None:
    """The payable breakdown holds back exactly the blocked assets' proceeds; sending is refused beyond
    the free money and allowed up to it."""
    b = payable.payable_breakdown(case)
    held = {r.ref: r.amount for r in b.reserved if r.code == "disposal"}
    expected = {
        f"asset:{assets[k].pk}": amount
        for k, amount in (("account", PROCEEDS), ("sold", PRICE))
        if blocked[k]
    }
    assert held == expected, (held, expected)
    free = b.balance - sum(held.values(), Decimal("0.00"))
    if held:
        with pytest.raises(Conflict) as exc:
            refuse_blocked(case, free + Decimal("0.01"))
        assert exc.value.field == "payout"
    refuse_blocked(case, free)


def _step(
    action: tuple[Any, ...],
    day: date,
    people: dict[str, Any],
    case: Any,
    assets: dict[str, Asset],
    panel: list[int],
) -> date:
    judge = people["judge"]
    o = Objection.objects.order_by("-pk").first()
    kind = action[0]
    if kind == "wait":
        return day + timedelta(days=action[1])
    with at(day):
        blocked = {k: bool(disposal_guards.refusals(a.pk)) for k, a in assets.items()}
        house, sold = assets["house"], assets["sold"]
        draft = Lot.objects.get(asset=house)
        paid = Lot.objects.get(asset=sold)
        try:
            if kind == "file":
                services.file_third_party(None, case, assets[action[1]].pk, objector())
            elif kind == "decide" and o:
                services.decide(judge, o, upheld=action[1], panel_ids=panel, reason="合议庭审查")
            elif kind == "serve" and o:
                services.record_service(judge, o, day)
            elif kind == "suit" and o:
                services.record_suit(judge, o, filed_on=day, number="（2026）粤0106民初7号")
            elif kind == "end_suit" and o:
                services.end_suit(judge, o, ended_on=day)
            elif kind == "withdraw" and o:
                services.withdraw(judge, o, "撤回")
        except ServiceError:
            pass  # an action the state does not allow (a suit after its window): refused, nothing written
        if kind == "deduct":
            made = _disposed(
                assets["account"],
                lambda: request_control(judge, assets["account"], "deduct", amount="100.00"),
            )
            assert made is not blocked["account"], (kind, made, blocked)
        elif kind == "payout":
            _payout(case, blocked, assets)
        elif kind == "lot":

            def make_another() -> None:
                Lot.objects.filter(pk=draft.pk).update(status=Lot.Status.CANCELLED)
                auctions.create_lot(judge, house.pk, _lot_terms(day))

            made = _disposed(house, make_another)
            assert made is not blocked["house"], (kind, made, blocked)
        elif kind == "publish" and draft.status == Lot.Status.CANCELLED:
            # An upheld objection to the house withdrew its draft (撤回拍卖, through the consequence
            # table): there is nothing to publish, and the refusal says so.
            assert Objection.objects.filter(asset=house, status=Objection.Status.UPHELD).exists()
            with pytest.raises(Conflict) as refused, transaction.atomic():
                auctions.publish_lot(judge, draft.pk)
            assert refused.value.field == "status"
        elif kind == "publish":
            made = _disposed(house, lambda: auctions.publish_lot(judge, draft.pk))
            assert made is not blocked["house"], (kind, made, blocked)
        elif kind == "confirm":

            def confirm_and_serve() -> None:
                auctions.confirm_sale(judge, paid.pk)
                assert auctions.serve_ruling(judge, paid.pk, day).ruling_served_on == day

            made = _disposed(sold, confirm_and_serve)
            assert made is not blocked["sold"], (kind, made, blocked)
    return day


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
# Always tried: blocked while pending, through the window after a rejection, free after it and after a
# suit ends.
@example(
    actions=[
        ("payout",),
        ("file", "account"),
        ("deduct",),
        ("payout",),
        ("decide", False),
        ("serve",),
        ("wait", 15),
        ("deduct",),
        ("payout",),
        ("wait", 1),
        ("deduct",),
        ("payout",),
    ]
)
@example(
    actions=[
        ("file", "sold"),
        ("decide", True),
        ("serve",),
        ("suit",),
        ("wait", 20),
        ("payout",),
        ("confirm",),
        ("end_suit",),
        ("payout",),
        ("confirm",),
    ]
)
# The auction paths: no lot made or published while pending and through the window, both after it.
@example(
    actions=[
        ("lot",),
        ("publish",),
        ("file", "house"),
        ("lot",),
        ("publish",),
        ("confirm",),
        ("decide", False),
        ("serve",),
        ("wait", 18),
        ("publish",),
        ("lot",),
    ]
)
# An upheld objection to the house withdraws its draft lot: publishing it is refused for its status.
@example(
    actions=[
        ("file", "house"),
        ("decide", True),
        ("serve",),
        ("wait", 20),
        ("publish",),
        ("lot",),
    ]
)
def test_a_blocked_asset_is_never_disposed_of(
    actions: list[tuple[Any, ...]],
    people: dict[str, Any],
    money_case: Any,
    account: Asset,
    auction_assets: dict[str, Asset],
    panel: list[int],
) -> None:
    assets = {"account": account, **auction_assets}
    try:
        with transaction.atomic():
            day = START
            for action in actions:
                day = _step(action, day, people, money_case, assets, panel)
            raise Rollback
    except Rollback:
        pass
