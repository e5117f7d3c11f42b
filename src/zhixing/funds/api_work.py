"""Case funds JSON API (staff): the custody account, a case's payable breakdown, the approval queue and
the home page counts. Mounted on the funds router (`api.router`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from zhixing.cases import queries as case_queries
from zhixing.core.errors import NotPermitted

from . import formats, payable, queries_work, services
from .models import CaseAccount, CustodyAccount
from .services.custody import may_edit

router = Router(tags=["执行案款"])


class CustodyIn(Schema):
    bank_name: formats.CheckedText
    account_name: formats.CheckedText
    account_no: formats.CheckedText
    sub_prefix: formats.CheckedText


class CustodyOut(Schema):
    court: str
    bank_name: str | None
    account_name: str | None
    account_no: str | None
    sub_prefix: str | None
    case_accounts: int


def _custody_out(court: Any) -> dict[str, Any]:
    acc = CustodyAccount.objects.filter(court=court).first()
    return {
        "court": court.code,
        "bank_name": acc.bank_name if acc else None,
        "account_name": acc.account_name if acc else None,
        "account_no": acc.account_no if acc else None,
        "sub_prefix": acc.sub_prefix if acc else None,
        "case_accounts": CaseAccount.objects.filter(custody=acc).count() if acc else 0,
    }


def _own_court(request: HttpRequest) -> Any:
    court = getattr(request.user, "court", None)
    if court is None or not may_edit(request.user, court):
        raise NotPermitted("只有本院财务人员或执行局局长可以查看和设置执行款专户")
    return court


@router.get("/funds/custody", response=CustodyOut, summary="本院执行款专户")
def get_custody(request: HttpRequest) -> Any:
    return _custody_out(_own_court(request))


@router.put("/funds/custody", response=CustodyOut, summary="设置/更改本院执行款专户")
def put_custody(request: HttpRequest, payload: CustodyIn) -> Any:
    court = _own_court(request)
    services.set_custody_account(request.user, court, **payload.dict())
    return _custody_out(court)


class ReservedOut(Schema):
    code: str
    reason: str
    amount: str
    ref: str


class PayableOut(Schema):
    purpose: str
    balance: str
    reserved: list[ReservedOut]
    reserved_total: str
    payable: str


@router.get("/funds/cases/{case_id}/payable", response=PayableOut, summary="案件可发金额及预留明细")
def case_payable(request: HttpRequest, case_id: int, purpose: str = "applicant") -> Any:
    case = case_queries.get_case(request.user, case_id)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    if purpose not in (payable.APPLICANT, payable.REFUND):
        raise HttpError(422, "purpose 应为 applicant 或 refund")
    return payable.breakdown_dict(payable.payable_breakdown(case, purpose))


class StepOut(Schema):
    role: str
    label: str
    state: str
    who: str
    at: str | None
    note: str


class QueueItemOut(Schema):
    id: int
    case_id: int
    case_number: str
    amount: str
    purpose: str
    account_name: str
    account_no: str
    bank_name: str
    name_mismatch: bool
    next_role: str
    next_label: str
    steps: list[StepOut]


@router.get("/funds/approvals", response=list[QueueItemOut], summary="待我审批的发款")
def approval_queue(request: HttpRequest) -> Any:
    return [
        {
            "id": p.pk,
            "case_id": p.case_id,
            "case_number": p.case.number,
            "amount": str(p.amount),
            "purpose": p.purpose,
            "account_name": p.account_name,
            "account_no": p.account_no,
            "bank_name": p.bank_name,
            "name_mismatch": p.name_mismatch,
            "next_role": p.chain[p.step],
            "next_label": p.next_label,  # type: ignore[attr-defined]
            "steps": [
                {
                    "role": s.role,
                    "label": s.label,
                    "state": s.state,
                    "who": s.who,
                    "at": s.at.isoformat() if s.at else None,
                    "note": s.note,
                }
                for s in p.steps  # type: ignore[attr-defined]
            ],
        }
        for p in queries_work.approval_queue(request.user)
    ]


class TodoOut(Schema):
    key: str
    label: str
    count: int
    url: str
    urgent: bool


@router.get("/funds/todo", response=list[TodoOut], summary="案款待办计数（工作台）")
def todo(request: HttpRequest) -> Any:
    return [t.__dict__ for t in queries_work.todo_for(request.user, timezone.localdate())]
