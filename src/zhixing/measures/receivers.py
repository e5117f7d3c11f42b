"""The signal receivers: each case or credit event becomes one call of `services.apply_event`."""

from __future__ import annotations

from typing import Any

from zhixing.cases.models import OPEN_STATUSES, CaseStatus, EnforcementCase
from zhixing.credit import queries as credit_queries
from zhixing.inquiry import queries as inquiry_queries
from zhixing.inquiry import queries_release as controls

from . import rules, services


def on_closed(sender: Any, case: EnforcementCase, actor: Any = None, **kwargs: Any) -> None:
    services.apply_event(rules.closing_event(case.closing_mode), case, actor)


def on_suspended(sender: Any, case: EnforcementCase, ground: str, actor: Any = None, **kwargs: Any) -> None:
    services.apply_event(rules.suspension_event(ground), case, actor)


def on_resumed(sender: Any, case: EnforcementCase, actor: Any = None, **kwargs: Any) -> None:
    services.apply_event(rules.Event.RESUMED, case, actor)


def on_listing_removed(sender: Any, listing: Any, actor: Any = None, **kwargs: Any) -> None:
    case = EnforcementCase.objects.select_related("court").get(pk=listing.case_id)
    services.apply_event(rules.Event.LISTING_REMOVED, case, actor)


def on_payments(sender: Any, case_ids: list[int], actor: Any = None, **kwargs: Any) -> None:
    """Money performed: recompute each affected case's headroom (deductions counted once) and apply the
    payment row — part paid: release what exceeds the claim; all paid: everything may go.

    Only cases that hold a measure are looked at (two queries for the whole batch), so a batch of bank
    receipts on cases without controls costs nothing more. Cases are locked in id order: concurrent
    receipts on one case serialise here, and the second sees the first's payment and proposal.
    """
    held = controls.cases_holding(case_ids) | credit_queries.cases_with_measures(case_ids)
    for case in (
        EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
        .select_related("court")
        .filter(pk__in=sorted(held), status__in=(*OPEN_STATUSES, CaseStatus.DORMANT))
        .order_by("pk")
    ):
        outstanding = inquiry_queries.case_claim(case).outstanding
        services.apply_event(rules.payment_event(outstanding), case, actor)


def _sale_case(case_id: int) -> EnforcementCase:
    return EnforcementCase.objects.select_related("court").get(pk=case_id)


def _ruling_served(
    event: rules.Event, case_id: int, asset_id: int, lot_id: int, served_on: Any, actor: Any, ref: str
) -> None:
    subject = {"lot": lot_id, "asset": asset_id, "on": served_on.isoformat(), "ref": f"{ref}（标的{lot_id}）"}
    services.apply_event(event, _sale_case(case_id), actor, subject)


def on_sale_ruling_served(
    sender: Any, case_id: int, asset_id: int, lot_id: int, served_on: Any, actor: Any = None, **kwargs: Any
) -> None:
    """Title passes and the sold asset's seizure is released (网拍规定 Art 22)."""
    _ruling_served(
        rules.Event.SALE_RULING_SERVED, case_id, asset_id, lot_id, served_on, actor, "拍卖成交裁定送达买受人"
    )


def on_set_off_ruling_served(
    sender: Any, case_id: int, asset_id: int, lot_id: int, served_on: Any, actor: Any = None, **kwargs: Any
) -> None:
    """Title passes to the creditor who took the asset and its seizure is released (拍卖变卖规定 Art 26)."""
    _ruling_served(
        rules.Event.SET_OFF_RULING_SERVED,
        case_id,
        asset_id,
        lot_id,
        served_on,
        actor,
        "以物抵债裁定送达承受人",
    )


def on_sale_balance_paid(
    sender: Any,
    case_id: int,
    asset_id: int,
    lot_id: int,
    receipt_key: str,
    amount: Any,
    value_date: Any,
    payer: str = "",
    memo: str = "",
    actor: Any = None,
    **kwargs: Any,
) -> None:
    """The balance goes into the case account (网拍规定 Arts 6, 23)."""
    subject = {
        "lot": lot_id,
        "asset": asset_id,
        "on": value_date.isoformat(),
        "receipt_key": receipt_key,
        "amount": f"{amount:.2f}",
        "payer": payer,
        "ref": memo or f"拍卖成交尾款 标的{lot_id}",
    }
    services.apply_event(rules.Event.SALE_BALANCE_PAID, _sale_case(case_id), actor, subject)


def on_auction_started(
    sender: Any, case_id: int, asset_id: int, lot_id: int, on: Any, ref: str, actor: Any = None, **kwargs: Any
) -> None:
    subject = {"lot": lot_id, "asset": asset_id, "on": on.isoformat(), "ref": ref}
    services.apply_event(rules.Event.AUCTION_STARTED, _sale_case(case_id), actor, subject)


