"""Art 8 notices, credit repair and legal-representative change API (issue 14 items 7 and 9).

`POST /credit/notices/callback` is for Art 8 recipients only: no staff session, the body signed with the
recipient's protocol secret (docs/partner-protocol.md "Art 8 notices"). The staff endpoints are
court-scoped like the rest of the credit API: a case the user cannot read is a 404, a write outside one's
own court or role a 403.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Router, Schema, Status

from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.queries import get_case
from zhixing.core.errors import ServiceError

from . import queries_repair
from .models import CreditRepair, LegalRepChange, Listing, ListingNotice, NoticeRecipient
from .services import notices, repair

router = Router(tags=["信用惩戒"])


class NotFound(ServiceError):
    status = 404

    def __init__(self, field: str = "case_id") -> None:
        super().__init__("对象不存在或无权查看", field=field, code="not_found")


class ListingNoticeOut(Schema):
    id: int
    listing_id: int
    recipient: str
    recipient_code: str
    recipient_kind: str
    event: str
    status: str
    status_label: str
    attempts: int
    reason: str
    partner_ref: str
    due_at: datetime | None
    sent_at: datetime | None
    acknowledged_at: datetime | None


class ProfileIn(Schema):
    state_functionary: bool = False
    employer_id: int | None = Field(None, description="所在单位（通报对象类型 employer）")
    unit_nature: str = Field("", max_length=24, description="state_organ / public_institution / soe / 空")
    superior_id: int | None = Field(None, description="上级单位或主管部门（通报对象类型 superior）")


class DebtorProfileOut(Schema):
    party_id: int
    state_functionary: bool
    employer: str | None
    unit_nature: str
    superior: str | None


class RepairIn(Schema):
    applied_on: date
    statement: str = Field(..., max_length=300)
    settled: bool = Field(False, description="执行和解协议已履行完毕或申请执行人书面同意")
    corrected: bool = Field(False, description="法官已核实被执行人纠正失信行为")


class RepairDecideIn(Schema):
    grant: bool
    reason: str = Field("", max_length=300)


class RepairOut(Schema):
    id: int
    listing_id: int
    status: str
    status_label: str
    applied_on: date
    decision_due: date
    settled: bool
    corrected: bool
    conditions: dict[str, bool]
    decided_on: date | None
    reason: str
    certificate_number: str
    certificate_url: str | None


class LegalRepIn(Schema):
    new_name: str = Field(..., max_length=64)
    new_id_number: str = Field(..., max_length=18)
    changed_on: date
    former_released: bool = False


class LegalRepOut(Schema):
    id: int
    party_id: int
    former_name: str
    new_name: str
    changed_on: date
    former_released: bool
    imposed_restriction_id: int | None
    lifted_restriction_id: int | None


def notice_out(n: ListingNotice) -> dict[str, Any]:
    return {
        "id": n.pk,
        "listing_id": n.listing_id,
        "recipient": n.recipient.name,
        "recipient_code": n.recipient.code,
        "recipient_kind": n.recipient.kind,
        "event": n.event,
        "status": n.status,
        "status_label": n.get_status_display(),
        "attempts": n.attempts,
        "reason": n.reason,
        "partner_ref": n.partner_ref,
        "due_at": n.due_at,
        "sent_at": n.sent_at,
        "acknowledged_at": n.acknowledged_at,
    }


def repair_out(r: CreditRepair) -> dict[str, Any]:
    from django.urls import reverse

    granted = r.status == CreditRepair.Status.GRANTED
    return {
        "id": r.pk,
        "listing_id": r.listing_id,
        "status": r.status,
        "status_label": r.get_status_display(),
        "applied_on": r.applied_on,
        "decision_due": r.decision_due,
        "settled": r.settled,
        "corrected": r.corrected,
        "conditions": r.conditions or {},
        "decided_on": r.decided_on,
        "reason": r.reason,
        "certificate_number": r.certificate_number,
        "certificate_url": reverse("credit_repair_certificate", args=[r.pk]) if granted else None,
    }


def change_out(c: LegalRepChange) -> dict[str, Any]:
    return {
        "id": c.pk,
        "party_id": c.party_id,
        "former_name": c.former_name,
        "new_name": c.new_name,
        "changed_on": c.changed_on,
        "former_released": c.former_released,
        "imposed_restriction_id": c.imposed_id,
        "lifted_restriction_id": c.lifted_id,
    }


def _case(request: HttpRequest, case_id: int) -> EnforcementCase:
    case = get_case(request.user, case_id)
    if case is None:
        raise NotFound()
    return case


def _debtor(case: EnforcementCase, party_id: int) -> Party:
    party = Party.objects.filter(pk=party_id, case=case, role=Party.Role.DEBTOR).first()
    if party is None:
        raise NotFound("party_id")
    return party


def _recipient(pk: int | None, field: str) -> NoticeRecipient | None:
    if pk is None:
        return None
    r = NoticeRecipient.objects.filter(pk=pk, active=True).first()
    if r is None:
        raise ServiceError("通报对象不存在或已停用", field=field)
    return r


@router.post("/credit/notices/callback", auth=None, summary="失信通报对象确认回执（签名回调）")
def notices_callback(request: HttpRequest) -> HttpResponse:
    """`{"partner": code, "results": [{"key", "status": "done", "result": {"ref"}}]}`, signed."""
    result = notices.receive_acks(request.path, request.body, dict(request.headers))
    named = {"field": result.field} if result.field else {}
    return JsonResponse({"detail": result.detail, "applied": result.applied, **named}, status=result.status)


@router.get(
    "/credit/cases/{case_id}/notices", response=list[ListingNoticeOut], summary="本案失信通报及送达情况"
)
def case_notices(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    _case(request, case_id)
    return [notice_out(n) for n in queries_repair.case_notices(case_id)]


@router.post(
    "/credit/notices/{notice_id}/resend", response=ListingNoticeOut, summary="重新发送失败的失信通报"
)
def resend(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    n = ListingNotice.objects.select_related("listing__court", "recipient").filter(pk=notice_id).first()
    if n is None or get_case(request.user, n.listing.case_id) is None:
        raise NotFound("notice_id")
    return notice_out(notices.resend_notice(request.user, n))


@router.put(
    "/credit/cases/{case_id}/parties/{party_id}/profile",
    response=DebtorProfileOut,
    summary="登记被执行人通报信息",
)
def profile(request: HttpRequest, case_id: int, party_id: int, payload: ProfileIn) -> dict[str, Any]:
    case = _case(request, case_id)
    p = notices.record_profile(
        request.user,
        case,
        _debtor(case, party_id),
        state_functionary=payload.state_functionary,
        employer=_recipient(payload.employer_id, "employer_id"),
        unit_nature=payload.unit_nature,
        superior=_recipient(payload.superior_id, "superior_id"),
    )
    return {
        "party_id": p.party_id,
        "state_functionary": p.state_functionary,
        "employer": p.employer.name if p.employer else None,
        "unit_nature": p.unit_nature,
        "superior": p.superior.name if p.superior else None,
    }


@router.get("/credit/cases/{case_id}/repairs", response=list[RepairOut], summary="本案信用修复申请")
def case_repairs(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    _case(request, case_id)
    return [repair_out(r) for r in queries_repair.case_repairs(case_id)]


@router.post("/credit/listings/{listing_id}/repairs", response={201: RepairOut}, summary="登记信用修复申请")
def apply_repair(request: HttpRequest, listing_id: int, payload: RepairIn) -> Status:
    listing = Listing.objects.select_related("court").filter(pk=listing_id).first()
    if listing is None or get_case(request.user, listing.case_id) is None:
        raise NotFound("listing_id")
    r = repair.apply_repair(
        request.user,
        listing,
        applied_on=payload.applied_on,
        statement=payload.statement,
        settled=payload.settled,
        corrected=payload.corrected,
    )
    return Status(201, repair_out(r))


@router.post("/credit/repairs/{repair_id}/decide", response=RepairOut, summary="作出信用修复决定")
def decide_repair(request: HttpRequest, repair_id: int, payload: RepairDecideIn) -> dict[str, Any]:
    r = queries_repair.get_repair(request.user, repair_id)
    if r is None:
        raise NotFound("repair_id")
    return repair_out(repair.decide_repair(request.user, r, grant=payload.grant, reason=payload.reason))


@router.post(
    "/credit/cases/{case_id}/parties/{party_id}/legal-rep",
    response={201: LegalRepOut},
    summary="登记单位被执行人法定代表人变更（限制新法定代表人）",
)
def legal_rep(request: HttpRequest, case_id: int, party_id: int, payload: LegalRepIn) -> Status:
    case = _case(request, case_id)
    c = repair.record_legal_rep_change(
        request.user,
        case,
        _debtor(case, party_id),
        new_name=payload.new_name,
        new_id_number=payload.new_id_number,
        changed_on=payload.changed_on,
        former_released=payload.former_released,
    )
    return Status(201, change_out(c))
