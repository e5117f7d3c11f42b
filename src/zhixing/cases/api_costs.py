"""Cases API: enforcement costs the debtor bears (执行程序解释 Art 26; 限制消费规定 Art 7; rule R-3.5.7).

GET  /api/v1/cases/{id}/costs — the costs recorded on the case, their total and what the applicant advanced.
POST /api/v1/cases/{id}/costs — record one (e.g. a media publication); refused (naming the field) when a
     publication the applicant asked for is not advanced by the applicant.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Path, Schema, Status
from pydantic import Field

from . import services
from .api_support import _ok, _readable_case, _user, _writable_case, router
from .cost_rules import applicant_advanced, costs_owed
from .models import EnforcementCost
from .schemas import Id, ISODate


class CostOut(Schema):
    id: int
    kind: str
    kind_display: str
    article: str
    amount: str
    incurred_on: date
    applicant_requested: bool
    advanced_by: str = Field(description="applicant 申请执行人垫付 / court 法院支付")
    document_ref: str
    note: str


class CostsOut(Schema):
    case_id: int
    total: str = Field(description="被执行人负担的已登记执行费用合计（元）")
    applicant_advanced: str = Field(description="其中申请执行人垫付、应发还申请执行人的部分（元）")
    costs: list[CostOut]


class CostIn(Schema):
    kind: str = Field(description="media_publication 媒体公布（公告）费用 / other 其他实际支出费用")
    amount: str
    incurred_on: ISODate
    advanced_by: str = Field(description="applicant / court")
    document_ref: str = Field(max_length=128)
    applicant_requested: bool = False
    note: str = Field("", max_length=200)


def _cost(c: EnforcementCost) -> dict[str, Any]:
    return {
        "id": c.pk,
        "kind": c.kind,
        "kind_display": c.get_kind_display(),
        "article": c.article,
        "amount": str(c.amount),
        "incurred_on": c.incurred_on,
        "applicant_requested": c.applicant_requested,
        "advanced_by": c.advanced_by,
        "document_ref": c.document_ref,
        "note": c.note,
    }


@router.get("/cases/{case_id}/costs", response=_ok(CostsOut), summary="被执行人负担的执行费用")
def case_costs(request: HttpRequest, case_id: Path[Id]) -> Any:
    case = _readable_case(_user(request), case_id)
    rows = list(EnforcementCost.objects.filter(case=case))
    return {
        "case_id": case.pk,
        "total": str(costs_owed(r.amount for r in rows)),
        "applicant_advanced": str(applicant_advanced((r.advanced_by, r.amount) for r in rows)),
        "costs": [_cost(r) for r in rows],
    }


@router.post("/cases/{case_id}/costs", response=_ok(CostOut, 201), summary="登记执行费用（被执行人负担）")
def add_cost(request: HttpRequest, payload: CostIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    c = services.record_cost(user, case, **payload.dict())
    return Status(201, _cost(c))
