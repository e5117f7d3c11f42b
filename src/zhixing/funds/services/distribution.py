"""Distribution plans (财产分配方案): computed shares, service, objections, 提存 of disputed amounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhixing.cases import queries as case_queries
from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from ..models import AccountKind, DistributionPlan
from ..rules import Claim, distribute, objection_due
from . import ledger
from .receipts import _amount

PLAN_ROLES = {Role.JUDGE, Role.DIRECTOR}


def _check(actor: Any, case: EnforcementCase) -> None:
    if not can_write_court(actor, case.court) or getattr(actor, "role", "") not in PLAN_ROLES:
        raise NotPermitted("只有本院执行法官或局长可以制作财产分配方案")


def create_plan(
    actor: Any, case: EnforcementCase, *, proceeds: Any, costs: Any, claims: list[dict[str, Any]]
) -> DistributionPlan:
    """claims: [{"creditor", "amount", "priority", "priority_date", "seized_on", "basis"}]."""
    _check(actor, case)
    total = _amount(proceeds)
    cost = _amount(costs) if str(costs).strip() not in ("", "0", "0.00") else Decimal("0.00")
    if not claims:
        raise ServiceError("至少需要一个参与分配的债权", field="claims")
    parsed = []
    for i, c in enumerate(claims):
        if not str(c.get("creditor", "")).strip():
            raise ServiceError(f"第{i + 1}项债权缺少债权人", field=f"claims[{i}].creditor")
        try:
            amt = _amount(c.get("amount"))
        except ServiceError as exc:
            raise ServiceError(f"第{i + 1}项债权：{exc.message}", field=f"claims[{i}].amount") from exc
        parsed.append(
            Claim(
                ref=str(i),
                amount=amt,
                priority=bool(c.get("priority")),
                priority_date=_d(c.get("priority_date")),
                seized_on=_d(c.get("seized_on")),
            )
        )
    debtor = next((p for p in case_queries.case_parties(case) if p.role == Party.Role.DEBTOR), None)
    enterprise = debtor is not None and debtor.kind == Party.Kind.ORGANISATION
    result = distribute(total, cost, parsed, enterprise_debtor=enterprise)
    lines = [
        {**{k: str(v) for k, v in c.items()}, "claimed": str(s.claimed), "paid": str(s.paid), "rank": s.rank}
        for c, s in zip(claims, result.shares, strict=True)
    ]
    with transaction.atomic():
        plan = DistributionPlan.objects.create(
            court_id=case.court_id,
            case=case,
            proceeds=total,
            costs=result.costs,
            debtor_kind=debtor.kind if debtor else "",
            lines=[
                *lines,
                {"creditor": "被执行人（剩余款退还）", "paid": str(result.surplus), "rank": "surplus"},
            ],
        )
        audit.record(
            actor,
            "funds.plan_create",
            object_type="funds.DistributionPlan",
            object_id=plan.pk,
            case_id=case.pk,
            after={"proceeds": total, "costs": result.costs, "surplus": result.surplus},
        )
    return plan


def _d(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ServiceError(f"日期格式应为YYYY-MM-DD：{value}", field="claims") from exc


def serve_plan(actor: Any, plan: DistributionPlan, served_on: date) -> DistributionPlan:
    _check(actor, plan.case)
    with transaction.atomic():
        plan = DistributionPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != DistributionPlan.Status.DRAFT:
            raise Conflict("方案已送达", field="plan")
        plan.status, plan.served_on, plan.objection_due = (
            DistributionPlan.Status.SERVED,
            served_on,
            objection_due(served_on),
        )
        plan.save(update_fields=["status", "served_on", "objection_due"])
        audit.record(
            actor,
            "funds.plan_serve",
            object_type="funds.DistributionPlan",
            object_id=plan.pk,
            case_id=plan.case_id,
            after={"served_on": served_on, "objection_due": plan.objection_due},
        )
    return plan


def record_objection(
    actor: Any, plan: DistributionPlan, *, received_on: date, disputed: Any
) -> DistributionPlan:
    """An objection in time starts the 15-day counter-objection period; the disputed amount is held."""
    _check(actor, plan.case)
    amt = _amount(disputed)
    with transaction.atomic():
        plan = DistributionPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != DistributionPlan.Status.SERVED or plan.objection_due is None:
            raise Conflict("方案不在异议期内", field="plan")
        if received_on > plan.objection_due:
            raise Conflict(f"异议已超过期限（{plan.objection_due:%Y-%m-%d}）", field="received_on")
        ledger.post(
            key=f"hold:{plan.pk}",
            kind="hold",
            court=plan.court_id,
            case_id=plan.case_id,
            lines=[
                (ledger.get_account(plan.court_id, AccountKind.CASE, plan.case_id), amt),
                (ledger.get_account(plan.court_id, AccountKind.HELD, plan.case_id), -amt),
            ],
            memo=f"分配方案异议，提存争议金额（方案#{plan.pk}）",
            actor_name=ledger.actor_label(actor),
        )
        plan.status = DistributionPlan.Status.OBJECTED
        plan.counter_objection_due = objection_due(received_on)
        plan.held_amount = amt
        plan.save(update_fields=["status", "counter_objection_due", "held_amount"])
        audit.record(
            actor,
            "funds.plan_objection",
            object_type="funds.DistributionPlan",
            object_id=plan.pk,
            case_id=plan.case_id,
            after={"held": amt, "counter_due": plan.counter_objection_due},
        )
    return plan


def resolve_plan(actor: Any, plan: DistributionPlan) -> DistributionPlan:
    """The dispute is decided (or periods lapsed): release any held amount back to the case."""
    _check(actor, plan.case)
    with transaction.atomic():
        plan = DistributionPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status == DistributionPlan.Status.FINAL:
            return plan
        if plan.held_amount:
            ledger.post(
                key=f"release:{plan.pk}",
                kind="release",
                court=plan.court_id,
                case_id=plan.case_id,
                lines=[
                    (ledger.get_account(plan.court_id, AccountKind.HELD, plan.case_id), plan.held_amount),
                    (ledger.get_account(plan.court_id, AccountKind.CASE, plan.case_id), -plan.held_amount),
                ],
                memo=f"争议解决，解除提存（方案#{plan.pk}）",
                actor_name=ledger.actor_label(actor),
            )
        plan.status = DistributionPlan.Status.FINAL
        plan.save(update_fields=["status"])
        audit.record(
            actor,
            "funds.plan_final",
            object_type="funds.DistributionPlan",
            object_id=plan.pk,
            case_id=plan.case_id,
            after={"released": plan.held_amount},
        )
    return plan
