"""Property: whatever the sequence of objection actions and days, a blocked asset is never disposed of —
neither by a deduction order (inquiry) nor by a payout of its booked proceeds (funds: the payable amount,
`propose`, and sending an approved payout) — and an unblocked one is not held back by the objection.

Each hypothesis example runs in a savepoint rolled back at its end; time is moved with time_machine.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from zhixing.core import disposal_guards
from zhixing.core.errors import Conflict, ServiceError
from zhixing.funds import payable
from zhixing.funds import services as funds
from zhixing.funds.disposal import refuse_blocked
from zhixing.inquiry.models import Asset, DeductionReceivable, InquiryRequest
from zhixing.inquiry.services.controls import request_control
from zhixing.objections import services
from zhixing.objections.models import Objection

from .conftest import at, objector

pytestmark = pytest.mark.django_db
PROCEEDS = Decimal("2000.00")
START = date(2026, 9, 21)


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


ACTIONS = st.lists(
    st.one_of(
        st.just(("file",)),
        st.tuples(st.just("decide"), st.booleans()),
        st.just(("serve",)),
        st.just(("suit",)),
        st.just(("end_suit",)),
        st.just(("withdraw",)),
        st.tuples(st.just("wait"), st.integers(1, 20)),
        st.just(("deduct",)),
        st.just(("payout",)),
    ),
    min_size=1,
    max_size=12,
)


def _step(
    action: tuple[Any, ...], day: date, people: dict[str, Any], case: Any, asset: Asset, panel: list[int]
) -> date:
    judge = people["judge"]
    o = Objection.objects.filter(asset=asset).order_by("-pk").first()
    kind = action[0]
    if kind == "wait":
        return day + timedelta(days=action[1])
    with at(day):
        blocked = bool(disposal_guards.refusals(asset.pk))
        try:
            if kind == "file":
                services.file_third_party(None, case, asset.pk, objector())
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
            elif kind == "deduct":
                with transaction.atomic():
                    try:
                        request_control(judge, asset, "deduct", amount="100.00")
                        made = True
                    except Conflict as exc:
                        made = False
                        assert exc.field == "asset"
                    assert made is not blocked, (made, blocked)
                    raise Rollback  # keep the asset deductible for later steps
            elif kind == "payout":
                b = payable.payable_breakdown(case)
                lines = [r for r in b.reserved if r.code == "disposal"]
                assert bool(lines) is blocked
                if blocked:
                    assert lines[0].amount == PROCEEDS and b.payable == Decimal("0.00")
                    with pytest.raises(Conflict):
                        refuse_blocked(case, Decimal("0.01"))
                else:
                    refuse_blocked(case, PROCEEDS)
        except Rollback:
            pass
        except ServiceError:
            pass  # an action the state does not allow (a suit after its window): refused, nothing written
    return day


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
# Always tried: blocked while pending, through the window after a rejection, free after it and after a
# suit ends.
@example(
    actions=[
        ("payout",),
        ("file",),
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
        ("file",),
        ("decide", True),
        ("serve",),
        ("suit",),
        ("wait", 20),
        ("payout",),
        ("end_suit",),
        ("payout",),
    ]
)
def test_a_blocked_asset_is_never_disposed_of(
    actions: list[tuple[Any, ...]], people: dict[str, Any], money_case: Any, account: Asset, panel: list[int]
) -> None:
    try:
        with transaction.atomic():
            day = START
            for action in actions:
                day = _step(action, day, people, money_case, account, panel)
            raise Rollback
    except Rollback:
        pass
