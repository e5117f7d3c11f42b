"""Funds API: the surplus refundable to the debtor and the custody account's interest (执行款孳息).

GET  /api/v1/funds/cases/{id}/refundable      — what may be refunded to the debtor today, and why
GET  /api/v1/funds/cases/{id}/interest        — the case's shares of the custody account's interest
GET  /api/v1/funds/interest-credits           — the credits of the courts the caller reads
POST /api/v1/funds/interest-credits           — finance records a credit (allocated by a task)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema, Status
from ninja.errors import HttpError

from zhixing.cases import queries as case_queries

from . import formats, queries_interest
from .api import router
from .services.interest import record_interest_credit


class RefundableOut(Schema):
    case_id: int
    on: date
    balance: str
    committed: str
    fee: str
    claim: str
    doubled_interest: str
    paid_to_applicant: str
    owed_to_applicant: str
    refundable: str


class AllocationOut(Schema):
    case_id: int | None
    case_number: str | None
    balance_days: str
    average_balance: str
    amount: str


class CaseInterestOut(Schema):
    credit_id: int
    period_start: date
    period_end: date
    average_balance: str
    amount: str


class CreditOut(Schema):
    id: int
    court: str
    period_start: date
    period_end: date
    amount: str
    bank_reference: str
    policy: str
    status: str
    cases_count: int
    allocations: list[AllocationOut]


class CreditIn(Schema):
    period_start: date
    period_end: date
    amount: str
    bank_reference: formats.CheckedText
    note: formats.CheckedText = ""


def _case(request: HttpRequest, case_id: int) -> Any:
    case = case_queries.get_case(request.user, case_id)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    return case


def _credit_out(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "court": c.court.code,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "amount": str(c.amount),
        "bank_reference": c.bank_reference,
        "policy": c.policy,
        "status": c.status,
        "cases_count": c.cases_count,
        "allocations": [
            {
                "case_id": a.case_id,
                "case_number": a.case.number if a.case else None,
                "balance_days": str(a.balance_days),
                "average_balance": str(a.average_balance),
                "amount": str(a.amount),
            }
            for a in c.allocations.all()
        ],
    }


@router.get("/funds/cases/{case_id}/refundable", response=RefundableOut, summary="可退还被执行人的余款")
def case_refundable(request: HttpRequest, case_id: int) -> Any:
    case = _case(request, case_id)
    r = queries_interest.refundable(case, timezone.localdate())
    return {
        "case_id": case.pk,
        "on": r.on,
        "balance": str(r.balance),
        "committed": str(r.committed),
        "fee": str(r.fee),
        "claim": str(r.claim),
        "doubled_interest": str(r.doubled),
        "paid_to_applicant": str(r.paid_to_applicant),
        "owed_to_applicant": str(r.owed_to_applicant),
        "refundable": str(r.refundable),
    }


@router.get("/funds/cases/{case_id}/interest", response=list[CaseInterestOut], summary="案件分得的执行款孳息")
def case_interest(request: HttpRequest, case_id: int) -> Any:
    case = _case(request, case_id)
    return [
        {
            "credit_id": a.credit_id,
            "period_start": a.credit.period_start,
            "period_end": a.credit.period_end,
            "average_balance": str(a.average_balance),
            "amount": str(a.amount),
        }
        for a in queries_interest.case_allocations(case)
    ]


@router.get("/funds/interest-credits", response=list[CreditOut], summary="执行款孳息登记与分配")
def interest_credits(request: HttpRequest) -> Any:
    return [_credit_out(c) for c in queries_interest.court_credits(request.user)]


@router.post("/funds/interest-credits", response={201: CreditOut}, summary="登记执行款孳息（财务）")
def record_credit(request: HttpRequest, payload: CreditIn) -> Any:
    credit = record_interest_credit(
        request.user,
        period_start=payload.period_start,
        period_end=payload.period_end,
        amount=payload.amount,
        bank_reference=payload.bank_reference,
        note=payload.note,
    )
    credit = next(c for c in queries_interest.court_credits(request.user) if c.pk == credit.pk)
    return Status(201, _credit_out(credit))
