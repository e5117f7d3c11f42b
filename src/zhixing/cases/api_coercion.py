"""Cases API: coercive measures (强制措施) and the refusal-crime referral (拒执罪移送).

GET  /api/v1/cases/{id}/coercive-measures — the case's measures with their clocks.
POST /api/v1/cases/{id}/coercive-measures — propose a fine, detention, summons by force or search.
POST /api/v1/coercive-measures/{id}/decision — the court president approves or refuses.
POST /api/v1/coercive-measures/{id}/service — the decision served (3-day review clock starts).
POST /api/v1/coercive-measures/{id}/review — a review applied for (5-day clock starts).
POST /api/v1/coercive-measures/{id}/start — custody began / the summoned person arrived.
POST /api/v1/coercive-measures/{id}/family-notice — the detainee's family told.
POST /api/v1/cases/{id}/refusal-referrals — record a referral with the evidence bundle's digest.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Path, Schema, Status
from pydantic import Field

from zhixing.core.errors import NotPermitted

from . import evidence, queries_coercion
from .api_support import NotFound, _ok, _readable_case, _user, _writable_case, router
from .models import CoerciveMeasure, Party
from .queries_bankruptcy import candidates, may_read
from .schemas import Id, ISODate
from .services import coercion as services
from .services.bankruptcy import transfer_to_bankruptcy


class ClockOut(Schema):
    label: str
    due: str
    met: bool | None = Field(description="true 按期办结；false 已超期；null 进行中")


class MeasureOut(Schema):
    id: int
    kind: str
    party_id: int
    subject: str
    status: str
    amount: Decimal | None
    days: int | None
    hours: int | None
    document_id: int | None = Field(description="批准时生成的罚款/拘留决定书")
    served_on: date | None
    review_apply_by: date | None
    review_applied_on: date | None
    review_decide_by: date | None
    started_at: datetime | None
    family_notice_due: datetime | None
    family_notified_at: datetime | None
    ends_at: datetime | None
    clocks: list[ClockOut]


class MeasureIn(Schema):
    kind: str = Field(description="fine 罚款 / detention 拘留 / summons 拘传 / search 搜查")
    party_id: Id
    act: str = Field(max_length=500)
    amount: str = Field("", description="罚款金额（元）")
    days: str = Field("", description="拘留日数")
    hours: str = Field("", description="拘传询问小时数")
    complex_case: bool = False
    custody: str = ""
    place: str = ""
    person_name: str = ""


class DecisionIn(Schema):
    approve: bool
    note: str = ""


class ServiceIn(Schema):
    served_on: ISODate


class CoercionReviewIn(Schema):
    applied_on: ISODate


class MomentIn(Schema):
    at: datetime


class ReferralIn(Schema):
    party_id: Id
    situations: list[str] = Field(description="法释〔2024〕13号情形编号，如 3.4、4.1")
    facts: str = Field(max_length=1000)
    receiver: str = Field(max_length=128)
    referred_on: ISODate


class ReferralOut(Schema):
    id: int
    party_id: int
    situations: list[str]
    referred_on: date
    receiver: str
    evidence_sha256: str
    evidence_files: list[str]


def _measure(m: CoerciveMeasure) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": m.kind,
        "party_id": m.party_id,
        "subject": m.subject,
        "status": m.status,
        "amount": m.amount,
        "days": m.days,
        "hours": m.hours,
        "document_id": m.document_id,
        "served_on": m.served_on,
        "review_apply_by": m.review_apply_by,
        "review_applied_on": m.review_applied_on,
        "review_decide_by": m.review_decide_by,
        "started_at": m.started_at,
        "family_notice_due": m.family_notice_due,
        "family_notified_at": m.family_notified_at,
        "ends_at": m.ends_at,
        "clocks": [
            {"label": c.label, "due": c.due.isoformat(), "met": c.met} for c in queries_coercion.clocks(m)
        ],
    }


def _get(user: Any, measure_id: int) -> CoerciveMeasure:
    m = queries_coercion.measure(user, measure_id)
    if m is None:
        raise NotFound("强制措施不存在或无权查看")
    return m


@router.get("/cases/{case_id}/coercive-measures", response=_ok(list[MeasureOut]), summary="强制措施")
def list_measures(request: HttpRequest, case_id: Path[Id]) -> Any:
    case = _readable_case(_user(request), case_id)
    return [_measure(m) for m in queries_coercion.measures_of(case.pk)]


@router.post("/cases/{case_id}/coercive-measures", response=_ok(MeasureOut, 201), summary="提请强制措施")
def propose(request: HttpRequest, payload: MeasureIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    m = services.propose_measure(user, case, **payload.dict())
    return Status(201, _measure(m))


@router.post("/coercive-measures/{measure_id}/decision", response=_ok(MeasureOut), summary="院长审批强制措施")
def decide(request: HttpRequest, payload: DecisionIn, measure_id: Path[Id]) -> Any:
    user = _user(request)
    return _measure(
        services.decide_measure(user, _get(user, measure_id), approve=payload.approve, note=payload.note)
    )


@router.post("/coercive-measures/{measure_id}/service", response=_ok(MeasureOut), summary="登记决定书送达")
def serve(request: HttpRequest, payload: ServiceIn, measure_id: Path[Id]) -> Any:
    user = _user(request)
    return _measure(services.record_service(user, _get(user, measure_id), served_on=payload.served_on))


@router.post("/coercive-measures/{measure_id}/review", response=_ok(MeasureOut), summary="登记申请复议")
def review(request: HttpRequest, payload: CoercionReviewIn, measure_id: Path[Id]) -> Any:
    user = _user(request)
    return _measure(
        services.record_review_application(user, _get(user, measure_id), applied_on=payload.applied_on)
    )


@router.post("/coercive-measures/{measure_id}/start", response=_ok(MeasureOut), summary="登记拘留/拘传开始")
def start(request: HttpRequest, payload: MomentIn, measure_id: Path[Id]) -> Any:
    user = _user(request)
    return _measure(services.record_start(user, _get(user, measure_id), started_at=payload.at))


@router.post(
    "/coercive-measures/{measure_id}/family-notice", response=_ok(MeasureOut), summary="登记通知被拘留人家属"
)
def family_notice(request: HttpRequest, payload: MomentIn, measure_id: Path[Id]) -> Any:
    user = _user(request)
    return _measure(services.record_family_notice(user, _get(user, measure_id), notified_at=payload.at))


@router.post("/cases/{case_id}/refusal-referrals", response=_ok(ReferralOut, 201), summary="登记拒执罪移送")
def refer(request: HttpRequest, payload: ReferralIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    party = Party.objects.filter(case_id=case.pk, role=Party.Role.DEBTOR, pk=payload.party_id).first()
    b = evidence.bundle(case, party, payload.situations) if party else None
    r = services.refer_refusal(
        user,
        case,
        party_id=payload.party_id,
        situations=payload.situations,
        facts=payload.facts,
        receiver=payload.receiver,
        referred_on=payload.referred_on,
        evidence_sha256=b.sha256 if b else "",
        evidence_files=b.files if b else [],
    )
    return Status(
        201,
        {
            "id": r.pk,
            "party_id": r.party_id,
            "situations": r.situations,
            "referred_on": r.referred_on,
            "receiver": r.receiver,
            "evidence_sha256": r.evidence_sha256,
            "evidence_files": r.evidence_files,
        },
    )


# -- 执转破 --------------------------------------------------------------------------------------------


class CandidateOut(Schema):
    debtor_key: str
    name: str
    case_ids: list[int]
    unpaid: Decimal
    known_assets: Decimal
    eligible: bool
    reasons: list[str]


class TransferIn(Schema):
    debtor_key: str
    consent_by: str = Field(description="debtor 被执行人 / applicant 申请执行人")
    consent_ref: str
    decision_ref: str
    receiving_court: str


class TransferOut(Schema):
    id: int
    debtor_key: str
    case_ids: list[int]
    decided_on: date


@router.get("/bankruptcy/candidates", response=_ok(list[CandidateOut]), summary="执转破筛查")
def bankruptcy_candidates(request: HttpRequest) -> Any:
    user = _user(request)
    if not may_read(user):
        raise NotPermitted("您的岗位无权查看执转破筛查")
    return [
        {
            "debtor_key": c.key,
            "name": c.name,
            "case_ids": [x.pk for x in c.cases],
            "unpaid": c.unpaid,
            "known_assets": c.known_assets,
            "eligible": bool(c.result and c.result.eligible),
            "reasons": c.result.reasons if c.result else [],
        }
        for c in candidates(user)
    ]


@router.post("/bankruptcy/transfers", response=_ok(TransferOut, 201), summary="移送破产审查")
def bankruptcy_transfer(request: HttpRequest, payload: TransferIn) -> Any:
    t = transfer_to_bankruptcy(_user(request), **payload.dict())
    return Status(
        201, {"id": t.pk, "debtor_key": t.debtor_key, "case_ids": t.case_ids, "decided_on": t.decided_on}
    )
