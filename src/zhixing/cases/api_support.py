"""Shared pieces of the cases API: the router, scoped look-ups (404/403) and response builders."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.identity import mask_id
from zhixing.courts.models import Staff
from zhixing.courts.queries import can_write_court

from . import queries, queries_term, rules
from .models import (
    EnforcementCase,
    ExcludedPeriod,
    Extension,
    Node,
    Party,
)
from .queries_schedule import case_schedule
from .schemas import (
    ErrorOut,
)
from .schemas_out import (
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


def _excluded(user: Staff, period_id: int) -> ExcludedPeriod:
    period = ExcludedPeriod.objects.select_related("case__court").filter(pk=period_id).first()
    if period is None or queries.get_case(user, period.case_id) is None:
        raise NotFound("期间记录不存在或无权查看")
    return period


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
        "event": node.event,
        "link_url": node.link_url,
        "link_label": node.link_label,
    }


def _party_out(party: Party) -> dict[str, Any]:
    return {
        "id": party.pk,
        "role": party.role,
        "role_display": party.get_role_display(),
        "kind": party.kind,
        "name": party.name,
        "id_type": party.id_type,
        "id_type_display": party.get_id_type_display(),
        "nationality": party.nationality,
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
        "sequence": ext.sequence,
        "reported_to": ext.reported_to.code if ext.reported_to else None,
        "reported_on": ext.reported_on,
    }


def _case_detail(user: Staff, case_id: int, on: date | None = None) -> dict[str, Any]:
    case = _readable_case(user, case_id)
    today = timezone.localdate()
    on = on or today
    suspensions = list(case.suspensions.order_by("start", "id"))
    # Doubled delay interest from the case's schedule (迟延履行利息解释 Arts 1–4): only the periods
    # Art 3(3) names are excluded; payments applied in the legal or agreed order; 执恢 carries the original.
    interest = case_schedule(case, on).schedule.doubled_total
    cal = current_calendar()
    kind = queries_term.claim_kind(case)
    limitation = queries_term.limitation_of(case)
    higher = queries_term.higher_court_of(case, suspensions)
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
            "interest_rate": str(case.interest_rate) if case.interest_rate is not None else None,
            "interest_from": case.interest_from,
            "instalments": [
                {"seq": str(i.seq), "due_on": i.due_on.isoformat(), "amount": money_text(i.amount)}
                for i in case.instalments.all()
            ],
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
            "obligation": kind.obligation,
            "obligation_display": kind.label,
            "obligation_detail": kind.detail,
            "delay_charge": "由法院确定" if not kind.money else "",
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
        "excluded_periods": [
            {
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
            for p in queries_term.excluded_periods(case)
        ],
        "limitation": {
            "last_day": limitation.last_day,
            "expired": limitation.expired,
            "message": limitation.message,
        },
        "higher_court": {"last_day": higher.last_day, "may_apply_from": higher.may_apply_from},
        "extensions": [_extension_out(e) for e in queries.pending_extensions(case)],
        "closing": closing,
        "origin": {"id": case.origin.pk, "number": case.origin.number} if case.origin else None,
        "resumed_cases": [{"id": c.pk, "number": c.number} for c in case.resumed_cases.order_by("id")],
    }


# -- reads ------------------------------------------------------------------------------------------
