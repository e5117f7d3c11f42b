"""Cases API write endpoints: each a thin call into `zhixing.cases.services`."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Status

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.money import AmountError, parse_amount
from zhixing.courts.queries import court_by_code, handlers_of_court

from . import queries, services
from .api_support import (
    _api_fields,
    _case_detail,
    _check_writable,
    _excluded,
    _extension,
    _extension_out,
    _node,
    _node_out,
    _ok,
    _user,
    _writable_case,
    router,
)
from .closing import CLOSING_FIELDS
from .models import (
    ClosingMode,
    ExcludedPeriod,
    Extension,
    NodeType,
)
from .schemas import (
    AddNodeIn,
    AssignIn,
    CloseIn,
    CompleteNodeIn,
    EndExcludedPeriodIn,
    ExcludedPeriodIn,
    ExtensionIn,
    FilingIn,
    Id,
    ResumeExecutionIn,
    ResumeIn,
    SuspendIn,
)
from .schemas_out import (
    CaseDetail,
    ExcludedPeriodOut,
    ExtensionOut,
    NodeOut,
)

# -- writes -----------------------------------------------------------------------------------------


@router.post("/cases", response=_ok(CaseDetail, 201), summary="立案")
def file_case(request: HttpRequest, payload: FilingIn) -> Any:
    user = _user(request)
    code = (payload.court or "").strip()
    court = court_by_code(code) if code else user.court
    if code and court is None:
        raise ServiceError(f"法院代字“{code}”不存在", field="court")
    if court is None:
        raise NotPermitted("您不属于任何法院，不能立案")
    data = services.FilingData(
        case_type=payload.case_type,
        applied_on=payload.applied_on,
        filed_on=payload.filed_on,
        instrument_type=payload.instrument_type,
        issuing_body=payload.issuing_body,
        basis_number=payload.basis_number,
        effective_on=payload.effective_on,
        performance_deadline=payload.performance_deadline,
        principal=payload.principal,
        adjudged_interest=payload.adjudged_interest,
        litigation_costs=payload.litigation_costs,
        interest_rate=payload.interest_rate,
        interest_from=payload.interest_from,
        instalments=[(i.due_on, i.amount) for i in payload.instalments],
        obligation=payload.obligation.value,
        obligation_detail=payload.obligation_detail,
        application_fee=payload.application_fee,
        confirm_duplicate=payload.confirm_duplicate,
        lawsuit_number=payload.lawsuit_number,
        preservation_case=payload.preservation_case,
        parties=[
            services.PartyData(
                role=p.role.value,
                kind=p.kind.value,
                name=p.name,
                id_number=p.id_number,
                credit_code=p.credit_code,
                address=p.address,
                phone=p.phone,
                legal_representative=p.legal_representative,
                former_names=list(p.former_names),
                id_type=p.id_type.value if p.id_type else "",
                nationality=p.nationality,
                birth_date=p.birth_date,
            )
            for p in payload.parties
        ],
    )
    case = services.file_case(user, court, data)
    return Status(201, _case_detail(user, case.pk))


@router.post("/cases/{case_id}/assign", response=_ok(CaseDetail), summary="分案（指定承办人）")
def assign(request: HttpRequest, payload: AssignIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    handler = handlers_of_court(case.court).filter(pk=payload.handler_id).first()
    if handler is None:
        raise ServiceError("承办人须为本院在职的执行法官", field="handler_id")
    team = None
    if payload.team_id is not None:
        team = case.court.teams.filter(pk=payload.team_id).first()
        if team is None:
            raise ServiceError("执行团队须为本院团队", field="team_id")
    with _api_fields({"handler": "handler_id", "team": "team_id"}):
        services.assign_case(user, case, handler, team)
    return _case_detail(user, case.pk)


@router.post("/nodes/{node_id}/complete", response=_ok(NodeOut), summary="办理完成流程节点")
def complete_node(request: HttpRequest, payload: CompleteNodeIn, node_id: Path[Id]) -> Any:
    user = _user(request)
    node = _node(user, node_id)
    _check_writable(user, node.case)
    node = services.complete_node(
        user, node, document_ref=payload.document_ref, completed_on=payload.completed_on, note=payload.note
    )
    node = next(n for n in queries.case_nodes(node.case) if n.pk == node.pk)
    return _node_out(node, timezone.localdate(), current_calendar())


@router.post("/cases/{case_id}/nodes", response=_ok(NodeOut, 201), summary="添加流程节点（如核查财产线索）")
def add_node(request: HttpRequest, payload: AddNodeIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    node_type = NodeType.objects.filter(code=payload.node_type.strip(), active=True).first()
    if node_type is None:
        raise ServiceError(f"节点类型“{payload.node_type}”不存在", field="node_type")
    node = services.add_node(user, case, node_type, started_on=payload.started_on, note=payload.note)
    node = next(n for n in queries.case_nodes(case) if n.pk == node.pk)
    return Status(201, _node_out(node, timezone.localdate(), current_calendar()))


@router.post("/cases/{case_id}/suspend", response=_ok(CaseDetail), summary="中止执行")
def suspend(request: HttpRequest, payload: SuspendIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    services.suspend_case(
        user,
        case,
        ground=payload.ground.value,
        start=payload.start,
        document_ref=payload.document_ref,
        debtor_requested=payload.debtor_requested,
        instrument_review=payload.instrument_review,
    )
    return _case_detail(user, case.pk)


@router.post("/cases/{case_id}/resume-execution", response=_ok(CaseDetail), summary="恢复执行（结束中止）")
def resume_execution(request: HttpRequest, payload: ResumeExecutionIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    services.resume_execution(user, case, on=payload.on, document_ref=payload.document_ref)
    return _case_detail(user, case.pk)


@router.post(
    "/cases/{case_id}/excluded-periods",
    response=_ok(ExcludedPeriodOut, 201),
    summary="登记不计入执行期限的期间（暂缓执行、鉴定评估、拍卖变卖、公告等）",
)
def start_excluded(request: HttpRequest, payload: ExcludedPeriodIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    period = services.start_excluded_period(
        user,
        case,
        kind=payload.kind.value,
        start=payload.start,
        document_ref=payload.document_ref,
        note=payload.note,
        debtor_requested=payload.debtor_requested,
    )
    return Status(201, _excluded_out(period))


@router.post(
    "/excluded-periods/{period_id}/end",
    response=_ok(ExcludedPeriodOut),
    summary="登记不计入执行期限的期间结束",
)
def end_excluded(request: HttpRequest, payload: EndExcludedPeriodIn, period_id: Path[Id]) -> Any:
    user = _user(request)
    period = _excluded(user, period_id)
    _check_writable(user, period.case)
    period = services.end_excluded_period(user, period, end=payload.end, document_ref=payload.document_ref)
    return _excluded_out(period)


def _excluded_out(p: ExcludedPeriod) -> dict[str, Any]:
    return {
        "id": p.pk,
        "kind": p.kind,
        "kind_display": p.get_kind_display(),
        "start": p.start,
        "end": p.end,
        "days": p.days,
        "document_ref": p.document_ref,
        "end_document_ref": p.end_document_ref,
        "note": p.note,
    }


@router.post("/cases/{case_id}/extensions", response=_ok(ExtensionOut, 201), summary="申请延长执行期限")
def request_extension(request: HttpRequest, payload: ExtensionIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    ext = services.request_extension(user, case, reason=payload.reason)
    return Status(201, _extension_out(ext))


def _decide(request: HttpRequest, ext_id: int, approve: bool) -> Any:
    user = _user(request)
    ext = _extension(user, ext_id)
    _check_writable(user, ext.case)
    ext = services.approve_extension(user, ext) if approve else services.reject_extension(user, ext)
    return _extension_out(Extension.objects.select_related("requested_by", "decided_by").get(pk=ext.pk))


@router.post("/extensions/{ext_id}/approve", response=_ok(ExtensionOut), summary="批准延长执行期限（院长）")
def approve_extension(request: HttpRequest, ext_id: Path[Id]) -> Any:
    return _decide(request, ext_id, True)


@router.post("/extensions/{ext_id}/reject", response=_ok(ExtensionOut), summary="不批准延长执行期限（院长）")
def reject_extension(request: HttpRequest, ext_id: Path[Id]) -> Any:
    return _decide(request, ext_id, False)


@router.post("/cases/{case_id}/close", response=_ok(CaseDetail), summary="结案")
def close(request: HttpRequest, payload: CloseIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    details = dict(payload.details)
    if payload.mode == ClosingMode.PERFORMED and details.get("performed_amount", "").strip():
        # closing.check_closing treats the amount as text; the API accepts only a valid amount.
        try:
            details["performed_amount"] = str(parse_amount(details["performed_amount"], field="执行到位金额"))
        except AmountError as exc:
            raise ServiceError(str(exc), field="details.performed_amount") from exc
    mapping = {spec.name: f"details.{spec.name}" for spec in CLOSING_FIELDS.get(payload.mode.value, ())}
    mapping["closing_mode"] = "mode"
    with _api_fields(mapping):
        services.close_case(user, case, mode=payload.mode.value, closed_on=payload.closed_on, details=details)
    return _case_detail(user, case.pk)


@router.post("/cases/{case_id}/resume", response=_ok(CaseDetail, 201), summary="恢复执行立案（执恢）")
def resume(request: HttpRequest, payload: ResumeIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    new = services.resume_case(user, case, applied_on=payload.applied_on, reason=payload.reason)
    return Status(201, _case_detail(user, new.pk))
