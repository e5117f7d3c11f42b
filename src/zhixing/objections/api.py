"""Objections API (`/api/v1/objections/...`): a case's objections, filing a third-party objection at the
counter, the ruling, its service, the suit (filed, ended with its outcome), the retrial route instead of a
suit (filed, decided), whether an asset may be disposed of, and statistics.

Court scoping as everywhere: a case or objection the caller cannot read is 404; an action the caller's
role or court may not take is 403; bad input is 400 naming the field (the platform's ServiceError body).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from zhixing.cases.queries import get_case
from zhixing.core import disposal_guards
from zhixing.core.errors import NotPermitted
from zhixing.courts.queries import readable_object
from zhixing.inquiry.models import Asset

from . import access, acts, distribution, notices, queries, services
from .models import Objection

router = Router(tags=["执行异议"])


class ObjectionOut(Schema):
    id: int
    number: str
    case_id: int
    case_number: str
    kind: str
    asset_id: int | None
    objector_name: str
    objector_id_masked: str
    channel: str
    received_on: str
    decision_due: str
    status: str
    decided_on: str | None
    served_on: str | None
    suit_due: str | None
    suit_state: str
    suit_number: str
    suit_filed_on: str | None
    suit_ended_on: str | None
    suit_outcome: str
    final_on: str | None
    retrial_state: str
    retrial_filed_on: str | None
    retrial_court: str
    retrial_number: str
    retrial_decided_on: str | None
    retrial_document_ref: str
    blocks_disposal: str
    act_type: str
    act_id: int | None
    act_label: str
    review_due: str | None
    review_status: str
    review_court_id: int | None
    review_decision_due: str | None
    notify_due: str
    notified_on: str | None
    notice_method: str
    service_due: str | None


class ThirdPartyIn(Schema):
    asset_id: int
    objector_name: str
    objector_id_number: str
    claim: str
    grounds: str
    objector_phone: str = ""
    received_on: str = ""


class ActObjectionIn(Schema):
    """A party's objection (`party_id`), or an interested person's (利害关系人: no `party_id`, with
    `objector_name`, `objector_id_number` and the interest claimed in `claim`)."""

    act_type: str
    act_id: int = Field(..., ge=1, le=2_147_483_647)
    party_id: int | None = Field(None, ge=1, le=2_147_483_647)
    grounds: str
    received_on: str = ""
    objector_name: str = ""
    objector_id_number: str = ""
    objector_phone: str = ""
    claim: str = ""


class NoticeIn(Schema):
    notified_on: str
    method: str


class ObjectionReviewIn(Schema):
    filed_on: str


class ReviewDecisionIn(Schema):
    upheld: bool


class ObjectionDecisionIn(Schema):
    upheld: bool
    panel: list[int]
    reason: str


class ObjectionServiceIn(Schema):
    served_on: str


class ObjectionSuitIn(Schema):
    filed_on: str
    number: str


class RefusalsOut(Schema):
    asset_id: int
    refusals: list[str]


class StatisticsOut(Schema):
    filed: int
    pending: int
    upheld: int
    rejected: int
    withdrawn: int
    decided_late: int
    average_days: float | None
    act_filed: int
    act_upheld: int
    reviews_filed: int
    reviews_pending: int


def _iso(d: Any) -> str | None:
    return d.isoformat() if d else None


def out(o: Objection) -> dict[str, Any]:
    return {
        "id": o.pk,
        "number": o.number,
        "case_id": o.case_id,
        "case_number": o.case.number,
        "kind": o.kind,
        "asset_id": o.asset_id,
        "objector_name": o.objector_name,
        "objector_id_masked": queries.masked_id(o),
        "channel": o.channel,
        "received_on": o.received_on.isoformat(),
        "decision_due": o.decision_due.isoformat(),
        "status": o.status,
        "decided_on": _iso(o.decided_on),
        "served_on": _iso(o.served_on),
        "suit_due": _iso(o.suit_due),
        "suit_state": o.suit_state,
        "suit_number": o.suit_number,
        "suit_filed_on": _iso(o.suit_filed_on),
        "suit_ended_on": _iso(o.suit_ended_on),
        "suit_outcome": o.suit_outcome,
        "final_on": _iso(o.final_on),
        "retrial_state": o.retrial_state,
        "retrial_filed_on": _iso(o.retrial_filed_on),
        "retrial_court": o.retrial_court,
        "retrial_number": o.retrial_number,
        "retrial_decided_on": _iso(o.retrial_decided_on),
        "retrial_document_ref": o.retrial_document_ref,
        "blocks_disposal": queries.block_reasons(o),
        "act_type": o.act_type,
        "act_id": o.act_id,
        "act_label": o.act_label,
        "review_due": _iso(o.review_due),
        "review_status": o.review_status,
        "review_court_id": o.review_court_id,
        "review_decision_due": _iso(o.review_decision_due),
        "notify_due": o.notify_due.isoformat(),
        "notified_on": _iso(o.notified_on),
        "notice_method": o.notice_method,
        "service_due": _iso(o.service_due),
    }


def _objection(request: HttpRequest, pk: int) -> Objection:
    o = readable_object(request.user, Objection.objects.select_related("court", "case"), pk)
    if o is None:
        raise HttpError(404, "异议不存在或不在您所在法院的查看范围内")
    return o


def _run(call: Any) -> Any:
    try:
        return call()
    except NotPermitted as exc:
        raise HttpError(403, str(exc)) from exc


@router.get("/objections/cases/{case_id}", response=list[ObjectionOut])
def case_objections(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = get_case(request.user, case_id)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    return [out(o) for o in queries.for_case(case)]


@router.post("/objections/cases/{case_id}/third-party", response={201: ObjectionOut})
def file_third_party(request: HttpRequest, case_id: int, body: ThirdPartyIn) -> Status:
    case = get_case(request.user, case_id)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    data = services.ObjectorData(
        body.objector_name, body.objector_id_number, body.claim, body.grounds, body.objector_phone
    )
    o = _run(
        lambda: services.file_third_party(
            request.user, case, body.asset_id, data, received_on=body.received_on or None
        )
    )
    return Status(201, out(o))


@router.post("/objections/cases/{case_id}/act", response={201: ObjectionOut})
def file_act(request: HttpRequest, case_id: int, body: ActObjectionIn) -> Status:
    """An objection to one act of the case (CPL-2023 Art 236) by a party or an interested person, filed at
    the counter; the parties are told at once where they consented to electronic service."""
    case = get_case(request.user, case_id)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    outsider = None
    if body.party_id is None:
        outsider = services.ObjectorData(
            body.objector_name, body.objector_id_number, body.claim, "", body.objector_phone
        )
    o = _run(
        lambda: acts.file_act_objection(
            request.user,
            case,
            act_type=body.act_type,
            act_id=body.act_id,
            party_id=body.party_id,
            grounds=body.grounds,
            received_on=body.received_on or None,
            interested=outsider,
        )
    )
    return Status(201, out(o))


class DistributionObjectionIn(Schema):
    """A party's objection to one claim of a distribution plan (the act `distribution:<plan_id>`)."""

    plan_id: int = Field(..., ge=1, le=2_147_483_647)
    party_id: int = Field(..., ge=1, le=2_147_483_647)
    claim_id: int = Field(..., ge=1, le=2_147_483_647)
    proposed_amount: str
    grounds: str
    received_on: str = ""


