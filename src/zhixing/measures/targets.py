"""What a case holds for each measure, read through the owning domain's query module, and how each
action is applied through the owning domain's service. The consequence service (services.py) decides
*whether*; this module knows *what* and *how*.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from zhixing.auctions import queries as auction_queries
from zhixing.auctions.services import cancel_lot, resume_lot, set_aside_price, suspend_lot
from zhixing.cases import queries_term as case_terms
from zhixing.cases.models import EnforcementCase
from zhixing.cases.services import end_excluded_period, start_excluded_period
from zhixing.core import disposal_guards
from zhixing.core.money import yuan
from zhixing.credit import queries as credit_queries
from zhixing.credit import queries_exposure as credit_exposures
from zhixing.credit import rules as credit_rules
from zhixing.credit.services import exposure as credit_exposure
from zhixing.credit.services import removal as credit_removal
from zhixing.credit.services import restrictions as credit_restrictions
from zhixing.funds.services import book_receipt
from zhixing.inquiry import queries_release as controls
from zhixing.inquiry.services import releases

from .rules import Action, Event, Measure, Rule

# The credit domain's trigger for a listing removed because of each event (失信规定 Art 9, 10(1)).
LISTING_TRIGGER: dict[Event, str] = {
    Event.PAID_IN_FULL: "performed",
    Event.CLOSED_PERFORMED: "performed",
    Event.CLOSED_TERMINATED: "termination",
    Event.CLOSED_REFUSED: "non_enforcement",
    Event.CLOSED_DISMISSED: "wrongful",
    Event.CLOSED_WITHDRAWN: "case_cancelled",
    Event.SUSPENDED_RETRIAL: "suspended",
    Event.SUSPENDED_BANKRUPTCY: "suspended",
    Event.OBJECTION_UPHELD: "wrongful",
}
# ...and for a restriction lifted (限制消费规定 Art 9; 执行程序解释 Art 25).
RESTRICTION_TRIGGER: dict[Event, str] = {
    Event.PAID_IN_FULL: "performed",
    Event.CLOSED_PERFORMED: "performed",
    Event.LISTING_REMOVED: "listing_removed",
}


@dataclass
class Found:
    """The objects one consequence would act on, as stored on a proposal or consequence row."""

    targets: list[Any]
    summary: str
    plan: list[tuple[int, Decimal | None]] = field(default_factory=list)
    # Set for a consequence of one object's event (a sale's lot): at most one row ever bears it, so a
    # repeated or retried event applies the consequence exactly once.
    key: str = ""


def _yuan(v: Decimal) -> str:
    return f"{yuan(v)}元"


# The excluded-period kind of an auction or sale of seized property (审限规定 Art 9).
AUCTION_PERIOD = "auction"


def _sale(
    case: EnforcementCase, event: Event, measure: Measure, rule: Rule, subject: Mapping[str, Any]
) -> Found | None:
    """What a sale event (its lot in `subject`) acts on: the sold asset, its proceeds, the term clock."""
    lot, asset_id, on = subject["lot"], int(subject.get("asset") or 0), subject["on"]
    key = f"{event.value}:{lot}:{measure.value}"
    if measure == Measure.SEIZURE:
        held = {h.asset_id: h for h in controls.held_controls(case.pk) if h.measure == measure.value}
        if asset_id not in held:
            return None
        return Found(
            [dict(subject)], f"解除已拍卖财产的查封：{held[asset_id].label}", [(asset_id, None)], key
        )
    if measure == Measure.TITLE:
        taker = "承受人" if event == Event.SET_OFF_RULING_SERVED else "买受人"
        asset = controls.title_pending(case.pk, asset_id)
        if asset is None:
            return None
        return Found(
            [dict(subject)], f"{asset.get_kind_display()} {asset.ref}自{on}起所有权转移给{taker}", key=key
        )
    if measure == Measure.PROCEEDS:
        return Found([dict(subject)], f"尾款{subject['amount']}元计入本案执行款（{subject['ref']}）", key=key)
    if measure == Measure.TERM:
        running = [p for p in case_terms.open_excluded_periods(case) if p.kind == AUCTION_PERIOD]
        if rule.action == Action.PAUSE:
            # A re-auction continues the period its first announcement started.
            if running or not case.is_open:
                return None
            return Found([dict(subject)], f"拍卖、变卖期间自{on}起不计入执行期限", key=key)
        if not running:
            return None
        return Found([dict(subject, period=running[0].pk)], f"执行期限自{on}起恢复计算", key=key)
    raise AssertionError(measure)  # pragma: no cover - the sale rows name no other measure


def _claimed(
    case: EnforcementCase, event: Event, measure: Measure, rule: Rule, subject: Mapping[str, Any]
) -> Found | None:
    """What an objection's event about one asset (a third-party objection, or an objection to its reference
    price; its asset and objection — and the price — in `subject`) acts on: the asset's lots (suspend
    those in bidding, resume the suspended, withdraw the suspended or unpublished — for an upheld price
    objection only those made from that price) or its freeze or seizure (released once a third party's
    claim is final). Keyed per objection and measure."""
    asset_id = int(subject["asset"])
    key = f"{event.value}:{subject['objection']}:{measure.value}"
    if measure in (Measure.FREEZE, Measure.SEIZURE):
        held = [h for h in controls.held_controls(case.pk) if h.asset_id == asset_id]
        if not held or held[0].measure != measure.value:
            return None
        return Found([dict(subject)], f"解除被异议财产：{held[0].label}（全部）", [(asset_id, None)], key)
    if measure != Measure.LOT:  # pragma: no cover - the objection rows name no other measure
        raise AssertionError(measure)
    if rule.action == Action.SUSPEND:
        lots, verb = auction_queries.live_lots(asset_id), "中止拍卖"
    elif rule.action == Action.RESUME_LOT:
        # Resumed only when nothing refuses the asset any more (another objection, a suit pending).
        if disposal_guards.refusals(asset_id):
            return None
        lots, verb = auction_queries.suspended_lots(asset_id), "恢复拍卖"
    else:
        # An upheld objection to a reference price withdraws only the lots made from that price.
        price = (
            int(subject["price"]) if subject.get("price") and event == Event.PRICE_OBJECTION_UPHELD else None
        )
        lots, verb = auction_queries.cancellable_lots(asset_id, price), "撤回拍卖"
    if not lots:
        return None
    return Found(
        [dict(subject, lots=[lot.pk for lot in lots])],
        f"{verb}：" + "、".join(f"{lot.title}（标的{lot.pk}）" for lot in lots),
        key=key,
    )


def find(
    case: EnforcementCase,
    event: Event,
    measure: Measure,
    rule: Rule,
    subject: Mapping[str, Any] | None = None,
) -> Found | None:
    """The objects of `measure` in `case` that `rule` would act on now; None when there are none.

    `subject` names the object of an event about one thing (a sale's lot, asset and date)."""
    if rule.scope == "claimed":
        return _claimed(case, event, measure, rule, subject) if subject else None
    if rule.scope == "sold" or measure == Measure.TERM:
        return _sale(case, event, measure, rule, subject or {}) if subject else None
    if measure in (Measure.FREEZE, Measure.SEIZURE):
        outstanding, controlled, plan = controls.release_plan(case, everything=rule.scope != "excess")
        held = {h.asset_id: h for h in controls.held_controls(case.pk) if h.measure == measure.value}
        mine = [(pk, amt) for pk, amt in plan if pk in held]
        if not mine:
            return None
        parts = [f"{held[pk].label}（{'全部' if amt is None else _yuan(amt)}）" for pk, amt in mine]
        head = (
            f"尚欠{_yuan(outstanding)}，已控制{_yuan(controlled)}，"
            if rule.scope == "excess"
            else f"尚欠{_yuan(outstanding)}，"
        )
        return Found(
            [[pk, None if amt is None else str(amt)] for pk, amt in mine],
            head + "解除：" + "；".join(parts),
            mine,
        )
    if measure in (Measure.DEDUCTION, Measure.PENDING):
        actions = controls.DEDUCTION_ACTIONS if measure == Measure.DEDUCTION else controls.CONTROL_ACTIONS
        reqs = controls.cancellable_requests(case.pk, actions)
        if not reqs:
            return None
        return Found([r.pk for r in reqs], "撤回未发出的请求：" + "、".join(r.notice_number for r in reqs))
    if measure in (Measure.CONSUMPTION, Measure.EXIT):
        rows = credit_queries.case_restrictions(case.pk, measure.value)
        if not rows:
            return None
        return Found(
            [r.pk for r in rows], "解除：" + "、".join(f"{r.name}（{r.document_number}）" for r in rows)
        )
    if measure == Measure.LISTING:
        listings = credit_queries.case_listings(case.pk)
        if rule.action == Action.REMOVE:
            # rule: — 失信规定 Art 10(2): an Art 10(1) event leaves a fixed-term listing alone.
            trigger = LISTING_TRIGGER.get(event, "case_cancelled")
            listings = [x for x in listings if credit_rules.art10_1_applies(x.ground, trigger)]
        if not listings:
            return None
        return Found(
            [r.pk for r in listings],
            "删除失信信息：" + "、".join(f"{r.name}（{r.document_number}）" for r in listings),
        )
    if measure == Measure.EXPOSURE:
        notices = credit_exposures.live_case_exposures(case.pk)
        if not notices:
            return None
        return Found(
            [n.pk for n in notices],
            "撤回曝光：" + "、".join(f"{n.partner.name}（{n.area_name or n.area_code}）" for n in notices),
        )
    raise AssertionError(measure)  # pragma: no cover - every measure is handled above


def find_act(case: EnforcementCase, measure: Measure, target_id: int) -> Found | None:
    """The one control or listing of `case` an upheld act objection names; None when it no longer stands."""
    if measure in (Measure.FREEZE, Measure.SEIZURE):
        held = [h for h in controls.held_controls(case.pk) if h.asset_id == target_id]
        if not held or held[0].measure != measure.value:
            return None
        return Found([[target_id, None]], f"解除：{held[0].label}（全部）", [(target_id, None)])
    if measure == Measure.LISTING:
        rows = [x for x in credit_queries.case_listings(case.pk) if x.pk == target_id]
        if not rows:
            return None
        return Found([target_id], f"撤销失信信息：{rows[0].name}（{rows[0].document_number}）")
    if measure == Measure.VALUATION:
        price = auction_queries.standing_price(case.pk, target_id)
        if price is None:
            return None
        return Found(
            [target_id], f"撤销参考价：{price.get_method_display()}{yuan(price.amount)}，须重新确定参考价"
        )
    return None


def apply(
    actor: Any,
    case: EnforcementCase,
    event: Event,
    measure: Measure,
    action: Action,
    found: Found,
    why: str,
    on: date,
) -> list[int]:
    """Apply `action` to what `found` holds through the owning domain's service; returns request ids sent."""
    if action == Action.SET_ASIDE:
        set_aside_price(actor, found.targets[0], why)
        return []
    if action == Action.SUSPEND:
        cause = "price_objection" if event == Event.PRICE_OBJECTION_FILED else "third_party"
        for lot_id in found.targets[0]["lots"]:
            suspend_lot(actor, lot_id, why, cause=cause)
        return []
    if action == Action.RESUME_LOT:
        for lot_id in found.targets[0]["lots"]:
            resume_lot(actor, lot_id, why)
        return []
    if action == Action.CANCEL_LOT:
        for lot_id in found.targets[0]["lots"]:
            cancel_lot(actor, lot_id, why)
        return []
    if action in (Action.TRANSFER, Action.POST, Action.PAUSE, Action.RESUME):
        _apply_sale(actor, case, action, found.targets[0], why)
        return []
    if action == Action.RELEASE:
        return [r.pk for r in releases.request_releases(actor, case, found.plan, why)]
    if action == Action.CANCEL:
        releases.cancel_requests(actor, case, found.targets, why)
        return []
    if action == Action.LIFT:
        trigger = RESTRICTION_TRIGGER.get(event, "case_ended")
        credit_restrictions.lift_case_restrictions(actor, case.pk, None, trigger, on, kinds=(measure.value,))
        return []
    if action == Action.REMOVE and measure == Measure.LISTING and event == Event.OBJECTION_UPHELD:
        # Only the listing objected to (a case may list several debtors).
        for listing in credit_queries.case_listings(case.pk):
            if listing.pk in found.targets:
                credit_removal.remove_listing(actor, listing, trigger="wrongful", trigger_on=on, note=why)
        return []
    if action == Action.REMOVE and measure == Measure.LISTING:
        trigger = LISTING_TRIGGER.get(event, "case_cancelled")
        credit_removal.remove_case_listings(actor, case.pk, trigger=trigger, trigger_on=on, note=why)
        return []
    if action == Action.REMOVE and measure == Measure.EXPOSURE:
        for party_id in credit_exposures.parties_of(found.targets):
            credit_exposure.withdraw_exposure(actor, case.pk, party_id, why)
        return []
    raise AssertionError((measure, action))  # pragma: no cover - the table allows no other pair


def _apply_sale(
    actor: Any, case: EnforcementCase, action: Action, subject: Mapping[str, Any], why: str
) -> None:
    on = date.fromisoformat(subject["on"])
    if action == Action.TRANSFER:
        releases.record_title_passed(actor, case, subject["asset"], on, subject["ref"])
    elif action == Action.POST:
        # The funds domain books the receipt once per key: the same bank transaction is never posted twice.
        book_receipt(
            idempotency_key=subject["receipt_key"],
            amount=Decimal(subject["amount"]),
            value_date=on,
            case=case,
            payer_name=subject.get("payer", ""),
            memo=subject["ref"],
            source="auction",
            actor=actor,
        )
    elif action == Action.PAUSE:
        start_excluded_period(
            actor, case, kind=AUCTION_PERIOD, start=max(on, case.filed_on), document_ref=subject["ref"]
        )
    else:
        period = next(p for p in case_terms.open_excluded_periods(case) if p.pk == subject["period"])
        end_excluded_period(actor, period, end=max(on, period.start), document_ref=subject["ref"])
