"""Control orders at service level: refusals, over-seizure, partial freeze, terms, lapse, release."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.inquiry.conftest import open_case
from zhixing.cases import services as case_services
from zhixing.cases.models import Party
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.inquiry import queries, services
from zhixing.inquiry.models import Asset, InquiryRequest, Partner, PartnerCategory
from zhixing.inquiry.services import feedback

pytestmark = pytest.mark.django_db
S = InquiryRequest.Status
TZ = ZoneInfo("Asia/Shanghai")


def account(case: Any, value: str, ref: str, partner: str = "BANK-ICBC") -> Asset:
    p = Partner.objects.get(code=partner)
    return Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=p,
        category=p.category,
        kind="account",
        ref=ref,
        value=Decimal(value),
        found_at=datetime.now(TZ),
    )


def house(case: Any, value: str) -> Asset:
    p = Partner.objects.get(code="REG-ESTATE")
    return Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=p,
        category=p.category,
        kind="house",
        ref="粤(2020)不动产权第1号",
        value=Decimal(value),
        divisible=False,
        found_at=datetime.now(TZ),
    )


def answer(req: InquiryRequest, **result: Any) -> None:
    InquiryRequest.objects.filter(pk=req.pk).update(status=S.SENDING)
    feedback.apply_control(req, {"key": req.idempotency_key, "status": "done", "result": result})


def freeze(people: dict[str, Any], asset: Asset, amount: str, got: str | None = None) -> InquiryRequest:
    req = services.request_control(people["judge"], asset, "freeze", amount=amount)
    req = services.approve(people["director"], req)
    answer(req, frozen=got or amount, partial=(got or amount) != amount)
    return req


# -- refusals -----------------------------------------------------------------------------------------


def test_debtor_without_valid_id_is_refused(people: dict[str, Any], case: Any) -> None:
    Party.objects.filter(case=case, role="debtor").update(id_number="360426199101010072")  # bad check digit
    with pytest.raises(ServiceError, match="没有有效的身份号码"):
        services.start_inquiry(people["judge"], case, ["deposit"])
    assert not InquiryRequest.objects.exists()


def test_closed_case_is_refused(people: dict[str, Any], case: Any) -> None:
    case_services.close_case(
        people["judge"],
        case,
        mode="withdrawn",
        closed_on=date.today(),
        details={"document_ref": "（2026）粤0106执1号销案", "ground": "other"},
    )
    case.refresh_from_db()
    with pytest.raises(Conflict, match="已结案"):
        services.start_inquiry(people["judge"], case, ["deposit"])


def test_no_category_and_wrong_roles_are_refused(people: dict[str, Any], case: Any) -> None:
    with pytest.raises(ServiceError, match="至少选择"):
        services.start_inquiry(people["judge"], case, [])
    for who in ("clerk", "gz_director", "yx_director"):
        with pytest.raises(NotPermitted):
            services.start_inquiry(people[who], case, ["deposit"])


def test_freeze_over_the_claim_is_refused(people: dict[str, Any], case: Any) -> None:
    a = account(case, "10000000.00", "A1")
    outstanding = queries.case_claim(case).outstanding
    with pytest.raises(ServiceError, match="超标的"):
        services.request_control(people["judge"], a, "freeze", amount=str(outstanding + Decimal("0.01")))
    req = services.request_control(people["judge"], a, "freeze", amount=str(outstanding))
    assert req.status == S.AWAITING_APPROVAL
    other = account(case, "500.00", "A2")
    with pytest.raises(ServiceError, match="超标的"):  # the pending order already uses the headroom
        services.request_control(people["judge"], other, "freeze", amount="1.00")


def test_seizure_of_indivisible_asset_needs_reason(people: dict[str, Any], case: Any) -> None:
    h = house(case, "5000000")
    with pytest.raises(ServiceError, match="不可分"):
        services.request_control(people["judge"], h, "seize")
    req = services.request_control(people["judge"], h, "seize", reason="唯一房产，不可分割")
    req = services.approve(people["director"], req)
    answer(req, rank=2, queued=True)
    h.refresh_from_db()
    assert h.state == Asset.State.QUEUED and h.seizure_rank == 2
    assert h.control_expires is not None and (h.control_expires - h.control_start).days > 365 * 3 - 3


def test_approval_chain(people: dict[str, Any], case: Any) -> None:
    a = account(case, "1000.00", "A1")
    req = services.request_control(people["judge"], a, "freeze", amount="10")
    assert [x["role"] for x in req.approvals] == ["judge"]
    with pytest.raises(NotPermitted):
        services.approve(people["judge2"], req)  # the judge step is done; the director's is next
    with pytest.raises(NotPermitted):
        services.approve(people["gz_director"], req)  # a higher court reads only
    assert [r.pk for r in queries.approval_queue(people["director"])] == [req.pk]
    services.reject(people["director"], req, "金额有误")
    assert InquiryRequest.objects.get(pk=req.pk).status == S.REJECTED


def test_partial_freeze_asks_the_remainder_elsewhere(people: dict[str, Any], case: Any) -> None:
    a1 = account(case, "300.00", "A1")
    a2 = account(case, "800.00", "A2", partner="PAY-ALIPAY")
    req = freeze(people, a1, "1000.00", got="300.00")
    a1.refresh_from_db()
    assert a1.frozen_amount == Decimal("300.00")
    child = InquiryRequest.objects.get(parent=req)
    assert child.asset_id == a2.pk and child.amount == Decimal("700.00") and child.status == S.PENDING


@given(
    balances=st.lists(st.decimals(min_value=0, max_value=80000, places=2), min_size=1, max_size=5),
    asks=st.lists(st.decimals(min_value="0.01", max_value=200000, places=2), min_size=1, max_size=6),
)
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_over_seizure_property(
    people: dict[str, Any], case: Any, balances: list[Decimal], asks: list[Decimal]
) -> None:
    """Whatever is asked and however little the accounts hold, controlled ≤ outstanding."""
    with transaction.atomic():
        assets = [account(case, str(b), f"P{i}") for i, b in enumerate(balances)]
        outstanding = queries.case_claim(case).outstanding
        for i, ask in enumerate(asks):
            target = assets[i % len(assets)]
            target.refresh_from_db()
            try:
                req = services.request_control(people["judge"], target, "freeze", amount=str(ask))
                req = services.approve(people["director"], req)
            except (ServiceError, Conflict):
                continue
            available = target.value - target.frozen_amount
            answer(req, frozen=str(min(ask, available)), partial=ask > available)
            # follow-up remainder orders, answered the same way
            for child in InquiryRequest.objects.filter(parent=req, status=S.PENDING).select_related("asset"):
                got = min(child.amount, child.asset.value - child.asset.frozen_amount)
                answer(child, frozen=str(got), partial=got < child.amount)
            assert queries.controlled_total(case.pk) <= outstanding
        transaction.set_rollback(True)


# -- terms, warnings, lapse, renewal ------------------------------------------------------------------


def test_term_warning_lapse_and_renewal(people: dict[str, Any], quiet: None) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=TZ), tick=False):
        case = open_case(people)
        a = account(case, "1000.00", "A1")
        freeze(people, a, "100.00")
        a.refresh_from_db()
        assert (a.control_start, a.control_expires) == (date(2026, 3, 10), date(2027, 3, 9))
        assert queries.expiring(case) == []
    with time_machine.travel(datetime(2027, 2, 10, 10, tzinfo=TZ), tick=False):
        assert queries.expiring(case) == [a]  # 27 days left: warn
        renew = services.request_control(people["judge"], a, "renew")
        assert renew.status == S.PENDING  # renewal needs no approval
        answer(renew, renewed=True)
        a.refresh_from_db()
        assert a.control_expires == date(2028, 3, 9)
        assert queries.expiring(case) == []
    with time_machine.travel(datetime(2028, 3, 10, 10, tzinfo=TZ), tick=False):
        assert services.lapse_expired() == 1
        a.refresh_from_db()
        assert a.state == Asset.State.LAPSED
        with pytest.raises(Conflict):
            services.request_control(people["judge"], a, "renew")


# -- release when paid -------------------------------------------------------------------------------


def test_performed_case_releases_controls(people: dict[str, Any], case: Any) -> None:
    a = account(case, "1000.00", "A1")
    freeze(people, a, "100.00")
    case_services.close_case(
        people["judge"],
        case,
        mode="performed",
        closed_on=date.today(),
        details={
            "document_ref": "（2026）粤0106执1号结案",
            "performed_amount": "100.00",
            "how": "compulsory",
        },
    )
    # The closing's own transaction asked for the release (zhixing.measures); the sweep finds it busy.
    assert services.release_sweep() == 0
    rel = InquiryRequest.objects.get(case=case, action="release")
    answer(rel, released="100.00")
    a.refresh_from_db()
    assert a.state == Asset.State.RELEASED and a.frozen_amount == 0


def test_categories_are_data() -> None:
    assert PartnerCategory.objects.count() == 16
    assert Partner.objects.filter(active=True).count() == 16


def test_dormant_case_may_be_queried_but_not_controlled(people: dict[str, Any], case: Any) -> None:
    from zhixing.cases.models import EnforcementCase

    a = account(case, "1000.00", "A1")
    EnforcementCase.objects.filter(pk=case.pk).update(status="dormant", closing_mode="dormant")
    case.refresh_from_db()
    services.start_inquiry(people["judge"], case, ["deposit"])  # periodic re-inquiry of 终本 cases
    with pytest.raises(Conflict, match="恢复执行"):
        services.request_control(people["judge"], a, "freeze", amount="10")