class DistributionObjectionOut(Schema):
    plan_id: int
    objection_id: int
    by_name: str
    received_on: str
    counter_due: str
    disputed: str
    state: str


@router.post("/objections/cases/{case_id}/distribution", response={201: DistributionObjectionOut})
def file_distribution(request: HttpRequest, case_id: int, body: DistributionObjectionIn) -> Status:
    """An objection to a distribution plan filed at the counter: routed into the plan's own procedure
    (SPC-CPL-Interp 509–510 (2022)); the disputed amount is withheld from payouts from now on."""
    case = get_case(request.user, case_id)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    o = _run(
        lambda: distribution.file(
            request.user,
            case,
            plan_id=body.plan_id,
            party_id=body.party_id,
            claim_id=body.claim_id,
            proposed_amount=body.proposed_amount,
            grounds=body.grounds,
            received_on=body.received_on or None,
        )
    )
    return Status(
        201,
        {
            "plan_id": o.plan_id,
            "objection_id": o.pk,
            "by_name": o.by_name,
            "received_on": o.received_on.isoformat(),
            "counter_due": o.counter_due.isoformat(),
            "disputed": str(o.disputed),
            "state": o.state,
        },
    )


@router.get("/objections/statistics", response=StatisticsOut)
def statistics(request: HttpRequest) -> Any:
    if not access.can_supervise(request.user):
        raise HttpError(403, "执行异议统计仅限执行局局长、院长和指挥中心")
    return queries.statistics(request.user)


