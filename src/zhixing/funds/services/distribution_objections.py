"""The plan's life after it is made: service, objections, counter-objections; the objection suit
(分配方案异议之诉) with the disputed amount deposited (提存), and the outcome — amended (a new version,
served again) or final — are in `distribution_suits`. SPC-CPL-Interp 509–510 (2022) / 511–512;
执行程序解释 Arts 17–18; rules.md §7.2. Every period ends on a working day (`distribution_rules.period_end`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.field_lengths import text_within
from zhixing.core.holidays import current_calendar
from zhixing.courts.queries import object_id

from .. import distribution_rules as dr
from ..models import (
    DistributionCounter,
    DistributionObjection,
    DistributionPlan,
)
from . import fees
from .distribution_checks import S, available, check_actor, day, lock, money, record
from .distribution_shares import allocation

OS = DistributionObjection.State


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def _not_future(d: date, field: str, label: str) -> None:
    if d > timezone.localdate():
        raise ServiceError(f"{label}不能晚于今天", field=field)


def serve_plan(actor: Any, plan: DistributionPlan, served_on: Any) -> DistributionPlan:
    """Served on all creditors and the debtor: the 15-day objection period starts (Art 509/511)."""
    check_actor(actor, plan.case)
    on = day(served_on, "served_on", "送达日", required=True)
    assert on is not None
    _not_future(on, "served_on", "送达日")
    with transaction.atomic():
        fees.lock_case_account(plan.case)
        plan = lock(plan)
        if plan.status != S.DRAFT:
            raise Conflict("方案已送达", field="plan")
        if not plan.claims.exists():
            raise Conflict("方案尚无参与分配的债权，不能送达", field="plan")
        avail = available(plan.case)
        if plan.proceeds > avail:
            raise Conflict(
                f"分配财产总额{plan.proceeds:,.2f}元超过本案案款余额{avail:,.2f}元，请重新制作方案",
                field="proceeds",
            )
        plan.status, plan.served_on = S.SERVED, on
        plan.objection_due = dr.period_end(on, dr.OBJECTION_DAYS, current_calendar())
        if plan.cutoff_on is None:
            plan.cutoff_on = on
        plan.save(update_fields=["status", "served_on", "objection_due", "cutoff_on"])
        record(actor, "serve", plan, served_on=on, objection_due=plan.objection_due)
    return plan


def _restage(plan: DistributionPlan) -> None:
    states = set(plan.objections.values_list("state", flat=True))
    if OS.SUING in states:
        plan.status = S.SUING
    elif OS.COUNTERED in states:
        plan.status = S.COUNTERED
    elif states:
        plan.status = S.OBJECTED  # objections recorded, none in a suit or its window
    dues = [d for d in plan.objections.values_list("counter_due", flat=True) if d]
    plan.counter_objection_due = max(dues) if dues else None
    plan.held_amount = sum((o.disputed for o in plan.objections.filter(state=OS.SUING)), Decimal("0.00"))
    plan.save(update_fields=["status", "counter_objection_due", "held_amount"])


def record_objection(
    actor: Any,
    plan: DistributionPlan,
    *,
    by_name: str,
    claim_id: Any,
    proposed_amount: Any,
    reason: str,
    received_on: Any,
    notified_on: Any = None,
    by_debtor: bool = False,
) -> DistributionObjection:
    """A written objection (creditor or debtor) within the period: others are notified and have 15 days
    to counter-object. Any number of objections may be filed while the period runs."""
    check_actor(actor, plan.case)
    return receive_objection(
        actor,
        plan,
        by_name=by_name,
        claim_id=claim_id,
        proposed_amount=proposed_amount,
        reason=reason,
        received_on=received_on,
        notified_on=notified_on,
        by_debtor=by_debtor,
    )


def receive_objection(
    actor: Any,
    plan: DistributionPlan,
    *,
    by_name: str,
    claim_id: Any,
    proposed_amount: Any,
    reason: str,
    received_on: Any,
    notified_on: Any = None,
    by_debtor: bool = False,
) -> DistributionObjection:
    """`record_objection` once the caller has checked who files (the plan's judge, or a party's filing
    through the objections desk: `distribution_filing.file_party_objection`)."""
    name = (by_name or "").strip()
    if not name:
        raise ServiceError("请填写异议人", field="by_name")
    if not (reason or "").strip():
        raise ServiceError("请填写异议理由", field="reason")
    text_within(name, DistributionObjection, "by_name")
    text_within(reason.strip(), DistributionObjection, "reason")
    received = day(received_on, "received_on", "收到异议日", required=True)
    assert received is not None
    notified = day(notified_on, "notified_on", "通知日") or received
    _not_future(received, "received_on", "收到异议日")
    _not_future(notified, "notified_on", "通知日")
    if notified < received:
        raise ServiceError("通知日不能早于收到异议日", field="notified_on")
    proposed = money(proposed_amount, "proposed_amount", "异议主张的债权金额", allow_zero=True)
    with transaction.atomic():
        plan = lock(plan)
        if plan.status not in (S.SERVED, S.OBJECTED, S.COUNTERED, S.SUING) or plan.objection_due is None:
            raise Conflict("方案不在异议期内", field="plan")
        assert plan.served_on is not None
        if received < plan.served_on:
            raise ServiceError("收到异议日不能早于送达日", field="received_on")
        if received > plan.objection_due:
            raise Conflict(f"异议已超过期限（{plan.objection_due:%Y-%m-%d}届满）", field="received_on")
        text = str(claim_id or "").strip()
        claim = plan.claims.filter(pk=object_id(text) or 0).first()
        if claim is None:
            raise ServiceError("请选择异议针对的债权", field="claim_id")
        if proposed == claim.amount:
            raise ServiceError("异议主张的金额与方案认定的债权金额相同", field="proposed_amount")
        before = allocation(plan)
        after = allocation(plan, {claim.pk: proposed})
        obj = DistributionObjection.objects.create(
            plan=plan,
            by_name=name,
            by_debtor=bool(by_debtor),
            claim=claim,
            proposed_amount=proposed,
            reason=reason.strip(),
            received_on=received,
            notified_on=notified,
            counter_due=dr.period_end(notified, dr.COUNTER_DAYS, current_calendar()),
            disputed=dr.disputed_amount(before, after),
        )
        if plan.status == S.SERVED:
            plan.status = S.OBJECTED
        _restage(plan)
        record(
            actor,
            "objection",
            plan,
            objection=obj.pk,
            by=name,
            claim=claim.pk,
            proposed=proposed,
            disputed=obj.disputed,
            counter_due=obj.counter_due,
        )
    return obj


def _objection(plan: DistributionPlan, objection_id: Any) -> DistributionObjection:
    text = str(objection_id or "").strip()
    obj = plan.objections.filter(pk=object_id(text) or 0).first()
    if obj is None:
        raise ServiceError("请选择异议", field="objection_id")
    return obj


def record_counter(
    actor: Any,
    plan: DistributionPlan,
    objection_id: Any,
    *,
    by_name: str,
    received_on: Any,
    notified_on: Any = None,
    reason: str = "",
) -> DistributionCounter:
    """A counter-objection within 15 days of notice: the objector may sue within 15 days of being told."""
    check_actor(actor, plan.case)
    name = (by_name or "").strip()
    if not name:
        raise ServiceError("请填写反对人", field="by_name")
    text_within(name, DistributionCounter, "by_name")
    text_within(reason or "", DistributionCounter, "reason")
    received = day(received_on, "received_on", "收到反对意见日", required=True)
    assert received is not None
    notified = day(notified_on, "notified_on", "通知异议人日") or received
    _not_future(received, "received_on", "收到反对意见日")
    _not_future(notified, "notified_on", "通知异议人日")
    if notified < received:
        raise ServiceError("通知异议人日不能早于收到反对意见日", field="notified_on")
    with transaction.atomic():
        plan = lock(plan)
        obj = _objection(plan, objection_id)
        if obj.state not in (OS.OPEN, OS.COUNTERED):
            raise Conflict(f"该异议已{obj.get_state_display()}，不能再提出反对意见", field="objection_id")
        if name == obj.by_name:
            raise ServiceError("异议人不能对自己的异议提出反对意见", field="by_name")
        if received < obj.notified_on:
            raise ServiceError("收到反对意见日不能早于通知日", field="received_on")
        if received > obj.counter_due:
            raise Conflict(f"反对意见已超过期限（{obj.counter_due:%Y-%m-%d}届满）", field="received_on")
        counter = DistributionCounter.objects.create(
            objection=obj, by_name=name, received_on=received, notified_on=notified, reason=reason or ""
        )
        if obj.state == OS.OPEN:
            obj.state = OS.COUNTERED
            obj.suit_due = dr.period_end(notified, dr.SUIT_DAYS, current_calendar())
            obj.save(update_fields=["state", "suit_due"])
        _restage(plan)
        record(actor, "counter", plan, objection=obj.pk, by=name, suit_due=obj.suit_due)
    return counter