def on_auction_ended(
    sender: Any, case_id: int, asset_id: int, lot_id: int, on: Any, ref: str, actor: Any = None, **kwargs: Any
) -> None:
    subject = {"lot": lot_id, "asset": asset_id, "on": on.isoformat(), "ref": ref}
    services.apply_event(rules.Event.AUCTION_ENDED, _sale_case(case_id), actor, subject)


def on_act_objection_upheld(
    sender: Any, case: EnforcementCase, act_type: str, act_id: int, actor: Any = None, **kwargs: Any
) -> Any:
    """An upheld objection to an enforcement act (issue 19): undo that one act through the table; the
    consequence row is the answer (None: the act no longer stands)."""
    return services.apply_to_act(rules.Event.OBJECTION_UPHELD, case, rules.Measure(act_type), act_id, actor)


def on_third_party_objection_filed(
    sender: Any,
    case: EnforcementCase,
    asset_id: int,
    objection_id: int,
    number: str,
    actor: Any = None,
    **kwargs: Any,
) -> None:
    """A third party claims a seized asset (CPL 238): its lot still in bidding is suspended at once."""
    subject = {"asset": asset_id, "objection": objection_id, "ref": f"案外人异议{number}"}
    services.apply_event(rules.Event.THIRD_PARTY_OBJECTION_FILED, case, actor, subject)


def _objection_outcome(
    event: rules.Event, case: EnforcementCase, asset_id: int, objection_id: int, number: str, actor: Any
) -> None:
    subject = {"asset": asset_id, "objection": objection_id, "ref": f"案外人异议{number}"}
    services.apply_event(event, case, actor, subject)


def on_third_party_objection_cleared(
    sender: Any,
    case: EnforcementCase,
    asset_id: int,
    objection_id: int,
    number: str,
    actor: Any = None,
    **kw: Any,
) -> None:
    """The cause of the suspension ended (网拍规定 Art 28): the suspended lot of the asset is resumed."""
    _objection_outcome(rules.Event.THIRD_PARTY_OBJECTION_CLEARED, case, asset_id, objection_id, number, actor)


def on_third_party_objection_upheld(
    sender: Any,
    case: EnforcementCase,
    asset_id: int,
    objection_id: int,
    number: str,
    actor: Any = None,
    **kw: Any,
) -> None:
    """Upheld (CPL-2023 Art 238): the asset's suspended or unpublished lot is withdrawn."""
    _objection_outcome(rules.Event.THIRD_PARTY_OBJECTION_UPHELD, case, asset_id, objection_id, number, actor)


def on_third_party_objection_final(
    sender: Any,
    case: EnforcementCase,
    asset_id: int,
    objection_id: int,
    number: str,
    actor: Any = None,
    **kw: Any,
) -> None:
    """The objector's claim is final (民诉解释 2015 Art 314(2)): the asset's controls are released."""
    _objection_outcome(rules.Event.THIRD_PARTY_OBJECTION_FINAL, case, asset_id, objection_id, number, actor)


def _price_objection(
    event: rules.Event,
    case: EnforcementCase,
    asset_id: int,
    price_id: int,
    objection_id: int,
    number: str,
    actor: Any,
) -> None:
    subject = {"asset": asset_id, "price": price_id, "objection": objection_id, "ref": f"参考价异议{number}"}
    services.apply_event(event, case, actor, subject)


def on_price_objection_filed(
    sender: Any,
    case: EnforcementCase,
    asset_id: int,
    price_id: int,
    objection_id: int,
    number: str,
    actor: Any = None,
    **kw: Any,
) -> None:
    """An objection to the asset's reference price filed in its window: its lot in bidding is suspended."""
    _price_objection(rules.Event.PRICE_OBJECTION_FILED, case, asset_id, price_id, objection_id, number, actor)


def on_price_objection_cleared(
    sender: Any,
    case: EnforcementCase,
    asset_id: int,
    price_id: int,
    objection_id: int,
    number: str,
    actor: Any = None,
    **kw: Any,
) -> None:
    """Withdrawn or rejected (网拍规定 Art 28): the suspended lot of the asset is resumed."""
    _price_objection(
        rules.Event.PRICE_OBJECTION_CLEARED, case, asset_id, price_id, objection_id, number, actor
    )


def on_price_objection_upheld(
    sender: Any,
    case: EnforcementCase,
    asset_id: int,
    price_id: int,
    objection_id: int,
    number: str,
    actor: Any = None,
    **kw: Any,
) -> None:
    """Upheld, the price set aside (参考价规定 Art 23): the lots made from it are withdrawn."""
    _price_objection(
        rules.Event.PRICE_OBJECTION_UPHELD, case, asset_id, price_id, objection_id, number, actor
    )
