"""Distribution (参与分配) JSON API: plans, claims (one by one or an Excel file), service, objections,
counter-objections, the objection suit and its deposit, the outcome, and payouts by plan line.

Another court's case or plan answers 404; a role that may not act 403 (from the service); a bad field
422 naming it; a step not allowed in the plan's stage 409.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from pydantic import Field

from zhixing.cases import queries as case_queries
from zhixing.core import upload_limits
from zhixing.courts.queries import can_read_court

from . import distribution_rules as dr
from . import formats
from . import queries_distribution as qd
from .api import PayoutOut, _payout_out
from .models import DistributionPlan
from .services import distribution as svc
from .services import distribution_import as imp
from .services import distribution_money as pay
from .services import distribution_objections as obj
from .services import distribution_suits as suits

router = Router(tags=["财产分配"])


class ClaimIn(Schema):
    party_id: int | None = None
    creditor_name: str = ""
    creditor_id_number: str = ""
    kind: str = "ordinary"
    rank: int = 1
    amount: str
    security_date: date | None = None
    seized_on: date | None = None
    applied_on: date | None = None
    basis: str = ""
    evidence: str = ""


class PlanIn(Schema):
    proceeds: str = ""
    costs: str = ""
    cutoff_on: date | None = None
    first_seizing_court: str = ""
    claims: list[ClaimIn] = []
    debtor_id: int | None = Field(None, description="被分配财产所属的被执行人（本案有多名被执行人时必填）")
    debtor_form: str = Field(
        "",
        max_length=16,
        description="被执行人类型：person 自然人、other_org 其他组织（合伙企业等，按比例清偿）、"
        "enterprise 企业法人（按查封先后）、other_legal 其他非企业法人；省略按登记信息推定",
    )


class DistributionClaimOut(Schema):
    id: int
    party_id: int | None
    creditor_name: str
    kind: str
    rank: int
    amount: str
    security_date: date | None
    seized_on: date | None
    applied_on: date
    evidence: str


class CounterOut(Schema):
    by_name: str
    received_on: date
    notified_on: date


class PlanObjectionOut(Schema):
    id: int
    by_name: str
    by_debtor: bool
    claim_id: int
    proposed_amount: str
    disputed: str
    received_on: date
    counter_due: date
    state: str
    state_label: str
    counters: list[CounterOut]
    suit_due: date | None
    sued_on: date | None
    suit_number: str
    result_on: date | None


class PlanOut(Schema):
    id: int
    case_id: int
    version: int
    previous_id: int | None
    status: str
    status_label: str
    proceeds: str
    costs: str
    first_seizing_court: str
    debtor_id: int | None = Field(None, description="被分配财产所属的被执行人")
    debtor_form: str = Field("", description="被执行人类型（决定普通债权按比例或按查封先后清偿）")
    pro_rata: bool = Field(True, description="普通债权是否按债权比例清偿")
    cutoff_on: date | None
    served_on: date | None
    objection_due: date | None
    counter_objection_due: date | None
    held_amount: str
    lines: list[dict[str, Any]]
    claims: list[DistributionClaimOut]
    objections: list[PlanObjectionOut]


class HeldOut(Schema):
    plan_id: int
    objection_id: int
    amount: str
    reason: str


def _case(request: HttpRequest, case_id: int) -> Any:
    case = case_queries.get_case(request.user, case_id)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    return case


def _plan(request: HttpRequest, plan_id: int) -> DistributionPlan:
    p = qd.plan_detail(plan_id)
    if p is None or not can_read_court(request.user, p.court):
        raise HttpError(404, "分配方案不存在或无权查看")
    return p


def _out(p: DistributionPlan) -> dict[str, Any]:
    p = qd.plan_detail(p.pk) or p
    return {
        "id": p.pk,
        "case_id": p.case_id,
        "version": p.version,
        "previous_id": p.previous_id,
        "status": p.status,
        "status_label": p.get_status_display(),
        "proceeds": str(p.proceeds),
        "costs": str(p.costs),
        "first_seizing_court": p.first_seizing_court,
        "debtor_id": p.debtor_id,
        "debtor_form": p.debtor_kind,
        "pro_rata": dr.pro_rata(p.debtor_kind or dr.PERSON),
        "cutoff_on": p.cutoff_on,
        "served_on": p.served_on,
        "objection_due": p.objection_due,
        "counter_objection_due": p.counter_objection_due,
        "held_amount": str(p.held_amount),
        "lines": p.lines,
        "claims": [
            {
                "id": c.pk,
                "party_id": c.party_id,
                "creditor_name": c.creditor_name,
                "kind": c.kind,
                "rank": c.rank,
                "amount": str(c.amount),
                "security_date": c.security_date,
                "seized_on": c.seized_on,
                "applied_on": c.applied_on,
                "evidence": c.evidence,
            }
            for c in p.claims.all()
        ],
        "objections": [
            {
                "id": o.pk,
                "by_name": o.by_name,
                "by_debtor": o.by_debtor,
                "claim_id": o.claim_id,
                "proposed_amount": str(o.proposed_amount),
                "disputed": str(o.disputed),
                "received_on": o.received_on,
                "counter_due": o.counter_due,
                "state": o.state,
                "state_label": o.get_state_display(),
                "counters": [
                    {"by_name": c.by_name, "received_on": c.received_on, "notified_on": c.notified_on}
                    for c in o.counters.all()
                ],
                "suit_due": o.suit_due,
                "sued_on": o.sued_on,
                "suit_number": o.suit_number,
                "result_on": o.result_on,
            }
            for o in p.objections.all()
        ],
    }


def _claim_dict(c: ClaimIn) -> dict[str, Any]:
    d = c.dict()
    d["party_id"] = "" if d["party_id"] is None else str(d["party_id"])
    return d


@router.get("/funds/cases/{case_id}/plans", response=list[PlanOut], summary="案件的分配方案")
def list_plans(request: HttpRequest, case_id: int) -> Any:
    case = _case(request, case_id)
    return [_out(p) for p in qd.case_plans(case)]


@router.get("/funds/cases/{case_id}/held", response=list[HeldOut], summary="异议之诉期间提存的争议金额")
def held(request: HttpRequest, case_id: int) -> Any:
    case = _case(request, case_id)
    return [
        {"plan_id": h.plan_id, "objection_id": h.objection_id, "amount": str(h.amount), "reason": h.reason}
        for h in qd.held_lines(case)
    ]


@router.post("/funds/cases/{case_id}/plans", response={201: PlanOut}, summary="制作分配方案（草稿）")
def create_plan(request: HttpRequest, case_id: int, payload: PlanIn) -> Any:
    case = _case(request, case_id)
    p = svc.create_plan(
        request.user,
        case,
        proceeds=payload.proceeds,
        costs=payload.costs,
        cutoff_on=payload.cutoff_on,
        first_seizing_court=payload.first_seizing_court,
        claims=[_claim_dict(c) for c in payload.claims],
        debtor_id=payload.debtor_id or "",
        debtor_form=payload.debtor_form,
    )
    return Status(201, _out(p))


@router.get("/funds/plans/{plan_id}", response=PlanOut, summary="分配方案")
def get_plan(request: HttpRequest, plan_id: int) -> Any:
    return _out(_plan(request, plan_id))


@router.post("/funds/plans/{plan_id}/claims", response={201: PlanOut}, summary="登记参与分配债权")
def add_claim(request: HttpRequest, plan_id: int, payload: ClaimIn) -> Any:
    p = _plan(request, plan_id)
    svc.add_claim(request.user, p, _claim_dict(payload))
    return Status(201, _out(p))


@router.delete("/funds/plans/{plan_id}/claims/{int:claim_id}", response=PlanOut, summary="撤回债权（草稿）")
def remove_claim(request: HttpRequest, plan_id: int, claim_id: int) -> Any:
    p = _plan(request, plan_id)
    svc.remove_claim(request.user, claim_id, p)
    return _out(p)


@router.post("/funds/plans/{plan_id}/claims/import", response=PlanOut, summary="导入Excel债权清单")
def import_claims(request: HttpRequest, plan_id: int, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    p = _plan(request, plan_id)
    upload_limits.check(file, "spreadsheet", field="file", label="债权清单文件")
    imp.import_claims(request.user, p, file.read())
    return _out(p)


class ServeIn(Schema):
    served_on: date


class ObjectionIn(Schema):
    by_name: str
    by_debtor: bool = False
    claim_id: int
    proposed_amount: str
    reason: str
    received_on: date
    notified_on: date | None = None


class CounterIn(Schema):
    by_name: str
    received_on: date
    notified_on: date | None = None
    reason: str = ""


class SuitIn(Schema):
    sued_on: date
    suit_number: str


class JudgmentIn(Schema):
    upheld: bool
    result_on: date


class LinePayoutIn(Schema):
    account_name: formats.CheckedText
    account_no: formats.CheckedText
    bank_name: formats.CheckedText = ""


@router.post("/funds/plans/{plan_id}/serve", response=PlanOut, summary="登记送达（异议期开始）")
def serve(request: HttpRequest, plan_id: int, payload: ServeIn) -> Any:
    return _out(obj.serve_plan(request.user, _plan(request, plan_id), payload.served_on))


@router.post("/funds/plans/{plan_id}/objections", response={201: PlanOut}, summary="登记异议")
def objection(request: HttpRequest, plan_id: int, payload: ObjectionIn) -> Any:
    p = _plan(request, plan_id)
    obj.record_objection(request.user, p, **payload.dict())
    return Status(201, _out(p))


@router.post(
    "/funds/plans/{plan_id}/objections/{objection_id}/counters",
    response={201: PlanOut},
    summary="登记反对意见",
)
def counter(request: HttpRequest, plan_id: int, objection_id: int, payload: CounterIn) -> Any:
    p = _plan(request, plan_id)
    obj.record_counter(request.user, p, objection_id, **payload.dict())
    return Status(201, _out(p))


@router.post(
    "/funds/plans/{plan_id}/objections/{objection_id}/suit", response=PlanOut, summary="登记异议之诉（提存）"
)
def suit(request: HttpRequest, plan_id: int, objection_id: int, payload: SuitIn) -> Any:
    p = _plan(request, plan_id)
    suits.record_suit(request.user, p, objection_id, **payload.dict())
    return _out(p)


@router.post(
    "/funds/plans/{plan_id}/objections/{objection_id}/judgment", response=PlanOut, summary="登记诉讼结果"
)
def judgment(request: HttpRequest, plan_id: int, objection_id: int, payload: JudgmentIn) -> Any:
    p = _plan(request, plan_id)
    suits.record_judgment(request.user, p, objection_id, **payload.dict())
    return _out(p)


@router.post("/funds/plans/{plan_id}/conclude", response=PlanOut, summary="期间届满确定方案（修正或生效）")
def conclude(request: HttpRequest, plan_id: int) -> Any:
    return _out(suits.conclude(request.user, _plan(request, plan_id)))


@router.post("/funds/plans/{plan_id}/lines/{line}/payout", response={201: PayoutOut}, summary="按方案发款")
def line_payout(request: HttpRequest, plan_id: int, line: int, payload: LinePayoutIn) -> Any:
    p = pay.propose_line(request.user, _plan(request, plan_id), line, **payload.dict())
    return Status(201, _payout_out(p))


@router.post("/funds/plans/{plan_id}/paid", response=PlanOut, summary="确认方案发放完毕")
def paid(request: HttpRequest, plan_id: int) -> Any:
    return _out(pay.mark_paid(request.user, _plan(request, plan_id)))
