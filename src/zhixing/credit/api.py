"""Credit API: the public blacklist query, partner screening (`/screening/`), and staff credit actions.

Public and partner endpoints never take staff credentials: the public query has no auth and is
rate-limited per client IP; partners authenticate with their own key (`X-Partner-Key`), never a staff
token. Every screening call is audited once (one record per call, not per ID).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from zhixing.cases.models import Party
from zhixing.cases.queries import get_case
from zhixing.core.errors import ServiceError

from . import public_query, queries, queries_record, rules, services
from .api_correction import router as correction_router
from .api_exposure import router as exposure_router
from .api_proposals import ProposalOut, listing_proposal
from .api_proposals import router as proposals_router
from .api_repair import router as repair_router
from .api_screening import PartnerAuth, partner_feed
from .api_screening import router as screening_router
from .models import Listing, Partner, PrivateConsumption, Restriction
from .public import client_ip
from .schemas import (
    ConsumptionIn,
    ConsumptionOut,
    ExitFiledIn,
    ExitReviewIn,
    ExitServedIn,
    FeedOut,
    Ground1Out,
    ImpressionsIn,
    InterceptIn,
    InterceptOut,
    ListIn,
    ListingOut,
    PublicOut,
    RemoveIn,
    RestrictionOut,
    TriggerIn,
)
from .services import own_decisions
from .visibility import view_of, visible_measures

router = Router(tags=["信用惩戒"])
# Batch screening (JSON and compact formats) and privacy mode live in api_screening.
router.add_router("", screening_router)
router.add_router("", exposure_router)
router.add_router("", correction_router)
router.add_router("", proposals_router)
router.add_router("", repair_router)


@router.get("/public/blacklist", auth=None, response=PublicOut, summary="失信被执行人公开查询")
def public_blacklist(request: HttpRequest, q: str = "", id: str = "") -> dict[str, Any]:
    """By name (`q`), or by name and full ID number / credit code (`q` + `id`); never by `id` alone.

    With `id`, only that person's listings under that exact name are answered, and the query spends the
    per-client, global and per-person budgets of `public_query` (429 past any of them).
    """
    rows = public_query.search(client_ip(request), q, id)
    return {"count": len(rows), "results": rows}


# -- partner screening ----------------------------------------------------------------------
# The single check and the batch are answered by the screening gateway (credit/gateway/).
@router.get("/screening/changes", auth=PartnerAuth(), response=FeedOut, summary="变更订阅（游标）")
def screening_changes(request: HttpRequest, cursor: int = 0, limit: int = 1000) -> dict[str, Any]:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    changes, last = partner_feed(partner, cursor, limit)
    services.audit_screening(partner, "changes", asked=0, hits=len(changes), extra={"cursor": cursor})
    return {"changes": changes, "cursor": last}


@router.post("/screening/intercepts", auth=PartnerAuth(), response=InterceptOut, summary="拦截回执")
def screening_intercept(request: HttpRequest, payload: InterceptIn) -> dict[str, Any]:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    key = services.partners.normalise_subject(payload.id)
    view = view_of(partner.kind)
    mask = queries.current_index().mask_of(key) & view.mask
    row = services.record_interception(
        partner,
        subject=key,
        code=payload.restriction,
        at=payload.at,
        channel=payload.channel,
        place=payload.place,
        mask=mask,
    )
    # The receipt names the case of a measure that refuses this code, never one outside the business.
    bit = rules.CODE_BITS.get(payload.restriction, 0)
    rows = [r for r in queries.subject_details([key]).get(key, []) if r["mask"] & bit]
    shown = visible_measures(view, rows)
    return {"receipt": row.pk, "case_number": shown[0].get("case_number") if shown else None}


@router.post(
    "/screening/exposures/{notice_id}/impressions", auth=PartnerAuth(privacy=True), summary="媒体曝光回报"
)
def exposure_impressions(request: HttpRequest, notice_id: int, payload: ImpressionsIn) -> dict[str, Any]:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    if partner.kind != Partner.Kind.MEDIA:
        raise ServiceError("只有媒体单位可以回报曝光次数", field="notice_id", code="forbidden")
    notice = services.report_impressions(partner, notice_id, payload.impressions)
    return {"notice": notice.pk, "impressions": notice.impressions}


# -- staff ----------------------------------------------------------------------
class NotFound(ServiceError):
    status = 404

    def __init__(self) -> None:
        super().__init__("案件不存在或无权查看", field="case_id", code="not_found")


def _case(request: HttpRequest, case_id: int) -> Any:
    case = get_case(request.user, case_id)
    if case is None:
        raise NotFound()
    return case


@router.get("/credit/cases/{case_id}/listings", response=list[ListingOut], summary="本案失信名单")
def case_listings(request: HttpRequest, case_id: int) -> list[Listing]:
    case = _case(request, case_id)
    return list(Listing.objects.filter(case=case).order_by("-pk"))


@router.get("/credit/cases/{case_id}/ground1-check", response=Ground1Out, summary="第1项情形核查（第3条）")
def ground1_check(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """失信规定 Art 3(ii) from the asset register, before deciding: controlled total against what is owed.

    `covered` means a ground-1 listing will be refused with `refusal`; otherwise the judge confirms the
    exceptions the record cannot know (`confirm`: Art 3(i), (iii), (iv)).
    """
    case = _case(request, case_id)
    r = queries_record.ground1_record(case)
    return {
        "applicable": r.applicable,
        "controlled": r.controlled,
        "owed": r.owed,
        "covered": r.covered,
        "figures": r.figures,
        "refusal": r.refusal,
        "confirm": [] if r.covered else list(rules.GROUND1_JUDGE_CONFIRMS),
    }


@router.post(
    "/credit/cases/{case_id}/listings", response={201: ListingOut, 202: ProposalOut}, summary="纳入失信名单"
)
def create_listing(request: HttpRequest, case_id: int, payload: ListIn) -> Status:
    """Where the court president signs the decision (ADR 0015), this files the proposal (202 Accepted);
    the listing is made when he approves it (`/credit/approvals/{id}/approve`)."""
    if services.approval.approval_required("listing"):
        return Status(202, listing_proposal(request, case_id, payload))
    case = _case(request, case_id)
    party = Party.objects.filter(pk=payload.party_id, case=case).first()
    if party is None:
        raise ServiceError("被执行人不属于本案", field="party_id")
    data = services.ListingData(
        ground=payload.ground,
        dishonest_act=payload.dishonest_act,
        guarantee_confirmed=payload.guarantee_confirmed,
        order_confirmed=payload.order_confirmed,
        ability_confirmed=payload.ability_confirmed,
        serious=payload.serious,
        extension_years=payload.extension_years,
        grace_months=payload.grace_months,
    )
    # The judge signs it himself (ADR 0015): recorded as a signed decision whose service is then recorded.
    return Status(201, own_decisions.decide_listing(request.user, case, party, data).listing)


@router.post("/credit/listings/{listing_id}/remove", response=ListingOut, summary="删除失信信息")
def remove(request: HttpRequest, listing_id: int, payload: RemoveIn) -> Listing:
    listing = Listing.objects.filter(pk=listing_id).first()
    if listing is None:
        raise NotFound()
    _case(request, listing.case_id)
    return services.remove_listing(
        request.user, listing, trigger=payload.trigger, trigger_on=payload.trigger_on, note=payload.note
    )


@router.post("/credit/listings/{listing_id}/trigger", response=ListingOut, summary="登记删除事由")
def record_trigger(request: HttpRequest, listing_id: int, payload: TriggerIn) -> Listing:
    """Record a removal trigger (e.g. the applicant's request granted); deleted within 3 working days."""
    listing = Listing.objects.filter(pk=listing_id).first()
    if listing is None:
        raise NotFound()
    _case(request, listing.case_id)
    return services.record_trigger(
        request.user, listing, trigger=payload.trigger, trigger_on=payload.trigger_on
    )


def _exit(request: HttpRequest, restriction_id: int) -> Restriction:
    r = Restriction.objects.filter(pk=restriction_id).first()
    if r is None:
        raise NotFound()
    _case(request, r.case_id)
    return r


@router.post(
    "/credit/restrictions/{restriction_id}/served", response=RestrictionOut, summary="登记出境决定送达"
)
def exit_served(request: HttpRequest, restriction_id: int, payload: ExitServedIn) -> Restriction:
    r = _exit(request, restriction_id)
    return services.record_exit_service(request.user, r, served_on=payload.served_on, method=payload.method)


@router.post(
    "/credit/restrictions/{restriction_id}/reconsideration", response=RestrictionOut, summary="登记复议申请"
)
def exit_reconsideration(request: HttpRequest, restriction_id: int, payload: ExitFiledIn) -> Restriction:
    r = _exit(request, restriction_id)
    return services.file_exit_reconsideration(request.user, r, filed_on=payload.filed_on)


@router.post("/credit/restrictions/{restriction_id}/review", response=RestrictionOut, summary="登记复议结果")
def exit_review(request: HttpRequest, restriction_id: int, payload: ExitReviewIn) -> Restriction:
    r = _exit(request, restriction_id)
    return services.decide_exit_reconsideration(
        request.user, r, result=payload.result, decided_on=payload.decided_on
    )


@router.post(
    "/credit/restrictions/{restriction_id}/consumption",
    response={201: ConsumptionOut},
    summary="审查私人消费、必需消费申请",
)
def private_consumption(
    request: HttpRequest, restriction_id: int, payload: ConsumptionIn
) -> Status[PrivateConsumption]:
    """Record the decision; a granted window frees its codes for partners (限制消费规定 Arts 3(2), 8)."""
    r = _exit(request, restriction_id)
    return Status(
        201,
        services.decide_private_consumption(
            request.user,
            r,
            applied_on=payload.applied_on,
            purpose=payload.purpose,
            granted=payload.granted,
            reason=payload.reason,
            codes=payload.codes,
            valid_from=payload.valid_from,
            valid_until=payload.valid_until,
        ),
    )
