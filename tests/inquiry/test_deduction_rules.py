"""Deduction (扣划) rules, rules.md §6.4: property is not disposed of without a freeze first, and what a
deduction ruling does not yet take stays frozen until the freeze's expiry (民诉解释 Art 484 (2022))."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhixing.core.errors import Conflict
from zhixing.inquiry import services
from zhixing.inquiry.models import Asset, InquiryRequest

pytestmark = pytest.mark.django_db


def _account(people: dict[str, Any], case: Any) -> Asset:
    services.start_inquiry(
        people["judge"], case, ["deposit", "online_payment", "internet_bank", "financial_product"]
    )
    services.dispatch_due()
    account = Asset.objects.filter(case=case, kind="account", state="none", value__gt=10).first()
    if account is None:
        pytest.skip("this synthetic debtor holds no open account")
    return account


def _do(people: dict[str, Any], asset: Asset, action: str, amount: Decimal) -> None:
    req = services.request_control(people["judge"], asset, action, amount=str(amount))
    services.approve(people["director"], req)
    services.dispatch_due()


def test_unfrozen_money_is_not_deducted(people: dict[str, Any], case: Any, sandbox: Any) -> None:
    account = _account(people, case)
    with pytest.raises(Conflict) as err:
        services.request_control(people["judge"], account, "deduct", amount="1.00")
    assert "只能扣划已冻结的资金" in err.value.message
    assert not InquiryRequest.objects.filter(asset=account, action="deduct").exists()


def test_a_partial_deduction_leaves_the_rest_frozen_until_expiry(
    people: dict[str, Any], case: Any, sandbox: Any
) -> None:
    account = _account(people, case)
    amount = min(account.value, Decimal("50.00"))
    _do(people, account, "freeze", amount)
    account.refresh_from_db()
    expires = account.control_expires
    assert account.state == Asset.State.FROZEN and expires is not None
    _do(people, account, "deduct", Decimal("10.00"))
    account.refresh_from_db()
    assert (account.deducted_amount, account.frozen_amount) == (Decimal("10.00"), amount - Decimal("10.00"))
    assert (account.state, account.control_expires) == (Asset.State.FROZEN, expires)
    with pytest.raises(Exception) as err:
        services.request_control(people["judge"], account, "deduct", amount=str(amount))
    assert "不能超过已冻结金额" in str(err.value)


def test_renewal_only_before_expiry(people: dict[str, Any], case: Any, sandbox: Any) -> None:
    """民诉解释 Art 485 para 2: a renewal is asked before the measure expires; an expired one is gone."""
    from datetime import timedelta

    from django.utils import timezone

    account = _account(people, case)
    _do(people, account, "freeze", min(account.value, Decimal("20.00")))
    today = timezone.localdate()
    Asset.objects.filter(pk=account.pk).update(control_expires=today - timedelta(days=1))
    with pytest.raises(Conflict) as err:
        services.request_control(people["judge"], account, "renew")
    assert "已到期失效" in err.value.message
    Asset.objects.filter(pk=account.pk).update(control_expires=today)  # its last day: still renewable
    assert services.request_control(people["judge"], account, "renew").action == "renew"
