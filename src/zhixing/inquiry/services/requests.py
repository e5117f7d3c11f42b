"""Creating inquiry and control requests, and approving them. Every write is atomic and audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import OPEN_STATUSES, CaseStatus, EnforcementCase, Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.identity import IdentityError, check_credit_code, check_resident_id
from zhixing.core.money import AmountError, parse_amount

from .. import access, conf, queries, rules
from ..models import Action, Asset, InquiryBatch, InquiryRequest, Partner
from . import bulk

FUNDS_KINDS = (Asset.Kind.ACCOUNT, Asset.Kind.SECURITIES, Asset.Kind.EQUITY)
WHOLE_KINDS = (Asset.Kind.HOUSE, Asset.Kind.VEHICLE, Asset.Kind.VESSEL)


def new_key() -> str:
    return uuid.uuid4().hex


def kick() -> None:
    """After commit: one dispatch job for everything due (never one job per request)."""
    if conf.option("kick_on_commit"):
        from ..tasks import dispatch_task

        transaction.on_commit(dispatch_task)


def debtor_problem(party: Party) -> str:
    """Why a debtor cannot be searched ("" when the identity number is valid)."""
    try:
        if party.kind == Party.Kind.PERSON:
            check_resident_id(party.id_number or "", timezone.localdate())
        else:
            check_credit_code(party.credit_code or "")
    except IdentityError as exc:
        return f"被执行人{party.name}没有有效的身份号码，不能网络查控：{exc}"
    return ""


def case_problem(case: EnforcementCase, query: bool = False) -> str:
    """Why a case cannot be searched or controlled now ("" when it can).

    A dormant (终本) case may be queried — it stays under periodic re-inquiry — but not controlled
    until it is resumed; a closed case may do neither.
    """
    if case.status in OPEN_STATUSES or (query and case.status == CaseStatus.DORMANT):
        return ""
    if case.status == CaseStatus.DORMANT:
        return f"案件{case.number}已终结本次执行程序，须恢复执行后才能采取控制措施"
    return f"案件{case.number}已结案（{case.get_status_display()}），不能发起查控"


REQUEST_COLUMNS = (
    "batch_id", "case_id", "court_id", "party_id", "partner_id", "action", "status", "idempotency_key",
    "notice_number", "approvals", "attempts", "due_at", "requested_by_id", "created_at", "reason",
    "last_error",
)  # fmt: skip


def _insert_queries(
    actor: Any,
    batch: InquiryBatch,
    cases: Sequence[tuple[EnforcementCase, list[Party]]],
    partners: list[Partner],
) -> int:
    """One query row per debtor × institution, straight into the table (1.6 M rows at provincial scale)."""
    now = bulk.prep(InquiryRequest, "due_at", timezone.now())
    empty = bulk.prep(InquiryRequest, "approvals", [])
    actor_id = getattr(actor, "pk", None)  # None: filed by the system
    rows = []
    for case, parties in cases:
        for party in parties:
            for partner in partners:
                key = new_key()
                rows.append(
                    (batch.pk, case.pk, case.court_id, party.pk, partner.pk, Action.QUERY,
                     InquiryRequest.Status.PENDING, key, f"{case.number}查{key[:8]}", empty, 0, now, actor_id,
                     now, "", "")
                )  # fmt: skip
    for start in range(0, len(rows), 5000):
        bulk.insert(InquiryRequest, REQUEST_COLUMNS, rows[start : start + 5000])
    return len(rows)


def _check_categories(codes: Sequence[str]) -> list[Partner]:
    if not codes:
        raise ServiceError("请至少选择一类财产", field="categories")
    partners = [p for p in queries.partners_for(list(codes)) if p.supports(Action.QUERY)]
    if not partners:
        raise ServiceError("所选类别没有可用的联动单位", field="categories")
    return partners


def start_inquiry(actor: Any, case: EnforcementCase, categories: Sequence[str]) -> InquiryBatch:
    """一键查控: query every debtor of the case in the chosen categories."""
    if not access.can_request(actor, case.court):
        raise NotPermitted("只有本院承办人员或指挥中心可以发起查控；上级法院只能查看")
    if problem := case_problem(case, query=True):
        raise Conflict(problem)
    parties = queries.debtors(case)
    if not parties:
        raise ServiceError("案件没有被执行人")
    for party in parties:
        if problem := debtor_problem(party):
            raise ServiceError(problem, field="debtor")
    partners = _check_categories(categories)
    with transaction.atomic():
        batch = file_round(actor, case, parties, partners, categories)
        kick()
    return batch


def file_round(
    actor: Any,
    case: EnforcementCase,
    parties: Sequence[Party],
    partners: list[Partner],
    categories: Sequence[str],
    *,
    action: str = "inquiry.start",
    extra: dict[str, Any] | None = None,
) -> InquiryBatch:
    """One inquiry round of one case: the batch, a query per debtor × institution, the audit record.

    The one path every single-case round takes (a judge's 一键查控, the system's periodic 终本 round,
    where `actor` is None). Runs inside the caller's transaction; checks are the caller's.
    """
    requester = actor if getattr(actor, "pk", None) else None
    batch = InquiryBatch.objects.create(
        court_id=case.court_id, requested_by=requester, categories=list(categories), case_count=1
    )
    batch.request_count = _insert_queries(actor, batch, [(case, list(parties))], partners)
    batch.save(update_fields=["request_count"])
    audit.record(
        actor,
        action,
        object_type="InquiryBatch",
        object_id=batch.pk,
        case_id=case.pk,
        after={"debtors": [p.pk for p in parties], "categories": list(categories),
               "requests": batch.request_count, **(extra or {})},
    )  # fmt: skip
    return batch


@dataclass
class Centralised:
    batch: InquiryBatch
    refused: list[tuple[str, str]] = field(default_factory=list)  # (case number, reason)


def centralised_inquiry(
    actor: Any, cases: Iterable[EnforcementCase], categories: Sequence[str], chunk: int = 500
) -> Centralised:
    """集中查控: a batch of cases; cases that cannot be searched are refused one by one, the rest go."""
    partners = _check_categories(categories)
    if actor.court is None or not access.can_request(actor, actor.court):
        raise NotPermitted("只有本院承办人员或指挥中心可以发起集中查控")
    batch = InquiryBatch.objects.create(
        court=actor.court, requested_by=actor, centralised=True, categories=list(categories)
    )
    result = Centralised(batch)
    pending: list[EnforcementCase] = []

    def flush() -> None:
        ids = [c.pk for c in pending]
        by_case: dict[int, list[Party]] = {}
        for p in Party.objects.filter(case_id__in=ids, role=Party.Role.DEBTOR).order_by("id"):
            by_case.setdefault(p.case_id, []).append(p)
        todo: list[tuple[EnforcementCase, list[Party]]] = []
        accepted: list[int] = []
        for c in pending:
            parties = by_case.get(c.pk, [])
            problem = case_problem(c, query=True) or next(
                (m for p in parties if (m := debtor_problem(p))), ""
            )
            if not parties:
                problem = "案件没有被执行人"
            if problem:
                result.refused.append((c.number, problem))
                continue
            accepted.append(c.pk)
            todo.append((c, parties))
        with transaction.atomic():
            made = _insert_queries(actor, batch, todo, partners)
            InquiryBatch.objects.filter(pk=batch.pk).update(
                case_count=batch.case_count + len(accepted), request_count=batch.request_count + made
            )
            batch.case_count += len(accepted)
            batch.request_count += made
            audit.record(
                actor,
                "inquiry.centralised",
                object_type="InquiryBatch",
                object_id=batch.pk,
                after={"cases": accepted, "categories": list(categories), "requests": made},
            )
            kick()
        pending.clear()

    for case in cases:
        if case.court_id != actor.court_id:
            result.refused.append((case.number, "只能对本院案件集中查控"))
            continue
        pending.append(case)
        if len(pending) >= chunk:
            flush()
    if pending:
        flush()
    return result


def _amount(value: Any, label: str) -> Decimal:
    try:
        return parse_amount(value, field=label, allow_zero=False)
    except AmountError as exc:
        raise ServiceError(str(exc), field="amount") from exc


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
        case = EnforcementCase.objects.select_for_update().get(pk=case.pk)  # serialises headroom checks
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


def _create_control(
    actor: Any, case: EnforcementCase, asset: Asset, action: str, money: Decimal | None, reason: str
) -> InquiryRequest:
    needs_approval = action in (Action.FREEZE, Action.SEIZE, Action.DEDUCT)
    now = timezone.now()
    approvals: list[dict[str, Any]] = []
    if needs_approval:
        approvals = [
            {"role": role, "by": actor.pk, "name": str(actor), "at": now.isoformat()}
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
            {"role": step, "by": actor.pk, "name": str(actor), "at": timezone.now().isoformat()},
        ]
        if access.next_step(req.approvals) is None:
            case = EnforcementCase.objects.select_for_update().get(pk=req.case_id)
            if problem := case_problem(case):
                raise Conflict(problem)
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
    return req
