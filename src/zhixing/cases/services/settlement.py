"""Every write on enforcement settlement agreements (执行和解, CPL-2023 Art 241; 执行和解规定 2018).

* `record_settlement` — the court records the agreement with its instalments; on the applicant's
  request the case is suspended (中止) through `lifecycle.suspend_case` (ground: the applicant agrees
  to a delay), and controls stay in force unless released separately (执行和解规定 Arts 2–3).
* `sweep_settlements` — the periodic sweep (`cases.tasks.sweep_settlements`): an agreement with an
  instalment past its due day and not fully paid is marked breached; the command center's alert sweep
  raises the alert from `queries_settlement.missed_instalments`.
* `resume_enforcement` — on the applicant's request after a breach, enforcement of the original
  instrument resumes through `lifecycle.resume_execution` (CPL-2023 Art 241 para 2).
* `close_performed` — every instalment paid: the case is closed as performed (执行完毕, how:
  settlement) through `lifecycle.close_case` (执行和解规定 Art 8).

Payments are matched, never typed: the case's own payments (which the funds domain feeds through
`record_payment`) are applied by `rules_settlement.match` (`queries_settlement.matched`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.money import AmountError, parse_amount
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from .. import rules_settlement as rules
from ..choices import ClosingMode
from ..models import (
    CaseStatus,
    EnforcementCase,
    SettlementAgreement,
    SettlementInstalment,
    SettlementResumeRequest,
    Suspension,
)
from ..queries_settlement import LIVE, matched
from . import lifecycle


def may_manage(user: Any, case: EnforcementCase) -> bool:
    """The case's own court, a post that may suspend and resume (the judge's posts)."""
    return can_write_court(user, case.court) and user.can(Cap.CASE_SUSPEND)


def may_close(user: Any, case: EnforcementCase) -> bool:
    return can_write_court(user, case.court) and user.can(Cap.CASE_CLOSE)


def _owed(case: EnforcementCase) -> Decimal:
    """What the instrument still claims, without the doubled interest (a settlement commonly waives it;
    one that adds more than the instrument awards is a new contract, not a settlement of this case)."""
    return (
        case.principal
        + case.adjudged_interest
        + case.litigation_costs
        + (case.late_fee_decided or 0)
        - case.paid_amount
    )


def _parse_rows(raw: Sequence[tuple[Any, Any]]) -> list[rules.Due]:
    rows: list[rules.Due] = []
    for i, (due_on, amount) in enumerate(raw, start=1):
        if not isinstance(due_on, date):
            try:
                due_on = date.fromisoformat(str(due_on or "").strip())
            except ValueError:
                raise ServiceError(f"第{i}期履行期限不是有效日期", field=f"instalments[{i}].due_on") from None
        try:
            value = parse_amount(
                amount if not isinstance(amount, Decimal) else str(amount), field=f"第{i}期金额"
            )
        except AmountError as exc:
            raise ServiceError(str(exc), field=f"instalments[{i}].amount") from None
        rows.append(rules.Due(i, due_on, value))
    return rows


def record_settlement(
    actor: Any,
    case: EnforcementCase,
    *,
    parties: str,
    signed_on: date | None,
    document_ref: str,
    instalments: Sequence[tuple[Any, Any]],
    conditions: str = "",
    suspend: bool = False,
    suspension_ref: str = "",
    keep_controls: bool = True,
) -> SettlementAgreement:
    """Record the settlement on `case`; bad input raises ServiceError naming the field and writes nothing.

    # rule: R-2.5.1
    # rule: R-2.5.2
    # rule: R-2.5.3
    """
    parties, document_ref = (parties or "").strip(), (document_ref or "").strip()
    conditions, suspension_ref = (conditions or "").strip(), (suspension_ref or "").strip()
    if not parties:
        raise ServiceError("请填写和解当事人", field="parties")
    if len(parties) > 300:
        raise ServiceError("和解当事人不能超过300字", field="parties")
    if signed_on is None:
        raise ServiceError("请填写有效的签订日期", field="signed_on")
    if not document_ref:
        raise ServiceError("请填写和解协议或记入和解内容的笔录编号", field="document_ref")
    if len(document_ref) > 128:
        raise ServiceError("和解协议编号不能超过128字", field="document_ref")
    if len(conditions) > 4000:
        raise ServiceError("其他约定不能超过4000字", field="conditions")
    if suspend and not suspension_ref:
        raise ServiceError("中止执行的，请填写中止执行裁定书文号", field="suspension_ref")
    rows = _parse_rows(instalments)
    today = timezone.localdate()
    with transaction.atomic():
        case = (
            EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
            .select_related("court")
            .get(pk=case.pk)
        )
        if not may_manage(actor, case):
            raise NotPermitted("只能由本院执行法官登记执行和解协议")
        if not case.is_open or case.status == CaseStatus.DORMANT:
            raise Conflict(f"案件已结案（{case.get_status_display()}），不能登记执行和解协议")
        if signed_on < case.filed_on:
            raise ServiceError("签订日期不能早于立案日期", field="signed_on")
        if case.settlements.filter(status__in=LIVE).exists():
            raise Conflict("本案已有正在履行的执行和解协议", field="signed_on")
        if suspend and case.status == CaseStatus.SUSPENDED:
            raise Conflict("案件已处于中止执行状态", field="suspend")
        owed = _owed(case) if case.principal > 0 else None
        try:
            rules.validate(signed_on, today, rows, owed)
        except rules.SettlementError as exc:
            raise ServiceError(exc.message, field=exc.field) from None
        agreement = SettlementAgreement.objects.create(
            case=case,
            parties=parties,
            signed_on=signed_on,
            document_ref=document_ref,
            conditions=conditions,
            suspended=bool(suspend),
            keep_controls=bool(keep_controls),
            paid_at_signing=case.paid_amount,
            recorded_by=actor,
        )
        SettlementInstalment.objects.bulk_create(
            SettlementInstalment(agreement=agreement, seq=r.seq, due_on=r.due_on, amount=r.amount)
            for r in rows
        )
        audit.record(
            actor,
            "case.settlement.record",
            object_type="SettlementAgreement",
            object_id=agreement.pk,
            case_id=case.pk,
            after={
                "parties": parties,
                "signed_on": signed_on,
                "document": document_ref,
                "instalments": [[r.due_on, r.amount] for r in rows],
                "suspend": bool(suspend),
                "keep_controls": bool(keep_controls),
            },
            court=case.court,
        )
        if suspend:
            # rule: — the suspension is the ordinary lifecycle one (measures keep controls).
            lifecycle.suspend_case(
                actor,
                case,
                ground=Suspension.Ground.APPLICANT_AGREES,
                start=signed_on,
                document_ref=suspension_ref,
            )
    return agreement


def sweep_settlements(today: date | None = None) -> int:
    """Mark every active agreement with a missed instalment as breached; returns how many changed.

    # rule: R-2.5.4
    """
    today = today or timezone.localdate()
    changed = 0
    ids = list(
        SettlementAgreement.objects.filter(
            status=SettlementAgreement.Status.ACTIVE, instalments__due_on__lt=today
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            agreement = SettlementAgreement.objects.select_for_update().get(pk=pk)
            if agreement.status != SettlementAgreement.Status.ACTIVE:
                continue
            missed = rules.first_missed(matched(agreement, today))
            if missed is None:
                continue
            agreement.status, agreement.breached_on = SettlementAgreement.Status.BREACHED, today
            agreement.save(update_fields=["status", "breached_on"])
            audit.record(
                None,
                "case.settlement.breach",
                object_type="SettlementAgreement",
                object_id=agreement.pk,
                case_id=agreement.case_id,
                before={"settlement_status": SettlementAgreement.Status.ACTIVE},
                after={
                    "settlement_status": agreement.status,
                    "seq": missed.seq,
                    "due_on": missed.due_on,
                    "outstanding": missed.outstanding,
                },
            )
            changed += 1
    return changed


def _lock(agreement: SettlementAgreement) -> SettlementAgreement:
    return (
        SettlementAgreement.objects.select_for_update(of=("self",))
        .select_related("case", "case__court")
        .get(pk=agreement.pk)
    )


def resume_enforcement(
    actor: Any, agreement: SettlementAgreement, *, on: date | None, document_ref: str
) -> SettlementAgreement:
    """The applicant asks to resume enforcement of the original instrument after a breach.

    Refused (field "agreement") while no instalment is missed or once all are paid (执行和解规定 Art 11,
    UNCONFIRMED no.). A suspended case resumes through `lifecycle.resume_execution`; what was paid
    under the agreement stays deducted (it is on the case's payments already).

    # rule: R-2.5.5
    """
    document_ref = (document_ref or "").strip()
    if on is None:
        raise ServiceError("请填写有效的恢复执行日期", field="on")
    if not document_ref:
        raise ServiceError("请填写恢复执行通知书文号", field="document_ref")
    with transaction.atomic():
        agreement = _lock(agreement)
        case = agreement.case
        if not may_manage(actor, case):
            raise NotPermitted("只能由本院执行法官办理恢复执行")
        if agreement.status not in LIVE:
            raise Conflict(f"和解协议{agreement.get_status_display()}，不能再申请恢复执行", field="agreement")
        if on < agreement.signed_on or on > timezone.localdate():
            raise ServiceError("恢复执行日期须在签订日期与今天之间", field="on")
        refusal = rules.resume_refusal(matched(agreement, on))
        if refusal:
            raise Conflict(refusal, field="agreement")
        if case.status == CaseStatus.SUSPENDED:
            lifecycle.resume_execution(actor, case, on=on, document_ref=document_ref)
        before = agreement.status
        agreement.status, agreement.ended_on = SettlementAgreement.Status.RESUMED, on
        agreement.save(update_fields=["status", "ended_on"])
        # The applicant's pending online request is answered by this resumption (granted with it).
        answered = list(
            agreement.resume_requests.filter(status=SettlementResumeRequest.Status.PENDING).values_list(
                "pk", flat=True
            )
        )
        if answered:
            SettlementResumeRequest.objects.filter(pk__in=answered).update(
                status=SettlementResumeRequest.Status.GRANTED,
                decided_on=on,
                document_ref=document_ref,
                decided_by=actor,
            )
        audit.record(
            actor,
            "case.settlement.resume",
            object_type="SettlementAgreement",
            object_id=agreement.pk,
            case_id=case.pk,
            before={"settlement_status": before},
            after={
                "settlement_status": agreement.status,
                "on": on,
                "document": document_ref,
                "requests_granted": answered,
            },
            court=case.court,
        )
    return agreement


def close_performed(
    actor: Any, agreement: SettlementAgreement, *, closed_on: date | None, document_ref: str
) -> SettlementAgreement:
    """Every instalment paid: close the case as performed (执行完毕, how "settlement") through the
    closing service. A case suspended for the settlement resumes on the same day first, since a
    suspended case may not be closed as performed (the lifecycle's rule).

    # rule: R-2.5.6
    """
    document_ref = (document_ref or "").strip()
    if closed_on is None:
        raise ServiceError("请填写有效的结案日期", field="closed_on")
    if not document_ref:
        raise ServiceError("请填写结案通知书文号", field="document_ref")
    with transaction.atomic():
        agreement = _lock(agreement)
        case = agreement.case
        if not may_close(actor, case):
            raise NotPermitted("您的岗位或法院无权结案")
        if agreement.status not in LIVE:
            raise Conflict(f"和解协议{agreement.get_status_display()}", field="agreement")
        rows = matched(agreement, timezone.localdate())
        if not rules.performed(rows):
            left = sum((m.outstanding for m in rows), Decimal("0"))
            raise Conflict(f"和解协议尚未履行完毕（尚欠 {left} 元），不能以执行完毕结案", field="agreement")
        if closed_on < max(m.paid_on for m in rows if m.paid_on):
            raise ServiceError("结案日期不能早于最后一期履行完毕之日", field="closed_on")
        if case.status == CaseStatus.SUSPENDED:
            lifecycle.resume_execution(actor, case, on=closed_on, document_ref=document_ref)
            case.refresh_from_db()
        lifecycle.close_case(
            actor,
            case,
            mode=ClosingMode.PERFORMED,
            closed_on=closed_on,
            details={
                "document_ref": document_ref,
                "performed_amount": str(case.paid_amount),
                "how": "settlement",
            },
        )
        before = agreement.status
        agreement.status, agreement.ended_on = SettlementAgreement.Status.PERFORMED, closed_on
        agreement.save(update_fields=["status", "ended_on"])
        audit.record(
            actor,
            "case.settlement.performed",
            object_type="SettlementAgreement",
            object_id=agreement.pk,
            case_id=case.pk,
            before={"settlement_status": before},
            after={"settlement_status": agreement.status, "closed_on": closed_on, "document": document_ref},
            court=case.court,
        )
    return agreement
