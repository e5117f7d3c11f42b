"""Triage API (`/api/v1/inquiry/...triage...`): the case's proposal and decision, flags, the queue.

Court scoping as everywhere: 404 for a case the caller cannot read, 403 for what their role or court may
not do (decide: the case's own bureau; flags: the case's court; designation: a court above it).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from zhixing.cases.models import EnforcementCase
from zhixing.cases.queries import get_case
from zhixing.core.errors import NotPermitted

from . import access, queries_triage, services
from .models import CaseTriage, TriageFlag

router = Router(tags=["繁简分流"])


class ReasonOut(Schema):
    code: str
    text: str
    source: str
    recorded: bool


class FlagOut(Schema):
    kind: str
    label: str
    note: str
    set_by: str
    court: str
    set_at: str
    cleared_at: str | None = None
    clear_reason: str = ""


class TermOut(Schema):
    name: str
    started_on: str
    due_on: str | None
    status: str


class TriageOut(Schema):
    case: int
    number: str
    status: str
    proposed: str
    reasons: list[ReasonOut]
    also: list[ReasonOut]
    waiting: str
    rounds: int
    evaluated_at: str | None
    track: str
    override_reason: str
    decided_by: str | None
    decided_at: str | None
    effects: dict[str, str]
    team: str | None
    handler: str | None
    term: TermOut | None
    flags: list[FlagOut]


class TriageDecisionIn(Schema):
    track: str
    reason: str = ""


class FlagIn(Schema):
    kind: str
    note: str


class ClearIn(Schema):
    kind: str
    reason: str


class QueueOut(Schema):
    case: int
    number: str
    court: str
    team: str | None
    handler: str | None
    proposed: str
    reasons: list[ReasonOut]
    track: str
    evaluated_at: str | None


def _case(request: HttpRequest, pk: int) -> EnforcementCase:
    case = get_case(request.user, pk)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    return case


def _iso(v: Any) -> str | None:
    return v.isoformat() if v else None


def _flag(f: TriageFlag) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "label": f.get_kind_display(),
        "note": f.note,
        "set_by": str(f.set_by),
        "court": f.set_by_court.name,
        "set_at": f.set_at.isoformat(),
        "cleared_at": _iso(f.cleared_at),
        "clear_reason": f.clear_reason,
    }


def _out(case: EnforcementCase) -> dict[str, Any]:
    case.refresh_from_db()
    view = queries_triage.case_view(case)
    t: CaseTriage | None = view.triage
    term = view.term
    return {
        "case": case.pk,
        "number": case.number,
        "status": t.status if t else "none",
        "proposed": t.proposed if t else "",
        "reasons": t.reasons if t else [],
        "also": t.also if t else [],
        "waiting": t.waiting if t else "首轮网络查控尚未完成",
        "rounds": t.rounds if t else 0,
        "evaluated_at": _iso(t.evaluated_at) if t else None,
        "track": t.track if t else "",
        "override_reason": t.override_reason if t else "",
        "decided_by": str(t.decided_by) if t and t.decided_by else None,
        "decided_at": _iso(t.decided_at) if t else None,
        "effects": {k: str(v) for k, v in (t.effects or {}).items()} if t else {},
        "team": case.team.name if case.team else None,
        "handler": str(case.handler) if case.handler else None,
        "term": (
            {
                "name": term.node_type.name,
                "started_on": term.started_on.isoformat(),
                "due_on": _iso(term.due_on),
                "status": term.status,
            }
            if term
            else None
        ),
        "flags": [_flag(f) for f in view.flags],
    }


@router.get("/inquiry/cases/{pk}/triage", response=TriageOut)
def triage(request: HttpRequest, pk: int) -> dict[str, Any]:
    case = _case(request, pk)
    if not access.can_view_triage(request.user, case.court):
        raise NotPermitted(access.TRIAGE_REFUSED)
    return _out(case)


@router.post("/inquiry/cases/{pk}/triage/decision", response=TriageOut)
def decision(request: HttpRequest, pk: int, payload: TriageDecisionIn) -> dict[str, Any]:
    case = _case(request, pk)
    services.decide(request.user, case, payload.track, payload.reason)
    return _out(case)


@router.post("/inquiry/cases/{pk}/triage/flags", response={201: FlagOut})
def set_flag(request: HttpRequest, pk: int, payload: FlagIn) -> Status:
    case = _case(request, pk)
    return Status(201, _flag(services.set_flag(request.user, case, payload.kind, payload.note)))


@router.post("/inquiry/cases/{pk}/triage/flags/clear", response=FlagOut)
def clear_flag(request: HttpRequest, pk: int, payload: ClearIn) -> dict[str, Any]:
    case = _case(request, pk)
    return _flag(services.clear_flag(request.user, case, payload.kind, payload.reason))


@router.get("/inquiry/triage/queue", response=list[QueueOut])
def queue(request: HttpRequest) -> list[dict[str, Any]]:
    if not access.can_see_triage_queue(request.user):
        raise NotPermitted(access.QUEUE_REFUSED)
    return [
        {
            "case": t.case_id,
            "number": t.case.number,
            "court": t.court.name,
            "team": t.case.team.name if t.case.team else None,
            "handler": str(t.case.handler) if t.case.handler else None,
            "proposed": t.proposed,
            "reasons": t.reasons,
            "track": t.track,
            "evaluated_at": _iso(t.evaluated_at),
        }
        for t in queries_triage.queue(request.user)
    ]
