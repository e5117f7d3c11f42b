"""Cases API (`/api/v1/...`): thin handlers over `zhixing.cases.services` (writes) and `.queries` (reads).

Court scoping is the UI's: a user reads their own court's cases and, in a higher court, those of every
subordinate court; they write only their own court's. A case (or its node, party or extension) the
caller cannot read is answered 404, so other courts cannot even learn it exists; a write on a case the
caller may read but not write is answered 403 before the service runs; the service then checks the
caller's role. Every error is `{"detail", "field", "code"}` (see `zhixing.config.api`).
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.identity import mask_id
from zhixing.core.money import AmountError, parse_amount
from zhixing.courts.models import Staff
from zhixing.courts.queries import can_write_court, court_by_code, handlers_of_court
from zhixing.courts.roles import Cap

from . import queries, rules, services
from .closing import CLOSING_FIELDS
from .models import (
    CaseType,
    ClosingMode,
    EnforcementCase,
    Extension,
    InstrumentType,
    Node,
    NodeType,
    Party,
    Suspension,
)
from .schemas import (
    AddNodeIn,
    AssignIn,
    CaseDetail,
    CaseListQuery,
    CasePageOut,
    CloseIn,
    CompleteNodeIn,
    ErrorOut,
    ExtensionIn,
    ExtensionOut,
    FilingIn,
    Id,
    IdentityOut,
    ISODate,
    NodeOut,
    PartyOut,
    ReferenceOut,
    ResumeExecutionIn,
    ResumeIn,
    SupervisionRow,
    SuspendIn,
    money_text,
)

router = Router(tags=["执行案件"])

MAX_PAGE_SIZE = 200
_CURSOR = re.compile(r"(\d{4}-\d{2}-\d{2})_(\d{1,18})")

_ERRORS: dict[int | str, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def _ok(schema: Any, status: int = 200) -> dict[int | str, Any]:
    return {status: schema, **_ERRORS}


class NotFound(ServiceError):
    """The object does not exist or lies outside the caller's courts (the two are not told apart)."""

    status = 404

    def __init__(self, message: str) -> None:
        super().__init__(message, code="not_found")


# -- lookups and scoping ----------------------------------------------------------------------------


def _user(request: HttpRequest) -> Staff:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _readable_case(user: Staff, case_id: int) -> EnforcementCase:
    case = queries.get_case(user, case_id)
    if case is None:
        raise NotFound("案件不存在或无权查看")
    return case


def _writable_case(user: Staff, case_id: int) -> EnforcementCase:
    case = _readable_case(user, case_id)
    _check_writable(user, case)
    return case


def _check_writable(user: Staff, case: EnforcementCase) -> None:
    if not can_write_court(user, case.court):
        raise NotPermitted("只能办理本院案件；上级法院只能查看下级法院的案件")


def _node(user: Staff, node_id: int) -> Node:
    node = Node.objects.select_related("case__court", "node_type").filter(pk=node_id).first()
    if node is None or queries.get_case(user, node.case_id) is None:
        raise NotFound("流程节点不存在或无权查看")
    return node


def _party(user: Staff, party_id: int) -> Party:
    party = (
        Party.objects.select_related("case__court").prefetch_related("aliases").filter(pk=party_id).first()
    )
    if party is None or queries.get_case(user, party.case_id) is None:
        raise NotFound("当事人不存在或无权查看")
    return party


def _extension(user: Staff, ext_id: int) -> Extension:
    ext = Extension.objects.select_related("case__court").filter(pk=ext_id).first()
    if ext is None or queries.get_case(user, ext.case_id) is None:
        raise NotFound("延长申请不存在或无权查看")
    return ext


@contextmanager
def _api_fields(mapping: dict[str, str]) -> Iterator[None]:
    """Rename a service error's `field` to the name the API request uses for it."""
    try:
        yield
    except ServiceError as exc:
        if exc.field in mapping:
            exc.field = mapping[exc.field]
        raise


# -- output -----------------------------------------------------------------------------------------


def _staff_ref(staff: Any) -> dict[str, Any] | None:
    return {"id": staff.pk, "name": staff.get_full_name()} if staff is not None else None


def _node_out(node: Node, today: date, cal: Any) -> dict[str, Any]:
    if node.status == Node.Status.CANCELLED:
        color = "cancelled"
    else:
        color = rules.node_color(
            node.due_on, today, node.status == Node.Status.DONE, cal, node.node_type.yellow_workdays
        )
    return {
        "id": node.pk,
        "type": node.node_type.code,
        "name": node.node_type.name,
        "started_on": node.started_on,
        "due_on": node.due_on,
        "status": node.status,
        "color": color,
        "completed_on": node.completed_on,
        "completed_by": node.completed_by.get_full_name() if node.completed_by else None,
        "document_ref": node.document_ref,
        "note": node.note,
    }


