"""Measures API (`/api/v1/measures/...`): a case's proposals and consequences, deciding a proposal,
retrying a failed consequence, the court-wide queue and the consequence table.

Court scoping as everywhere: a case or proposal the caller cannot read is 404; a decision the caller's
role or court may not take is 403 with the reason.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from zhixing.cases.queries import get_case
from zhixing.core.errors import Conflict, NotPermitted
from zhixing.courts.queries import readable_object

from . import queries, services
from .models import Consequence, Proposal

router = Router(tags=["措施联动"])


class MeasuresProposalOut(Schema):
    id: int
    case_id: int
    case_number: str
    event: str
    event_label: str
    measure: str
    measure_label: str
    action: str
    article: str
    summary: str
    targets: list[Any]
    status: str
    decline_reason: str
    created_at: str
    decided_at: str | None


class RequestState(Schema):
    id: int
    status: str
    reason: str


class ConsequenceOut(Schema):
    id: int
    event: str
    event_label: str
    measure: str
    measure_label: str
    action: str
    article: str
    summary: str
    status: str
    error: str
    attempts: int
    proposal_id: int | None
    requests: list[RequestState]
    created_at: str


class CaseMeasuresOut(Schema):
    proposals: list[MeasuresProposalOut]
    consequences: list[ConsequenceOut]


class DeclineIn(Schema):
    reason: str


class CellOut(Schema):
    measure: str
    label: str
    action: str
    decider: str
    article: str
    source: str
    configurable: bool


class MeasuresRowOut(Schema):
    event: str
    label: str
    cells: list[CellOut]


def proposal_out(p: Proposal) -> dict[str, Any]:
    return {
        "id": p.pk,
        "case_id": p.case_id,
        "case_number": p.case.number,
        "event": p.event,
        "event_label": queries.event_label(p.event),
        "measure": p.measure,
        "measure_label": queries.measure_label(p.measure),
        "action": p.action,
        "article": p.article,
        "summary": p.summary,
        "targets": p.targets,
        "status": p.status,
        "decline_reason": p.decline_reason,
        "created_at": p.created_at.isoformat(),
        "decided_at": p.decided_at.isoformat() if p.decided_at else None,
    }


def consequence_out(c: queries.ConsequenceRow) -> dict[str, Any]:
    r = c.row
    return {
        "id": r.pk,
        "event": r.event,
        "event_label": queries.event_label(r.event),
        "measure": r.measure,
        "measure_label": queries.measure_label(r.measure),
        "action": r.action,
        "article": r.article,
        "summary": r.summary,
        "status": r.status,
        "error": r.error,
        "attempts": r.attempts,
        "proposal_id": r.proposal_id,
        "requests": [{"id": i, "status": s, "reason": why} for i, s, why in c.requests],
        "created_at": r.created_at.isoformat(),
    }


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    p = readable_object(request.user, Proposal.objects.select_related("case__court", "court"), pk)
    if p is None:
        raise HttpError(404, "建议不存在或无权查看")
    return p


def _decide(call: Any) -> Any:
    try:
        return call()
    except NotPermitted as exc:
        raise HttpError(403, str(exc)) from exc
    except Conflict as exc:
        raise HttpError(409, str(exc)) from exc


@router.get("/measures/cases/{pk}", response=CaseMeasuresOut)
def case_measures(request: HttpRequest, pk: int) -> dict[str, Any]:
    case = get_case(request.user, pk)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    return {
        "proposals": [proposal_out(p) for p in queries.case_proposals(case)],
        "consequences": [consequence_out(c) for c in queries.case_consequences(case)],
    }


@router.post("/measures/proposals/{pk}/accept", response=CaseMeasuresOut)
def accept(request: HttpRequest, pk: int) -> dict[str, Any]:
    p = _proposal(request, pk)
    _decide(lambda: services.accept(request.user, p))
    return case_measures(request, p.case_id)


@router.post("/measures/proposals/{pk}/decline", response=MeasuresProposalOut)
def decline(request: HttpRequest, pk: int, payload: DeclineIn) -> dict[str, Any]:
    p = _proposal(request, pk)
    return proposal_out(_decide(lambda: services.decline(request.user, p, payload.reason)))


@router.post("/measures/consequences/{pk}/retry", response=CaseMeasuresOut)
def retry(request: HttpRequest, pk: int) -> dict[str, Any]:
    c = readable_object(request.user, Consequence.objects.select_related("case__court", "court"), pk)
    if c is None:
        raise HttpError(404, "联动记录不存在或无权查看")
    _decide(lambda: services.retry(request.user, c))
    return case_measures(request, c.case_id)


@router.get("/measures/proposals", response=list[MeasuresProposalOut])
def proposal_queue(request: HttpRequest) -> list[dict[str, Any]]:
    return [proposal_out(p) for p in queries.queue(request.user)[:500]]


@router.get("/measures/table", response=list[MeasuresRowOut])
def consequence_table(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"event": ev, "label": label, "cells": [c.__dict__ for c in cells]}
        for ev, label, cells in queries.table_rows()
    ]
