"""Staff API of the president's approvals (ADR 0015): propose, list, approve or reject, record service.

Same rules as the pages: a proposal whose case the caller cannot read is a 404; only the court president
of the case's court approves or rejects (403 otherwise); only a deciding judge of the court proposes and
records service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from zhixing.cases.models import Party
from zhixing.core.errors import NotPermitted, ServiceError

from . import queries_proposals
from .models import Proposal
from .schemas import ListIn
from .services import approval
from .services.restrictions import BoundPerson

router = Router(tags=["信用惩戒"])


class ProposalOut(Schema):
    id: int
    kind: str
    case_id: int
    party_id: int
    status: str
    summary: str
    proposed_on: date
    approver_name: str
    decided_on: date | None
    reject_reason: str
    document_number: str
    listing_id: int | None
    service_method: str
    service_act_on: date | None
    served_on: date | None


class BoundIn(Schema):
    bound: str
    name: str = Field(..., max_length=128)
    id_number: str = Field(..., max_length=18)


class ProposalConsumptionIn(Schema):
    party_id: int
    items: list[int] = Field(..., description="限制消费规定第3条第1款所列事项序号1–9")
    grace_months: int = 0
    bound_persons: list[BoundIn] = []
    initiation: str = Field(
        "ex_officio",
        description="启动方式：application 依申请执行人书面申请，ex_officio 依职权（限制消费规定第4条）",
    )


class RejectIn(Schema):
    reason: str = Field(..., max_length=200)


class ProposalServedIn(Schema):
    method: str = Field(
        ..., description="送达方式：personal、residence、electronic、post、entrusted、publication"
    )
    on: date = Field(..., description="签收、留置、到达系统、邮件签收或公告发布之日")


class NotFound(ServiceError):
    status = 404

    def __init__(self) -> None:
        super().__init__("决定不存在或无权查看", field="approval_id", code="not_found")


def _visible(request: HttpRequest, pk: int) -> Proposal:
    p = queries_proposals.visible(request.user, pk)
    if p is None:
        raise NotFound()
    return p


def _party(request: HttpRequest, case_id: int, party_id: int) -> tuple[Any, Party]:
    from .api import _case

    case = _case(request, case_id)
    party = Party.objects.filter(pk=party_id, case=case).first()
    if party is None:
        raise ServiceError("被执行人不属于本案", field="party_id")
    return case, party


def listing_proposal(request: HttpRequest, case_id: int, payload: ListIn) -> Proposal:
    """Propose a listing (shared with `POST /credit/cases/{id}/listings` when approval is required)."""
    from .services import ListingData

    case, party = _party(request, case_id, payload.party_id)
    data = ListingData(
        ground=payload.ground,
        dishonest_act=payload.dishonest_act,
        guarantee_confirmed=payload.guarantee_confirmed,
        order_confirmed=payload.order_confirmed,
        ability_confirmed=payload.ability_confirmed,
        serious=payload.serious,
        extension_years=payload.extension_years,
        grace_months=payload.grace_months,
    )
    return approval.propose_listing(request.user, case, party, data)


@router.post(
    "/credit/cases/{case_id}/approvals/listing", response={201: ProposalOut}, summary="提请院长审批纳入失信"
)
def propose_listing(request: HttpRequest, case_id: int, payload: ListIn) -> Status:
    return Status(201, listing_proposal(request, case_id, payload))


@router.post(
    "/credit/cases/{case_id}/approvals/consumption",
    response={201: ProposalOut},
    summary="提请院长签发限制消费令",
)
def propose_consumption(request: HttpRequest, case_id: int, payload: ProposalConsumptionIn) -> Status:
    case, party = _party(request, case_id, payload.party_id)
    p = approval.propose_consumption(
        request.user,
        case,
        party,
        items=payload.items,
        grace_months=payload.grace_months,
        bound_persons=[BoundPerson(b.bound, b.name, b.id_number) for b in payload.bound_persons],
        initiation=payload.initiation,
    )
    return Status(201, p)


@router.get("/credit/approvals", response=list[ProposalOut], summary="待院长审批的决定")
def pending(request: HttpRequest, all: bool = False) -> list[Proposal]:
    court = getattr(request.user, "court", None)
    if court is None or not approval.may_approve(request.user, court):
        raise NotPermitted("信用惩戒决定审批仅限院长")
    return list(queries_proposals.for_court(court.pk, pending_only=not all))


@router.get("/credit/approvals/{approval_id}", response=ProposalOut, summary="决定审批详情")
def detail(request: HttpRequest, approval_id: int) -> Proposal:
    return _visible(request, approval_id)


@router.post("/credit/approvals/{approval_id}/approve", response=ProposalOut, summary="院长批准签发")
def approve(request: HttpRequest, approval_id: int) -> Proposal:
    return approval.approve(request.user, _visible(request, approval_id))


@router.post("/credit/approvals/{approval_id}/reject", response=ProposalOut, summary="院长不予批准")
def reject(request: HttpRequest, approval_id: int, payload: RejectIn) -> Proposal:
    return approval.reject(request.user, _visible(request, approval_id), reason=payload.reason)


@router.post("/credit/approvals/{approval_id}/served", response=ProposalOut, summary="登记送达被执行人")
def served(request: HttpRequest, approval_id: int, payload: ProposalServedIn) -> Proposal:
    return approval.record_service(
        request.user, _visible(request, approval_id), method=payload.method, on=payload.on
    )
