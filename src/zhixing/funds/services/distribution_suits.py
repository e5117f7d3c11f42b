"""The objection suit (分配方案异议之诉) with the disputed amount deposited (提存), its judgment, and the
outcome: the plan amended (a new version, served again) or final."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.field_lengths import text_within

from ..models import (
    AccountKind,
    DistributionClaim,
    DistributionObjection,
    DistributionPlan,
)
from . import fees, ledger
from .distribution_checks import S, check_actor, day, lock, record
from .distribution_objections import OS, _not_future, _objection, _restage, _today
from .distribution_shares import recompute


def _held(plan: DistributionPlan, kind: str) -> Any:
    return ledger.get_account(plan.court_id, kind, plan.case_id)


def record_suit(
    actor: Any, plan: DistributionPlan, objection_id: Any, *, sued_on: Any, suit_number: str
) -> DistributionObjection:
    """The objector sued in time: the disputed amount is deposited (提存) until the judgment."""
    check_actor(actor, plan.case)
    sued = day(sued_on, "sued_on", "起诉日", required=True)
    assert sued is not None
    _not_future(sued, "sued_on", "起诉日")
    number = (suit_number or "").strip()
    if not number:
        raise ServiceError("请填写异议之诉的案号", field="suit_number")
    text_within(number, DistributionObjection, "suit_number")
    with transaction.atomic():
        fees.lock_case_account(plan.case)
        plan = lock(plan)
        obj = _objection(plan, objection_id)
        if obj.state != OS.COUNTERED or obj.suit_due is None:
            raise Conflict("只有被反对的异议才能提起分配方案异议之诉", field="objection_id")
        if sued > obj.suit_due:
            raise Conflict(f"起诉已超过期限（{obj.suit_due:%Y-%m-%d}届满）", field="sued_on")
        balance = fees.case_balance(plan.case_id)
        if obj.disputed > balance:
            raise Conflict(
                f"争议金额{obj.disputed:,.2f}元超过本案案款余额{balance:,.2f}元", field="objection_id"
            )
        if obj.disputed > 0:
            _move_disputed(
                actor, plan, obj, "hold", f"分配方案异议之诉{number}，提存争议金额（方案#{plan.pk}）"
            )
        obj.state, obj.sued_on, obj.suit_number = OS.SUING, sued, number
        obj.save(update_fields=["state", "sued_on", "suit_number"])
        _restage(plan)
        record(actor, "suit", plan, objection=obj.pk, sued_on=sued, suit_number=number, held=obj.disputed)
    return obj


def _move_disputed(
    actor: Any, plan: DistributionPlan, obj: DistributionObjection, kind: str, memo: str
) -> None:
    """Post the disputed amount from the case account into the held account ("hold") or back ("release")."""
    case, held = _held(plan, AccountKind.CASE), _held(plan, AccountKind.HELD)
    src, dst = (case, held) if kind == "hold" else (held, case)
    ledger.post(
        key=f"dist-{kind}:{obj.pk}",
        kind=kind,
        court=plan.court_id,
        case_id=plan.case_id,
        lines=[(src, obj.disputed), (dst, -obj.disputed)],
        memo=memo,
        actor_name=ledger.actor_label(actor),
    )


def record_judgment(
    actor: Any, plan: DistributionPlan, objection_id: Any, *, upheld: bool, result_on: Any
) -> DistributionObjection:
    """The suit is decided: the deposit is released; the plan is amended if the objection was upheld."""
    check_actor(actor, plan.case)
    on = day(result_on, "result_on", "判决生效日", required=True)
    assert on is not None
    _not_future(on, "result_on", "判决生效日")
    with transaction.atomic():
        fees.lock_case_account(plan.case)
        plan = lock(plan)
        obj = _objection(plan, objection_id)
        if obj.state != OS.SUING:
            raise Conflict("该异议没有正在审理的异议之诉", field="objection_id")
        if obj.sued_on and on < obj.sued_on:
            raise ServiceError("判决生效日不能早于起诉日", field="result_on")
        if obj.disputed > 0:
            _move_disputed(
                actor,
                plan,
                obj,
                "release",
                f"分配方案异议之诉{obj.suit_number}审结，解除提存（方案#{plan.pk}）",
            )
        obj.state, obj.result_on = (OS.UPHELD if upheld else OS.DISMISSED), on
        obj.save(update_fields=["state", "result_on"])
        _restage(plan)
        record(actor, "judgment", plan, objection=obj.pk, upheld=upheld, released=obj.disputed)
    return obj


def conclude(actor: Any, plan: DistributionPlan, today: date | None = None) -> DistributionPlan:
    """After every period: objections nobody counter-objected, or upheld by the court, amend the plan
    (a new version to serve again); otherwise the plan takes effect (final). Returns the plan in force."""
    check_actor(actor, plan.case)
    now = _today(today)
    with transaction.atomic():
        plan = lock(plan)
        if plan.status not in (S.SERVED, S.OBJECTED, S.COUNTERED, S.SUING):
            raise Conflict(f"方案{plan.get_status_display()}，不能确定", field="plan")
        assert plan.objection_due is not None
        if now <= plan.objection_due:
            raise Conflict(f"异议期至{plan.objection_due:%Y-%m-%d}届满，届满后方可确定方案", field="plan")
        amend: dict[int, Decimal] = {}
        for obj in plan.objections.all():
            if obj.state == OS.OPEN:
                if now <= obj.counter_due:
                    raise Conflict(
                        f"{obj.by_name}的异议反对意见期至{obj.counter_due:%Y-%m-%d}届满", field="plan"
                    )
                obj.state = OS.ACCEPTED
                obj.save(update_fields=["state"])
            elif obj.state == OS.COUNTERED:
                assert obj.suit_due is not None
                if now <= obj.suit_due:
                    raise Conflict(f"{obj.by_name}的起诉期至{obj.suit_due:%Y-%m-%d}届满", field="plan")
                obj.state = OS.LAPSED
                obj.save(update_fields=["state"])
            elif obj.state == OS.SUING:
                raise Conflict(f"分配方案异议之诉{obj.suit_number}尚未审结", field="plan")
            if obj.state in (OS.ACCEPTED, OS.UPHELD):
                amend[obj.claim_id] = obj.proposed_amount
        if amend:
            new = _amended(actor, plan, amend)
            plan.status = S.AMENDED
            plan.save(update_fields=["status"])
            record(actor, "amend", plan, new_plan=new.pk, amounts={str(k): v for k, v in amend.items()})
            return new
        plan.status, plan.finalised_on = S.FINAL, now
        plan.save(update_fields=["status", "finalised_on"])
        record(actor, "final", plan, finalised_on=now)
    return plan


def _amended(actor: Any, plan: DistributionPlan, amounts: dict[int, Decimal]) -> DistributionPlan:
    new = DistributionPlan.objects.create(
        court_id=plan.court_id,
        case_id=plan.case_id,
        version=plan.version + 1,
        previous=plan,
        proceeds=plan.proceeds,
        costs=plan.costs,
        debtor_id=plan.debtor_id,
        debtor_kind=plan.debtor_kind,
        first_seizing_court=plan.first_seizing_court,
        seizure_basis=plan.seizure_basis,
        cutoff_on=plan.cutoff_on,
    )
    for c in plan.claims.all():
        amount = amounts.get(c.pk, c.amount)
        if amount <= 0:
            continue  # the objection excluded this claim
        DistributionClaim.objects.create(
            plan=new,
            party_id=c.party_id,
            creditor_name=c.creditor_name,
            creditor_id_number=c.creditor_id_number,
            kind=c.kind,
            rank=c.rank,
            amount=amount,
            security_date=c.security_date,
            seized_on=c.seized_on,
            applied_on=c.applied_on,
            basis=c.basis,
            evidence=c.evidence,
            evidence_file=c.evidence_file,
            position=c.position,
        )
    new.case = plan.case
    recompute(new)
    record(actor, "create", new, version=new.version, amended_from=plan.pk)
    return new
