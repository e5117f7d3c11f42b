"""Control orders on found assets (freeze, seize, deduct, release, renew) and their approval.

Every write is atomic and audited; the orders are persisted requests the dispatcher sends.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core import audit, disposal_guards, localtime
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.money import AmountError, parse_amount
from zhixing.core.notify import notify, notify_all
from zhixing.courts.queries import staff_of_court
from zhixing.courts.roles import Role

from .. import access, queries, rules
from ..models import Action, Asset, InquiryRequest
from .requests import FUNDS_KINDS, WHOLE_KINDS, case_problem, kick, new_key


def _amount(value: Any, label: str) -> Decimal:
    try:
        return parse_amount(value, field=label, allow_zero=False)
    except AmountError as exc:
        raise ServiceError(str(exc), field="amount") from exc


# rule
# rule
def request_control(
    actor: Any, asset: Asset, action: str, *, amount: Any = None, reason: str = ""
) -> InquiryRequest:
    """A control order on a found asset: freeze, seize, deduct, release or renew (rules.md §6)."""
    case = asset.case
    if not access.can_control(actor, case.court):
        raise NotPermitted("只有本院执行法官或局长可以采取控制措施")
    partner = asset.partner
    if action not in Action.values or action == Action.QUERY:
        raise ServiceError("不支持的控制措施", field="action")
    if not partner.supports(action):
        raise ServiceError(f"{partner.name}不支持网络{Action(action).label}", field="action")
    with transaction.atomic():
        # Serialises headroom checks. FOR NO KEY UPDATE, not FOR UPDATE: a plain FOR UPDATE also blocks
        # every other transaction's foreign-key check on the case (run at its COMMIT), which may hold the
        # audit chain head this one waits for next — a deadlock the cluster soak met (issue 22).
        case = EnforcementCase.objects.select_for_update(no_key=True).get(pk=case.pk)
        asset = Asset.objects.select_related("category").get(pk=asset.pk)
        if action in (Action.FREEZE, Action.SEIZE, Action.DEDUCT) and (problem := case_problem(case)):
            raise Conflict(problem)
        money: Decimal | None = None
        if action == Action.FREEZE:
            if asset.kind not in FUNDS_KINDS or asset.state not in (Asset.State.NONE, Asset.State.FROZEN):
                raise Conflict("该财产不能冻结（已销户、已解除或非资金类财产）")
            money = _amount(amount, "冻结金额")
            _, _, room = queries.case_headroom(case)
            check = rules.check_freeze(money, room)
            if not check.allowed:
                raise ServiceError(check.message, field="amount")
            # Asking more than the balance seen at query time is allowed (balances move): the bank freezes
            # what is there, and a partial freeze asks the remainder of the debtor's other accounts.
        elif action == Action.SEIZE:
            if asset.kind not in WHOLE_KINDS or asset.state != Asset.State.NONE:
                raise Conflict("该财产不能查封（非不动产/车辆/船舶，或已在控制中）")
            _, _, room = queries.case_headroom(case)
            check = rules.check_seizure(asset.value, room, reason)
            if not check.allowed:
                raise ServiceError(check.message, field="reason")
        elif action == Action.DEDUCT:
            if asset.state != Asset.State.FROZEN:
                raise Conflict("只能扣划已冻结的资金")
            # A deduction disposes of the asset: a third-party objection (CPL-2023 Art 238) may forbid it.
            if refused := disposal_guards.refusals(asset.pk):
                raise Conflict("；".join(refused), field="asset")
            money = _amount(amount if amount not in (None, "") else asset.frozen_amount, "扣划金额")
            if money > asset.frozen_amount:
                raise ServiceError(f"扣划金额不能超过已冻结金额{asset.frozen_amount}元", field="amount")
        elif action == Action.RELEASE:
            if asset.state not in queries.ACTIVE_STATES:
                raise Conflict("该财产没有生效的控制措施")
            if amount not in (None, ""):
                money = _amount(amount, "解除金额")
                if money > asset.frozen_amount:
                    raise ServiceError("解除金额不能超过已冻结金额", field="amount")
        elif action == Action.RENEW:
            if asset.state not in queries.ACTIVE_STATES or asset.control_expires is None:
                raise Conflict("只有生效中的控制措施可以续行")
            if asset.control_expires < timezone.localdate():
                raise Conflict("控制措施已到期失效，不能续行，请重新查封冻结")
        if InquiryRequest.objects.filter(asset=asset, status__in=queries.IN_FLIGHT).exists():
            raise Conflict("该财产已有尚未办结的控制请求")
        return _create_control(actor, case, asset, action, money, reason)


def _tell_approvers(req: InquiryRequest, step: str | None, actor: Any) -> None:
    """Notify the court's staff holding the role of the request's next approval step."""
    if step is None:
        return
    label = Action(req.action).label
    role = Role(step).label if step in Role.values else step
    notify_all(
        (
            s
            for s in staff_of_court(req.court)
            if s.role == step and s.pk not in (actor.pk, req.requested_by_id)
        ),
        "inquiry.approval",
        f"{req.case.number}的{label}请求等待您（{role}）审批",
        reverse("inquiry_approvals"),
        source=f"inquiry.InquiryRequest:{req.pk}:{step}",
        once=True,
    )


def _tell_requester(req: InquiryRequest, text: str) -> None:
    notify(
        req.requested_by,
        "inquiry.decided",
        text,
        reverse("inquiry_case", args=[req.case_id]),
        source=f"inquiry.InquiryRequest:{req.pk}",
    )


def _create_control(
    actor: Any, case: EnforcementCase, asset: Asset, action: str, money: Decimal | None, reason: str
) -> InquiryRequest:
    needs_approval = action in (Action.FREEZE, Action.SEIZE, Action.DEDUCT)
    now = timezone.now()
    approvals: list[dict[str, Any]] = []
    if needs_approval:
        approvals = [
            {"role": role, "by": actor.pk, "name": str(actor), "at": localtime.isoformat(now)}
            for role in access.approval_chain()
            if role == actor.role
        ]
    complete = not needs_approval or access.next_step(approvals) is None
    key = new_key()
    req = InquiryRequest.objects.create(
        case=case,
        court_id=case.court_id,
        party_id=asset.party_id,
        partner=asset.partner,
        action=action,
        asset=asset,
        amount=money,
        reason=reason.strip()[:200],
        status=InquiryRequest.Status.PENDING if complete else InquiryRequest.Status.AWAITING_APPROVAL,
        idempotency_key=key,
        notice_number=f"{case.number}控{key[:8]}",
        approvals=approvals,
        due_at=now if complete else None,
        requested_by=actor,
    )
    if action == Action.SEIZE and reason.strip():
        asset.indivisible_reason = reason.strip()[:200]
        asset.save(update_fields=["indivisible_reason"])
    audit.record(
        actor,
        f"inquiry.{action}.request",
        object_type="InquiryRequest",
        object_id=req.pk,
        case_id=case.pk,
        after={"asset": asset.pk, "ref": asset.ref, "amount": money, "reason": reason, "status": req.status},
    )
    if complete:
        kick()
    else:
        _tell_approvers(req, access.next_step(approvals), actor)
    return req


def approve(actor: Any, req: InquiryRequest) -> InquiryRequest:
    with transaction.atomic():
        req = (
            InquiryRequest.objects.select_for_update(of=("self",))
            .select_related("court", "asset")
            .get(pk=req.pk)
        )
        if req.status != InquiryRequest.Status.AWAITING_APPROVAL:
            raise Conflict("该请求不在待审批状态")
        if not access.can_approve(actor, req.court, req.approvals, req.requested_by_id):
            raise NotPermitted("您不是该请求当前审批环节的审批人")
        step = access.next_step(req.approvals)
        req.approvals = [
            *req.approvals,
            {"role": step, "by": actor.pk, "name": str(actor), "at": localtime.isoformat(timezone.now())},
        ]
        if access.next_step(req.approvals) is None:
            case = EnforcementCase.objects.select_for_update(no_key=True).get(pk=req.case_id)
            if problem := case_problem(case):
                raise Conflict(problem)
            # An objection filed while the deduction awaited approval still stops it (CPL-2023 Art 238).
            if (
                req.action == Action.DEDUCT
                and req.asset_id
                and (refused := disposal_guards.refusals(req.asset_id))
            ):
                raise Conflict("；".join(refused), field="asset")
            if req.action in (Action.FREEZE, Action.SEIZE):
                room = rules.headroom(
                    queries.case_claim(case).outstanding, queries.controlled_total(case.pk, req.pk)
                )
                value = (
                    req.amount if req.action == Action.FREEZE else (req.asset.value if req.asset else None)
                )
                if (
                    value is not None
                    and value > room
                    and not (req.action == Action.SEIZE and req.reason and room > 0)
                ):
                    raise ServiceError(f"剩余可控制额度仅{room}元，批准将构成超标的控制", field="amount")
            req.status = InquiryRequest.Status.PENDING
            req.due_at = timezone.now()
            kick()
        req.save(update_fields=["approvals", "status", "due_at"])
        audit.record(
            actor,
            "inquiry.approve",
            object_type="InquiryRequest",
            object_id=req.pk,
            case_id=req.case_id,
            after={"step": step, "status": req.status},
        )
        label = Action(req.action).label
        if req.status == InquiryRequest.Status.PENDING:
            _tell_requester(req, f"{req.case.number}的{label}请求已审批通过，正在发送")
        else:
            _tell_approvers(req, access.next_step(req.approvals), actor)
    return req


def reject(actor: Any, req: InquiryRequest, reason: str) -> InquiryRequest:
    if not reason.strip():
        raise ServiceError("请填写不予批准的理由", field="reason")
    with transaction.atomic():
        req = InquiryRequest.objects.select_for_update(of=("self",)).select_related("court").get(pk=req.pk)
        if req.status != InquiryRequest.Status.AWAITING_APPROVAL:
            raise Conflict("该请求不在待审批状态")
        if not access.can_approve(actor, req.court, req.approvals, req.requested_by_id):
            raise NotPermitted("您不是该请求当前审批环节的审批人")
        req.status = InquiryRequest.Status.REJECTED
        req.last_error = f"不予批准：{reason.strip()}"[:300]
        req.save(update_fields=["status", "last_error"])
        audit.record(
            actor,
            "inquiry.reject",
            object_type="InquiryRequest",
            object_id=req.pk,
            case_id=req.case_id,
            after={"reason": reason.strip()},
        )
        label = Action(req.action).label
        _tell_requester(req, f"{req.case.number}的{label}请求未获批准：{reason.strip()}")
    return req
