"""Analytics API for leads and the debtor's record (`/api/v1/analytics/...`).

    GET  /analytics/profiles/{id}/leads        the profile's leads with state and outcome
    POST /analytics/leads/{id}/follow          {"urgent": false}: targeted query or field verification
    POST /analytics/leads/{id}/field-result    {"found", "document_ref", "note", "completed_on"}
    GET  /analytics/profiles/{id}/record       the case's register figures and the credit record

A lead or profile the caller cannot read is 404; a write on a court the caller may read but not
write, or by a role without the capability, is 403 (`NotPermitted` from the service); a lead already
followed is 409.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from zhixing.inquiry import services as inquiry_services

from . import queries, queries_record, services
from .models import PropertyLead

router = Router(tags=["analytics"])


class LeadOut(Schema):
    id: int
    profile_id: int
    case_id: int
    party_id: int
    kind: str
    lead_type: str
    counterparty: str
    target: str
    months: int
    total: Decimal
    state: str
    state_label: str
    outcome: str
    request_id: int | None
    request_status: str | None
    asset_id: int | None
    node_id: int | None
    due_on: date | None
    followed_at: datetime | None
    settled_at: datetime | None


class FollowIn(Schema):
    urgent: bool = False


class FieldResultIn(Schema):
    found: bool
    document_ref: str
    note: str
    completed_on: date | None = None


class RegisterOut(Schema):
    assets: int
    controlled: Decimal
    frozen: Decimal
    seized: Decimal
    deducted: Decimal
    released: int
    uncontrolled: int


class RecordOut(Schema):
    asset_register: RegisterOut | None
    listed: bool
    listed_on: date | None
    restrictions: list[dict[str, Any]]


def _out(lead: PropertyLead) -> LeadOut:
    return LeadOut(
        id=lead.pk,
        profile_id=lead.profile_id,
        case_id=lead.party.case_id,
        party_id=lead.party_id,
        kind=lead.kind,
        lead_type=lead.lead_type,
        counterparty=lead.counterparty,
        target=lead.target,
        months=lead.months,
        total=lead.total,
        state=lead.state,
        state_label=lead.get_state_display(),
        outcome=lead.outcome,
        request_id=lead.request_id,
        request_status=lead.request.status if lead.request_id and lead.request else None,
        asset_id=lead.asset_id,
        node_id=lead.node_id,
        due_on=lead.due_on,
        followed_at=lead.followed_at,
        settled_at=lead.settled_at,
    )


def _lead(user: Any, lead_id: int) -> PropertyLead:
    lead = queries.lead(user, lead_id)
    if lead is None:
        raise HttpError(404, "线索不存在")
    return lead


def _ref(user: Any, profile_id: int) -> tuple[Any, queries.DebtorRef]:
    p = queries.profile(user, profile_id)
    ref = queries.debtor(user, p.party.case_id, p.party_id) if p else None
    if p is None or ref is None:
        raise HttpError(404, "画像不存在")
    return p, ref


@router.get("/analytics/profiles/{profile_id}/leads", response=list[LeadOut])
def list_leads(request: HttpRequest, profile_id: int) -> Any:
    p, _ = _ref(request.auth, profile_id)  # type: ignore[attr-defined]
    return [_out(lead) for lead in queries.leads_of(p)]


@router.post("/analytics/leads/{lead_id}/follow", response=LeadOut)
def follow(request: HttpRequest, lead_id: int, body: FollowIn) -> Any:
    """The judge's click: a targeted query to the partner category covering the lead, or a
    field-verification node (7 days, 3 if `urgent`) when none does."""
    user: Any = request.auth  # type: ignore[attr-defined]
    lead = services.follow_lead(user, _lead(user, lead_id), urgent=body.urgent)
    return _out(_lead(user, lead.pk))


@router.post("/analytics/leads/{lead_id}/field-result", response=LeadOut)
def field_result(request: HttpRequest, lead_id: int, body: FieldResultIn) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    lead = services.record_field_result(
        user,
        _lead(user, lead_id),
        found=body.found,
        document_ref=body.document_ref,
        note=body.note,
        completed_on=body.completed_on,
    )
    return _out(_lead(user, lead.pk))


@router.get("/analytics/profiles/{profile_id}/record", response=RecordOut)
def record(request: HttpRequest, profile_id: int) -> Any:
    """The case's asset register figures (roles that may see the register) and the credit record."""
    user: Any = request.auth  # type: ignore[attr-defined]
    _, ref = _ref(user, profile_id)
    rec = queries_record.debtor_record(user, ref)
    if rec.register is not None:
        inquiry_services.record_register_view(user, ref.case, channel="api")
    reg = rec.register
    return RecordOut(
        asset_register=RegisterOut(
            assets=reg.assets,
            controlled=reg.controlled,
            frozen=reg.frozen,
            seized=reg.seized,
            deducted=reg.deducted,
            released=reg.released,
            uncontrolled=reg.uncontrolled,
        )
        if reg
        else None,
        listed=rec.listing is not None,
        listed_on=rec.listing.decided_on if rec.listing else None,
        restrictions=[
            {"kind": r.kind, "status": r.status, "ordered_on": r.ordered_on.isoformat()}
            for r in rec.restrictions
        ],
    )