def _party_out(party: Party) -> dict[str, Any]:
    return {
        "id": party.pk,
        "role": party.role,
        "role_display": party.get_role_display(),
        "kind": party.kind,
        "name": party.name,
        "id_masked": mask_id(party.identity_number),
        "is_minor": party.is_minor,
        "legal_representative": party.legal_representative,
        "former_names": [a.name for a in party.aliases.all()],
    }


def _extension_out(ext: Extension) -> dict[str, Any]:
    return {
        "id": ext.pk,
        "case_id": ext.case_id,
        "months": ext.months,
        "reason": ext.reason,
        "status": ext.status,
        "requested_by": ext.requested_by.get_full_name(),
        "requested_on": ext.requested_on,
        "decided_by": ext.decided_by.get_full_name() if ext.decided_by else None,
        "decided_on": ext.decided_on,
    }


def _case_detail(user: Staff, case_id: int, on: date | None = None) -> dict[str, Any]:
    case = _readable_case(user, case_id)
    today = timezone.localdate()
    on = on or today
    suspensions = list(case.suspensions.order_by("start", "id"))
    # Delay interest on the principal fixed by the instrument (迟延履行利息解释 Art 1), suspensions
    # excluded. Dated payments come from the case ledger once it exists; until then none are deducted.
    interest = rules.delay_interest(
        case.principal,
        case.performance_deadline,
        on,
        pauses=[rules.Pause(s.start, s.end) for s in suspensions],
    )
    cal = current_calendar()
    closing = None
    if case.closing_mode:
        closing = {
            "mode": case.closing_mode,
            "mode_display": case.get_closing_mode_display(),
            "closed_on": case.closed_on,
            "details": {k: str(v) for k, v in case.closing_details.items()},
        }
    return {
        "id": case.pk,
        "number": case.number,
        "court": case.court.code,
        "court_name": case.court.name,
        "case_type": case.case_type.code,
        "case_type_name": case.case_type.name,
        "status": case.status,
        "status_display": case.get_status_display(),
        "handler": _staff_ref(case.handler),
        "team": case.team.name if case.team else None,
        "applied_on": case.applied_on,
        "filed_on": case.filed_on,
        "assigned_on": case.assigned_on,
        "basis": {
            "instrument_type": case.instrument_type.code,
            "instrument_type_name": case.instrument_type.name,
            "issuing_body": case.issuing_body,
            "basis_number": case.basis_number,
            "effective_on": case.effective_on,
            "performance_deadline": case.performance_deadline,
            "non_litigation": case.non_litigation,
        },
        "claim": {
            "principal": money_text(case.principal),
            "adjudged_interest": money_text(case.adjudged_interest),
            "litigation_costs": money_text(case.litigation_costs),
            "application_fee": money_text(case.application_fee),
            "paid_amount": money_text(case.paid_amount),
            "claim_amount": money_text(case.claim_amount),
            "delay_interest": money_text(interest),
            "delay_interest_on": on,
        },
        "term_due": case.term_due,
        "next_due_on": case.next_due_on,
        "extension_months": case.extension_months,
        "calendar_uncertain": case.calendar_uncertain,
        "nodes": [_node_out(n, today, cal) for n in queries.case_nodes(case)],
        "parties": [_party_out(p) for p in queries.case_parties(case)],
        "suspensions": [
            {
                "id": s.pk,
                "ground": s.ground,
                "ground_display": s.get_ground_display(),
                "start": s.start,
                "end": s.end,
                "document_ref": s.document_ref,
                "resume_document_ref": s.resume_document_ref,
            }
            for s in suspensions
        ],
        "extensions": [_extension_out(e) for e in queries.pending_extensions(case)],
        "closing": closing,
        "origin": {"id": case.origin.pk, "number": case.origin.number} if case.origin else None,
        "resumed_cases": [{"id": c.pk, "number": c.number} for c in case.resumed_cases.order_by("id")],
    }


# -- reads ------------------------------------------------------------------------------------------


@router.get("/cases", response=_ok(CasePageOut), summary="案件列表（按法院范围，游标翻页）")
def list_cases(request: HttpRequest, q: Query[CaseListQuery]) -> Any:
    user = _user(request)
    cursor = q.cursor.strip()
    if cursor:
        m = _CURSOR.fullmatch(cursor)
        try:
            valid = m is not None and bool(date.fromisoformat(m.group(1)))
        except ValueError:
            valid = False
        if not valid:
            raise ServiceError("翻页游标“cursor”无效，请使用上一页返回的 next_cursor", field="cursor")
    filters = queries.CaseFilters(
        court=q.court.strip(),
        handler=q.handler,
        status=q.status.value if q.status else "",
        overdue=q.overdue,
        debtor=q.debtor.strip(),
        filed_from=q.filed_from,
        filed_to=q.filed_to,
        mine=q.mine,
    )
    page = queries.case_page(user, filters, cursor=cursor or None, size=min(q.size, MAX_PAGE_SIZE))
    today = timezone.localdate()
    items = [
        {
            "id": c.pk,
            "number": c.number,
            "court": c.court.code,
            "court_name": c.court.name,
            "case_type": c.case_type.code,
            "status": c.status,
            "status_display": c.get_status_display(),
            "handler": _staff_ref(c.handler),
            "filed_on": c.filed_on,
            "claim_amount": money_text(c.claim_amount),
            "next_due_on": c.next_due_on,
            "term_due": c.term_due,
            "overdue": bool(c.is_open and c.next_due_on and c.next_due_on < today),
            "debtors": getattr(c, "debtor_names", ""),
        }
        for c in page.rows
    ]
    return {"items": items, "next_cursor": page.next_cursor}


