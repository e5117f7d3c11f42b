"""What a case holds for each measure, read through the owning domain's query module, and how each
action is applied through the owning domain's service. The consequence service (services.py) decides
*whether*; this module knows *what* and *how*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from zhixing.cases.models import EnforcementCase
from zhixing.core.money import yuan
from zhixing.credit import queries as credit_queries
from zhixing.credit import queries_exposure as credit_exposures
from zhixing.credit import rules as credit_rules
from zhixing.credit.services import exposure as credit_exposure
from zhixing.credit.services import removal as credit_removal
from zhixing.credit.services import restrictions as credit_restrictions
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


def _yuan(v: Decimal) -> str:
    return f"{yuan(v)}元"


def find(case: EnforcementCase, event: Event, measure: Measure, rule: Rule) -> Found | None:
    """The objects of `measure` in `case` that `rule` would act on now; None when there are none."""
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
