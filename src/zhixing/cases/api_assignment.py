"""Cases API: batch assignment (批量分案) and judges' caseloads (在办案件数).

`POST /batch-assignments` assigns up to 200 cases to one judge of the caller's court in one
transaction (`services.assign_cases`): the permission is a single assignment's (`case.assign`, own
court); one refused case refuses the batch (its status, with the case named in `detail`).
`GET /caseloads` lists a court's judges with their open cases, for whoever may assign or supervise;
another court is readable only when it is the caller's or a subordinate one (else 404).
"""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Schema

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.queries import can_read_court, court_by_code
from zhixing.courts.roles import Cap

from . import services
from .api_support import NotFound, _ok, _staff_ref, _user, router
from .queries_caseload import active_staff, caseload_label, court_caseloads
from .schemas import Id, Text16


class BatchAssignIn(Schema):
    case_ids: Annotated[list[Id], Field(min_length=1, max_length=1000)] = Field(
        ..., description=f"要分案的案件ID，一次最多{services.MAX_BATCH}件"
    )
    handler_id: Id = Field(..., description="承办法官ID（本院在职的执行法官）")


class StaffRef(Schema):
    id: int
    name: str


class AssignedCase(Schema):
    id: int
    number: str


class BatchAssignOut(Schema):
    assigned: int
    handler: StaffRef
    cases: list[AssignedCase]


class CaseloadOut(Schema):
    judge: StaffRef
    court: str
    open_cases: int = Field(..., description="在办案件数（立案、在办、中止）")
    label: str = Field(..., description="下拉框中显示的文字，如“张三（在办 23 件）”")


class CaseloadQuery(Schema):
    court: Text16 = Field("", description="法院代字；默认本院")


@router.post(
    "/batch-assignments", response=_ok(BatchAssignOut), summary="批量分案（同一承办法官，全部或全不）"
)
def batch_assign(request: HttpRequest, payload: BatchAssignIn) -> Any:
    user = _user(request)
    court = user.court
    if court is None or not user.can(Cap.CASE_ASSIGN):
        raise NotPermitted(f"您的岗位无权{Cap(Cap.CASE_ASSIGN).label}")
    judge = active_staff(payload.handler_id)
    if judge is None:
        raise ServiceError("承办人须为本院在职的执行法官", field="handler_id")
    done = services.assign_cases(user, payload.case_ids, judge)
    return {
        "assigned": len(done),
        "handler": _staff_ref(judge),
        "cases": [{"id": c.pk, "number": c.number} for c in done],
    }


@router.get("/caseloads", response=_ok(list[CaseloadOut]), summary="承办法官在办案件数")
def caseloads(request: HttpRequest, q: Query[CaseloadQuery]) -> Any:
    user = _user(request)
    if not (user.can(Cap.CASE_ASSIGN) or user.can(Cap.SUPERVISE)):
        raise NotPermitted("您的岗位无权查看承办法官的在办案件数")
    court = user.court
    code = q.court.strip()
    if code:
        court = court_by_code(code)
        if court is None or not can_read_court(user, court):
            raise NotFound("法院不存在或无权查看")
    if court is None:
        raise NotPermitted("您不属于任何法院")
    return [
        {
            "judge": _staff_ref(r.judge),
            "court": court.code,
            "open_cases": r.open_cases,
            "label": caseload_label(r.judge, r.open_cases),
        }
        for r in court_caseloads(court)
    ]