@router.get("/objections/assets/{asset_id}/refusals", response=RefusalsOut)
def refusals(request: HttpRequest, asset_id: int) -> dict[str, Any]:
    """Why an asset may not be disposed of now (every registered guard; empty = free)."""
    asset = readable_object(
        request.user, Asset.objects.select_related("case__court"), asset_id, "case__court"
    )
    if asset is None:
        raise HttpError(404, "财产不存在或不在您所在法院的查看范围内")
    return {"asset_id": asset.pk, "refusals": disposal_guards.refusals(asset.pk)}


@router.get("/objections/{pk}", response=ObjectionOut)
def detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return out(_objection(request, pk))


@router.post("/objections/{pk}/decision", response=ObjectionOut)
def decide(request: HttpRequest, pk: int, body: ObjectionDecisionIn) -> dict[str, Any]:
    o = _objection(request, pk)
    return out(
        _run(
            lambda: services.decide(
                request.user, o, upheld=body.upheld, panel_ids=body.panel, reason=body.reason
            )
        )
    )


@router.post("/objections/{pk}/service", response=ObjectionOut)
def service(request: HttpRequest, pk: int, body: ObjectionServiceIn) -> dict[str, Any]:
    o = _objection(request, pk)
    return out(_run(lambda: services.record_service(request.user, o, body.served_on)))


@router.post("/objections/{pk}/suit", response=ObjectionOut)
def suit(request: HttpRequest, pk: int, body: ObjectionSuitIn) -> dict[str, Any]:
    o = _objection(request, pk)
    return out(
        _run(lambda: services.record_suit(request.user, o, filed_on=body.filed_on, number=body.number))
    )


@router.post("/objections/{pk}/review", response=ObjectionOut)
def review(request: HttpRequest, pk: int, body: ObjectionReviewIn) -> dict[str, Any]:
    """Record a 复议 application (within 10 days of the ruling's service; field `review_filed_on`)."""
    o = _objection(request, pk)
    return out(_run(lambda: acts.file_review(request.user, o, filed_on=body.filed_on)))


@router.post("/objections/{pk}/review-decision", response=ObjectionOut)
def review_decision(request: HttpRequest, pk: int, body: ReviewDecisionIn) -> dict[str, Any]:
    """The higher court's 复议 decision (only that court's judges or director)."""
    o = _objection(request, pk)
    return out(_run(lambda: acts.decide_review(request.user, o, upheld=body.upheld)))


@router.post("/objections/{pk}/notice", response=ObjectionOut)
def notice(request: HttpRequest, pk: int, body: NoticeIn) -> dict[str, Any]:
    """Record that the parties were told of the filing by other means (执行异议复议规定 Art 2)."""
    o = _objection(request, pk)
    return out(
        _run(lambda: notices.record_notice(request.user, o, notified_on=body.notified_on, method=body.method))
    )


# The suit's end and the retrial route register on the same router.
from . import api_outcomes  # noqa: E402, F401
