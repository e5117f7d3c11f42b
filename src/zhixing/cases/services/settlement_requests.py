"""The applicant's request to resume enforcement after a settlement was not performed (申请恢复执行),
filed on the party portal, and the judge's decision on it.

* `file_resume_request` — the applicant of the case (never the debtor: 执行和解规定 Art 9 gives the
  request to 申请执行人) asks, with the facts and reasons, to resume enforcement of the original
  instrument; stored with its day and grounds as pending. Filed by a party, not by a staff member: the
  portal's sign-in identified the party, and the audit names the party and the channel.
* `decide_resume_request` — the judge of the case's court decides (执行和解规定 Art 11): grant, which
  resumes enforcement of the original instrument through `settlement.resume_enforcement` (the same step
  as at the counter, with its refusals: nothing missed, or all performed), or refuse with reasons and
  the ruling's number (a party may object to either, Art 12 / CPL-2023 Art 236).

Bad input raises ServiceError naming the field; nothing is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError

from .. import rules_settlement as rules
from ..models import EnforcementCase, Party, SettlementAgreement, SettlementResumeRequest
from ..queries_settlement import LIVE
from . import settlement

Request = SettlementResumeRequest


def file_resume_request(
    case: EnforcementCase, agreement_id: Any, *, party_id: int, grounds: str
) -> SettlementResumeRequest:
    """The applicant `party_id` of `case` asks to resume enforcement after a breach of the agreement.

    # rule: R-2.5.7
    """
    grounds = (grounds or "").strip()
    try:
        agreement_pk = int(agreement_id)
    except (TypeError, ValueError):
        raise ServiceError("请选择和解协议", field="agreement") from None
    if not grounds:
        raise ServiceError("请写明被执行人不履行和解协议的事实和理由", field="grounds")
    if len(grounds) > rules.GROUNDS_MAX:
        raise ServiceError(f"事实和理由不能超过{rules.GROUNDS_MAX}字", field="grounds")
    today = timezone.localdate()
    with transaction.atomic():
        party = Party.objects.filter(pk=party_id, case_id=case.pk).first()
        if party is None or party.role != Party.Role.APPLICANT:
            raise NotPermitted("只有本案申请执行人可以申请恢复执行")
        agreement = (
            SettlementAgreement.objects.select_for_update().filter(pk=agreement_pk, case_id=case.pk).first()
        )
        if agreement is None:
            raise ServiceError("和解协议不存在", field="agreement")
        if agreement.status not in LIVE:
            raise Conflict(f"和解协议{agreement.get_status_display()}，不能再申请恢复执行", field="agreement")
        if agreement.resume_requests.filter(status=Request.Status.PENDING).exists():
            raise Conflict("您已提交的恢复执行申请正在审查中", field="agreement")
        req = Request.objects.create(
            agreement=agreement, case=case, party=party, filed_on=today, grounds=grounds
        )
        audit.record(
            None,
            "case.settlement.resume_request",
            object_type="SettlementResumeRequest",
            object_id=req.pk,
            case_id=case.pk,
            after={
                "party": party.name,
                "filed_on": today,
                "grounds": grounds,
                "settlement": agreement.pk,
            },
            court=case.court,
        )
    return req


def decide_resume_request(
    actor: Any,
    req: SettlementResumeRequest,
    *,
    grant: bool,
    on: date | None,
    document_ref: str,
    reasons: str = "",
) -> SettlementResumeRequest:
    """Grant (resume on the original instrument) or refuse (with reasons) a pending request.

    # rule: R-2.5.8
    """
    document_ref, reasons = (document_ref or "").strip(), (reasons or "").strip()
    if on is None:
        raise ServiceError("请填写有效的决定日期", field="on")
    if not document_ref:
        field_label = "恢复执行通知书" if grant else "不予恢复执行裁定书"
        raise ServiceError(f"请填写{field_label}文号", field="document_ref")
    if len(document_ref) > 128:
        raise ServiceError("文书文号不能超过128字", field="document_ref")
    if not grant and not reasons:
        raise ServiceError("不予恢复执行的，请写明理由", field="reasons")
    if len(reasons) > rules.GROUNDS_MAX:
        raise ServiceError(f"理由不能超过{rules.GROUNDS_MAX}字", field="reasons")
    with transaction.atomic():
        req = (
            Request.objects.select_for_update(of=("self",))
            .select_related("agreement", "case", "case__court")
            .get(pk=req.pk)
        )
        case = req.case
        if not settlement.may_manage(actor, case):
            raise NotPermitted("只能由本院执行法官审查恢复执行申请")
        if req.status != Request.Status.PENDING:
            raise Conflict(f"该申请已审查（{req.get_status_display()}）", field="request")
        if on < req.filed_on or on > timezone.localdate():
            raise ServiceError("决定日期须在申请日期与今天之间", field="on")
        if grant:
            # The counter's step, with its refusals (nothing missed yet, or all performed: Art 11).
            settlement.resume_enforcement(actor, req.agreement, on=on, document_ref=document_ref)
        req.status = Request.Status.GRANTED if grant else Request.Status.REFUSED
        req.decided_on, req.document_ref, req.reasons, req.decided_by = on, document_ref, reasons, actor
        req.save(update_fields=["status", "decided_on", "document_ref", "reasons", "decided_by"])
        audit.record(
            actor,
            "case.settlement.resume_decide",
            object_type="SettlementResumeRequest",
            object_id=req.pk,
            case_id=case.pk,
            before={"request_status": Request.Status.PENDING},
            after={"request_status": req.status, "on": on, "document": document_ref, "reasons": reasons},
            court=case.court,
        )
    return req
