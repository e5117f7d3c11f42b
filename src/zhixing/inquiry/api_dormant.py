"""Dormant-case registry API (`GET /api/v1/inquiry/dormant`): the 终本 cases the caller may read, their
debtors, what remains owed, the periodic re-inquiry (last round, next due), results to be served, resume
requests, and whether the case needs attention (no debtor the network system can search). Same scoping
and search as the page (`queries_dormant_registry`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from zhixing.core.errors import NotPermitted

from . import queries_dormant_registry as registry

router = Router(tags=["网络执行查控"])


class RegistryIn(Schema):
    q: str = ""
    # Bounded so that an absurd number is a 422 naming the field, not an integer overflow in the database.
    court: int | None = Field(None, ge=1, le=2**63 - 1)
    page: int = Field(1, ge=1, le=1_000_000)


class RegistryRowOut(Schema):
    case_id: int
    case_number: str
    court: str
    closed_on: date | None
    debtors: list[str]
    claim: Decimal
    paid: Decimal
    owed: Decimal
    last_round_on: date | None
    last_outcome: str | None
    next_due: date | None
    notices_to_serve: int
    open_requests: int
    resumed_number: str
    attention: bool
    problems: list[str]


class RegistryPageOut(Schema):
    total: int
    page: int
    page_size: int
    rows: list[RegistryRowOut]


@router.get("/inquiry/dormant", response=RegistryPageOut, summary="终本案件库")
def dormant_registry(request: HttpRequest, filters: Query[RegistryIn]) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    if not registry.may_read_registry(user):
        raise NotPermitted("您的岗位无权查看终本案件库")
    rows, total = registry.page(user, filters.q[:64], filters.court, max(filters.page, 1))
    return {
        "total": total,
        "page": max(filters.page, 1),
        "page_size": registry.PAGE,
        "rows": [
            {
                "case_id": r.case.pk,
                "case_number": r.case.number,
                "court": r.case.court.name,
                "closed_on": r.case.closed_on,
                "debtors": r.debtors,
                "claim": r.case.claim_amount,
                "paid": r.case.paid_amount,
                "owed": r.owed,
                "last_round_on": r.last_round.run_on if r.last_round else None,
                "last_outcome": r.last_round.outcome if r.last_round else None,
                "next_due": r.next_due,
                "notices_to_serve": r.notices_to_serve,
                "open_requests": r.open_requests,
                "resumed_number": r.resumed_number,
                "attention": r.attention,
                "problems": r.problems,
            }
            for r in rows
        ],
    }
