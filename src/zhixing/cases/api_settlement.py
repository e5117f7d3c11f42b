"""Cases API: enforcement settlement agreements (执行和解).

GET  /api/v1/cases/{id}/settlements — the case's agreements, each instalment matched against the case's
     payments (paid, covering day, state), and the legal effects table.
POST /api/v1/cases/{id}/settlements — record an agreement (instalments; optional suspension).
POST /api/v1/cases/{id}/settlements/{sid}/resume — after a missed instalment, resume enforcement of the
     original instrument (恢复执行).
POST /api/v1/cases/{id}/settlements/{sid}/close — every instalment paid: close the case as performed.
POST /api/v1/cases/{id}/settlements/{sid}/resume-requests/{rid}/decision — the judge decides the applicant's
     online resume request (申请恢复执行): "grant" resumes the original instrument, "refuse" needs reasons.
Bad input: 422 naming the field (instalments as ``instalments[N].due_on`` / ``.amount``); a state that
does not allow the step: 409.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Path, Schema, Status
from pydantic import Field

from . import queries_settlement, rules_settlement
from .api_support import NotFound, _ok, _readable_case, _user, router
from .models import EnforcementCase, SettlementAgreement
from .schemas import Id, ISODate
from .services import settlement as settlement_services
from .services import settlement_requests


class SettlementInstalmentIn(Schema):
    due_on: ISODate
    amount: str = Field(max_length=32, description='金额（元），最多两位小数，如 "10000.00"')


class SettlementIn(Schema):
    parties: str = Field(max_length=300)
    signed_on: ISODate
    document_ref: str = Field(max_length=128)
    conditions: str = Field("", max_length=4000)
    instalments: list[SettlementInstalmentIn] = Field(max_length=rules_settlement.MAX_INSTALMENTS)
    suspend: bool = Field(False, description="申请执行人申请中止执行，登记中止（执行和解规定第2条）")
    suspension_ref: str = Field("", max_length=128, description="中止执行裁定书文号（suspend 为真时必填）")
    keep_controls: bool = Field(True, description="控制措施继续有效（执行和解规定第3条）")


class SettlementResumeIn(Schema):
    on: ISODate
    document_ref: str = Field(max_length=128)


class SettlementCloseIn(Schema):
    closed_on: ISODate
    document_ref: str = Field(max_length=128)


class SettlementDecisionIn(Schema):
    decision: Literal["grant", "refuse"] = Field(description="grant 恢复执行；refuse 裁定不予恢复执行")
    on: ISODate
    document_ref: str = Field(max_length=128, description="恢复执行通知书或不予恢复执行裁定书文号")
    reasons: str = Field("", max_length=2000, description="不予恢复执行的理由（refuse 时必填）")


class ResumeRequestOut(Schema):
    id: int
    filed_on: date
    party: str
    channel: str
    grounds: str
    status: str = Field(description="pending / granted / refused")
    decided_on: date | None
    document_ref: str
    reasons: str


class MatchedOut(Schema):
    seq: int
    due_on: date
    amount: str
    paid: str
    paid_on: date | None
    state: str = Field(description="paid / paid_late / partly / pending / missed")


class SettlementOut(Schema):
    id: int
    parties: str
    signed_on: date
    document_ref: str
    conditions: str
    suspended: bool
    keep_controls: bool
    status: str
    breached_on: date | None
    ended_on: date | None
    total: str
    paid: str
    instalments: list[MatchedOut]
    may_resume: bool
    may_close: bool
    resume_requests: list[ResumeRequestOut]


class EffectOut(Schema):
    key: str
    label: str
    article: str


class SettlementsOut(Schema):
    case_id: int
    agreements: list[SettlementOut]
    effects: list[EffectOut]


def _agreement(case: EnforcementCase, settlement_id: int) -> SettlementAgreement:
    a = case.settlements.filter(pk=settlement_id).first()
    if a is None:
        raise NotFound("和解协议不存在或无权查看")
    return a


@router.get(
    "/cases/{case_id}/settlements", response=_ok(SettlementsOut), summary="执行和解协议及分期履行情况"
)
def case_settlements(request: HttpRequest, case_id: Path[Id]) -> Any:
    case = _readable_case(_user(request), case_id)
    agreements = case.settlements.prefetch_related(*queries_settlement.PREFETCH).order_by("-id")[:20]
    return {
        "case_id": case.pk,
        "agreements": [queries_settlement.summary(a) for a in agreements],
        "effects": [{"key": e.key, "label": e.label, "article": e.article} for e in rules_settlement.EFFECTS],
    }


@router.post("/cases/{case_id}/settlements", response=_ok(SettlementOut, 201), summary="登记执行和解协议")
def record_settlement(request: HttpRequest, payload: SettlementIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _readable_case(user, case_id)
    a = settlement_services.record_settlement(
        user,
        case,
        parties=payload.parties,
        signed_on=payload.signed_on,
        document_ref=payload.document_ref,
        conditions=payload.conditions,
        instalments=[(i.due_on, i.amount) for i in payload.instalments],
        suspend=payload.suspend,
        suspension_ref=payload.suspension_ref,
        keep_controls=payload.keep_controls,
    )
    return Status(201, queries_settlement.summary(a))


@router.post(
    "/cases/{case_id}/settlements/{settlement_id}/resume",
    response=_ok(SettlementOut),
    summary="和解协议未履行，恢复执行原生效法律文书",
)
def resume(
    request: HttpRequest, payload: SettlementResumeIn, case_id: Path[Id], settlement_id: Path[Id]
) -> Any:
    user = _user(request)
    a = _agreement(_readable_case(user, case_id), settlement_id)
    a = settlement_services.resume_enforcement(user, a, on=payload.on, document_ref=payload.document_ref)
    return queries_settlement.summary(a)


@router.post(
    "/cases/{case_id}/settlements/{settlement_id}/close",
    response=_ok(SettlementOut),
    summary="和解协议履行完毕，以执行完毕结案",
)
def close(
    request: HttpRequest, payload: SettlementCloseIn, case_id: Path[Id], settlement_id: Path[Id]
) -> Any:
    user = _user(request)
    a = _agreement(_readable_case(user, case_id), settlement_id)
    a = settlement_services.close_performed(
        user, a, closed_on=payload.closed_on, document_ref=payload.document_ref
    )
    return queries_settlement.summary(a)


@router.post(
    "/cases/{case_id}/settlements/{settlement_id}/resume-requests/{resume_request_id}/decision",
    response=_ok(ResumeRequestOut),
    summary="审查申请执行人的恢复执行申请（恢复执行或不予恢复执行）",
)
def decide_request(
    request: HttpRequest,
    payload: SettlementDecisionIn,
    case_id: Path[Id],
    settlement_id: Path[Id],
    resume_request_id: Path[Id],
) -> Any:
    user = _user(request)
    a = _agreement(_readable_case(user, case_id), settlement_id)
    req = a.resume_requests.filter(pk=resume_request_id).first()
    if req is None:
        raise NotFound("恢复执行申请不存在或无权查看")
    req = settlement_requests.decide_resume_request(
        user,
        req,
        grant=payload.decision == "grant",
        on=payload.on,
        document_ref=payload.document_ref,
        reasons=payload.reasons,
    )
    return queries_settlement.request_row(req)
