"""Cases API: preservation cases (执保) and their carrying into enforcement (诉执衔接).

GET /api/v1/preservations?lawsuit_number= — the caller's court's open preservation cases not yet
    carried (those of one lawsuit when given): what a filing would take over.
GET /api/v1/cases/{id}/preservations — for an enforcement case, the preservation cases it took over; for a
    执保 case, its own record (lawsuit number, and the case it was carried into).
Filing itself is `POST /api/v1/cases` (`lawsuit_number` for a 执保 case, `preservation_case` to choose
the one to carry); the carried controls show on `GET /api/v1/inquiry/cases/{id}/assets` (`preserved_in`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Schema
from pydantic import Field

from zhixing.core.errors import NotPermitted
from zhixing.courts.roles import Cap

from . import queries_preservation
from .api_support import _ok, _readable_case, _user, router
from .schemas import Id, Text64


class PreservationOut(Schema):
    case_id: int
    number: str = Field(description="保全案件案号")
    lawsuit_number: str = Field(description="诉讼案号")
    basis_number: str = Field(description="保全裁定书文号")
    filed_on: date
    applicants: list[str]
    debtors: list[str]
    carried_into: str = Field(description="已转入的执行案件案号；未转入为空")
    carried_into_id: int | None = Field(None, description="已转入的执行案件ID")


class PreservationFilter(Schema):
    lawsuit_number: Text64 = ""


def _out(rows: list[queries_preservation.PreservationRow]) -> list[dict[str, Any]]:
    return [{**r.__dict__, "applicants": list(r.applicants), "debtors": list(r.debtors)} for r in rows]


@router.get("/preservations", response=_ok(list[PreservationOut]), summary="可转入的保全案件")
def open_preservations(request: HttpRequest, filters: Query[PreservationFilter]) -> Any:
    user = _user(request)
    if user.court is None or not (user.can(Cap.CASE_FILE) or user.can(Cap.CASE_READ)):
        raise NotPermitted("只有本院立案或办案人员可以查看保全案件")
    return _out(queries_preservation.open_preservations(user.court, filters.lawsuit_number))


@router.get(
    "/cases/{case_id}/preservations", response=_ok(list[PreservationOut]), summary="本案的保全转入记录"
)
def case_preservations(request: HttpRequest, case_id: Path[Id]) -> Any:
    case = _readable_case(_user(request), case_id)
    own = queries_preservation.preservation_of(case)
    return _out([own] if own else queries_preservation.carried_into(case))
