"""Fixing the reference price (参考价) of a seized asset (参考价规定 2018)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.inquiry import queries_disposal

from .. import conf, rules
from ..models import ReferencePrice
from .access import require_manage


def money(value: Any, field: str, label: str) -> Decimal:
    """A positive amount in yuan with at most two decimals, or a ServiceError naming `field`."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError(f"{label}须为金额（元）", field=field) from exc
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(rules.FEN):
        raise ServiceError(f"{label}须为大于零、最多两位小数的金额（元）", field=field)
    return amount


def set_reference_price(
    actor: Any,
    asset_id: int,
    *,
    method: str,
    amount: Any,
    started_on: date,
    reported_on: date,
    tried: Iterable[str] = (),
    jointly_asked: bool = False,
    note: str = "",
) -> ReferencePrice:
    """Record the reference price of a seized asset by `method`, the earlier methods having failed
    (`tried`) or both parties having asked for it; the validity and objection clocks are computed."""
    asset = queries_disposal.asset(asset_id)
    if asset is None:
        raise ServiceError("财产不存在", field="asset")
    require_manage(actor, asset.case.court)
    if not queries_disposal.is_seized(asset):
        raise Conflict("只能为已查封、扣押的财产确定参考价", field="asset")
    try:
        m = rules.PriceMethod(method)
        tried_methods = [rules.PriceMethod(t) for t in tried]
    except ValueError as exc:
        raise ServiceError("确定方式无效", field="method") from exc
    problem = rules.method_problem(m, tried_methods, jointly_asked)
    if problem:
        raise ServiceError(problem, field="method")
    amt = money(amount, "amount", "参考价")
    if reported_on < started_on:
        raise ServiceError("结果日不得早于启动日", field="reported_on")
    with transaction.atomic():
        price = ReferencePrice.objects.create(
            court=asset.case.court,
            case=asset.case,
            asset=asset,
            method=m,
            amount=amt,
            started_on=started_on,
            reported_on=reported_on,
            valid_until=rules.price_valid_until(m, reported_on),
            objection_until=(
                rules.objection_deadline(reported_on, conf.price_objection_days(), current_calendar())
                if rules.objection_allowed(m)
                else None
            ),
            note=note[:200],
            created_by=str(getattr(actor, "get_full_name", lambda: "")() or actor)[:64],
        )
        audit.record(
            actor,
            "auctions.reference_price",
            object_type="auctions.ReferencePrice",
            object_id=price.pk,
            case_id=asset.case_id,
            after={"asset": asset.pk, "method": m.value, "amount": amt, "reported_on": reported_on},
        )
    return price


# rule
def set_aside_price(actor: Any, price_id: int, reason: str) -> ReferencePrice:
    """Set aside a reference price (an objection to it upheld, 参考价规定 Art 23 → CPL-2023 Art 236): no
    lot is made from it, a draft lot made from it is not published, and the asset needs a new price.
    Applied by the measures consequence table (event objection_upheld × measure valuation), not by a page;
    `actor` is the judge who ruled. Setting aside a price already set aside is refused."""
    with transaction.atomic():
        price = ReferencePrice.objects.select_for_update().get(pk=price_id)
        if price.set_aside_on is not None:
            raise Conflict("该参考价已撤销", field="reference")
        price.set_aside_on, price.set_aside_reason = timezone.localdate(), reason[:200]
        price.save(update_fields=["set_aside_on", "set_aside_reason"])
        audit.record(
            actor,
            "auctions.price_set_aside",
            object_type="auctions.ReferencePrice",
            object_id=price.pk,
            case_id=price.case_id,
            before={"set_aside_on": None},
            after={"set_aside_on": price.set_aside_on, "reason": price.set_aside_reason},
            court=price.court,
        )
    return price