@router.get("/cases/{case_id}", response=_ok(CaseDetail), summary="案件详情")
def case_detail(request: HttpRequest, case_id: Path[Id], on: Query[ISODate | None] = None) -> Any:
    """`on` (YYYY-MM-DD) computes the delay interest up to that date instead of today."""
    return _case_detail(_user(request), case_id, on)


@router.get("/cases/{case_id}/parties", response=_ok(list[PartyOut]), summary="案件当事人（身份号码脱敏）")
def case_parties(request: HttpRequest, case_id: Path[Id]) -> Any:
    case = _readable_case(_user(request), case_id)
    return [_party_out(p) for p in queries.case_parties(case)]


@router.get(
    "/parties/{party_id}/identity",
    response=_ok(IdentityOut),
    summary="查看当事人完整身份信息（留痕，需相应权限）",
)
def party_identity(request: HttpRequest, party_id: Path[Id]) -> Any:
    user = _user(request)
    party = services.view_party_identity(user, _party(user, party_id))
    return {
        "id": party.pk,
        "role": party.role,
        "kind": party.kind,
        "name": party.name,
        "id_number": party.id_number,
        "credit_code": party.credit_code,
        "sex": party.sex,
        "birth_date": party.birth_date,
        "address": party.address,
        "phone": party.phone,
        "legal_representative": party.legal_representative,
        "is_minor": party.is_minor,
        "id_warnings": party.id_warnings,
        "former_names": [a.name for a in party.aliases.all()],
    }


@router.get("/supervision", response=_ok(list[SupervisionRow]), summary="节点监管：各法院、承办人超期数")
def supervision(request: HttpRequest) -> Any:
    user = _user(request)
    if not user.can(Cap.SUPERVISE):
        raise NotPermitted("仅有节点监管权限的人员可以查看")
    return [
        {
            "court": r.court.code,
            "court_name": r.court.name,
            "open_cases": r.open_cases,
            "overdue_nodes": r.overdue_nodes,
            "term_overdue": r.term_overdue,
            "handlers": [{"name": name, "overdue_nodes": n} for name, n in r.handlers],
        }
        for r in queries.overdue_counts(user)
    ]


@router.get("/reference", response=_ok(ReferenceOut), summary="参考数据（类型、节点、结案方式、中止事由）")
def reference(request: HttpRequest) -> Any:
    return {
        "case_types": [
            {"code": t.code, "name": t.name, "family": t.family, "is_resumption": t.is_resumption}
            for t in CaseType.objects.filter(active=True)
        ],
        "instrument_types": [
            {"code": t.code, "name": t.name, "non_litigation": t.non_litigation}
            for t in InstrumentType.objects.all()
        ],
        "node_types": [
            {
                "code": t.code,
                "name": t.name,
                "budget": t.budget,
                "budget_non_litigation": t.budget_non_litigation,
                "unit": t.unit,
                "anchor": t.anchor,
                "completion": t.completion,
                "auto_create": t.auto_create,
                "legal_basis": t.legal_basis,
            }
            for t in NodeType.objects.filter(active=True)
        ],
        "closing_modes": [
            {
                "code": mode.value,
                "name": mode.label,
                "fields": [
                    {
                        "name": f.name,
                        "label": f.label,
                        "kind": f.kind,
                        "choices": [{"code": c, "name": n} for c, n in f.choices],
                    }
                    for f in CLOSING_FIELDS.get(mode.value, ())
                ],
            }
            for mode in ClosingMode
        ],
        "suspension_grounds": [{"code": g.value, "name": g.label} for g in Suspension.Ground],
    }


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
        confirm_duplicate=payload.confirm_duplicate,
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
        user, case, ground=payload.ground.value, start=payload.start, document_ref=payload.document_ref
    )
    return _case_detail(user, case.pk)


@router.post("/cases/{case_id}/resume-execution", response=_ok(CaseDetail), summary="恢复执行（结束中止）")
def resume_execution(request: HttpRequest, payload: ResumeExecutionIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    services.resume_execution(user, case, on=payload.on, document_ref=payload.document_ref)
    return _case_detail(user, case.pk)


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
