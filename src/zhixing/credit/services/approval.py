"""Credit decisions signed by the court president: proposal, approval or rejection, service on the debtor.

A judge proposes a 纳入失信决定书 or a 限制消费令 (`propose_listing`, `propose_consumption`); every refusal
the decision itself would meet is raised at once, so a proposal the president sees is one that can be
issued. The president of the same court approves (`approve`: the measure is issued in that transaction,
signed by him, and the listing enters screening) or rejects with a reason. Service on the debtor
(`record_service`) dates the decision's periods: the 限制消费令 binds from service (after any grace
counted from service), and the listing's grace before publication is counted from service.
Which decisions need the president is configuration (`approval_required`, ADR 0015).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.notify import notify, notify_all
from zhixing.courts.models import Staff
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap, Role

from .. import rules
from ..models import Listing, ListingApplication, Proposal, Restriction
from .access import require_write
from .listing import ListingData, check_listing, issue_listing
from .register import refresh_subject
from .restrictions import (
    BoundPerson,
    _check_bound,
    _open_case,
    check_grace,
    impose_consumption,
    notice_period_check,
)


def approval_required(kind: str) -> bool:
    """Whether a decision of `kind` (listing / consumption) needs the court president's signature; any
    other kind (the exit restriction) is the judge's."""
    conf = getattr(settings, "ZHIXING_CREDIT_DECISIONS", {}).get("president_approval", {})
    if kind not in rules.PRESIDENT_APPROVAL_DEFAULT:
        return False
    return bool({**rules.PRESIDENT_APPROVAL_DEFAULT, **conf}[kind])


def may_approve(user: Any, court: Any) -> bool:
    can = getattr(user, "can", None)
    return bool(
        getattr(user, "is_active", False)
        and can is not None
        and can(Cap.CREDIT_APPROVE)
        and can_write_court(user, court)
    )


def require_approve(user: Any, court: Any) -> None:
    if not can_write_court(user, court):
        raise NotPermitted("只能审批本院的信用惩戒决定")
    if not may_approve(user, court):
        raise NotPermitted("只有院长可以签发纳入失信决定书和限制消费令")


def _bound_json(persons: list[BoundPerson]) -> list[dict[str, str]]:
    return [{"bound": p.bound, "name": p.name, "id_number": p.id_number} for p in persons]


def _bound_of(rows: list[dict[str, str]]) -> list[BoundPerson]:
    return [BoundPerson(bound=r["bound"], name=r["name"], id_number=r["id_number"]) for r in rows]


def listing_data(p: Proposal) -> ListingData:
    d = p.data
    app = ListingApplication.objects.filter(pk=d["application"]).first() if d.get("application") else None
    return ListingData(
        ground=d["ground"],
        dishonest_act=d["dishonest_act"],
        initiation=d.get("initiation", Listing.Initiation.EX_OFFICIO),
        application=app,
        guarantee_confirmed=d.get("guarantee_confirmed", False),
        order_confirmed=d.get("order_confirmed", False),
        ability_confirmed=d.get("ability_confirmed", False),
        serious=d.get("serious", False),
        extension_years=d.get("extension_years", 0),
        grace_months=d.get("grace_months", 0),
        bound_persons=_bound_of(d.get("bound_persons", [])),
    )


def _presidents(court_id: int) -> list[Staff]:
    return list(Staff.objects.filter(court_id=court_id, role=Role.PRESIDENT, is_active=True))


def _create(
    actor: Any,
    kind: str,
    case: EnforcementCase,
    party: Party,
    data: dict[str, Any],
    summary: str,
    own: bool = False,
) -> Proposal:
    with transaction.atomic():
        if Proposal.objects.filter(party=party, kind=kind, status=Proposal.Status.PENDING).exists():
            raise Conflict("该被执行人已有待院长审批的同类决定", field="party")
        p = Proposal.objects.create(
            kind=kind,
            case=case,
            party=party,
            court=case.court,
            data=data,
            summary=summary[:300],
            proposed_by=actor,
            proposed_on=timezone.localdate(),
            grace_months=int(data.get("grace_months", 0)),
        )
        if own:  # the judge signs it himself in the caller's transaction, audited there (`own_decisions`)
            return p
        audit.record(
            actor,
            "credit.propose",
            object_type="Proposal",
            object_id=p.pk,
            case_id=case.pk,
            after={"decision": kind, "party": party.pk, "summary": p.summary},
        )
        notify_all(
            _presidents(case.court_id),
            "credit.proposal",
            f"待审批：{p.get_kind_display()}（{case.number}，{party.name}）",
            reverse("credit_proposal", args=[p.pk]),
            source=f"credit.Proposal:{p.pk}",
        )
    return p


def propose_listing(
    actor: Any, case: EnforcementCase, party: Party, data: ListingData, *, own: bool = False
) -> Proposal:
    """A judge proposes listing a debtor; the decision's own refusals are raised now, nothing is listed."""
    require_write(actor, case.court)
    check_listing(case, party, data, timezone.localdate())
    _bound_persons_ok(party, data.bound_persons)
    if Listing.objects.filter(party=party, status=Listing.Status.ACTIVE).exists():
        raise Conflict("该被执行人已在本案失信名单中", field="party")
    assert data.ground is not None
    payload = {
        "ground": data.ground,
        "dishonest_act": data.dishonest_act.strip()[:300],
        "initiation": data.initiation,
        "application": data.application.pk if data.application else None,
        "guarantee_confirmed": data.guarantee_confirmed,
        "order_confirmed": data.order_confirmed,
        "ability_confirmed": data.ability_confirmed,
        "serious": data.serious,
        "extension_years": data.extension_years,
        "grace_months": data.grace_months,
        "bound_persons": _bound_json(data.bound_persons),
    }
    term = rules.term_years(data.ground, data.extension_years)
    summary = (
        f"纳入失信名单：第{data.ground}项 {rules.GROUNDS[data.ground]}；"
        f"具体行为：{payload['dishonest_act']}；"
        f"期限：{'无固定期限' if term is None else f'{term}年'}；"
        f"宽限期：{data.grace_months or '不设'}{'个月' if data.grace_months else ''}；同时限制消费"
    )
    return _create(actor, Proposal.Kind.LISTING, case, party, payload, summary, own)


def _bound_persons_ok(party: Party, persons: list[BoundPerson]) -> None:
    _check_bound(party, persons, timezone.localdate())


def propose_consumption(
    actor: Any,
    case: EnforcementCase,
    party: Party,
    *,
    items: list[int],
    bound_persons: list[BoundPerson],
    grace_months: int = 0,
    initiation: str = "ex_officio",
    own: bool = False,
) -> Proposal:
    """A judge proposes a 限制消费令 (on the applicant's written application or ex officio, 限制消费规定
    Art 4); the president signs it (Art 5)."""
    require_write(actor, case.court)
    _open_case(case, party)
    check_grace(grace_months)
    if message := rules.initiation_refusal(initiation):  # rule
        raise ServiceError(message, field="initiation")
    notice_period_check(case, timezone.localdate())  # 限消规定 Art 1(1)
    if not items or any(i not in rules.CONSUMPTION_ITEMS for i in items):
        raise ServiceError("请选择限制消费事项（第1至9项）", field="items")
    _bound_persons_ok(party, bound_persons)
    if Restriction.objects.filter(
        case=case, party=party, kind=Restriction.Kind.CONSUMPTION, status=Restriction.Status.ACTIVE
    ).exists():
        raise Conflict("本案已对该被执行人发出限制消费令", field="party")
    chosen = sorted(set(items))
    payload = {
        "items": chosen,
        "grace_months": grace_months,
        "bound_persons": _bound_json(bound_persons),
        "initiation": initiation,
    }
    summary = (
        f"限制消费令（{rules.INITIATIONS[initiation]}）：第{'、'.join(str(i) for i in chosen)}项；"
        f"宽限期：{grace_months or '不设'}{'个月' if grace_months else ''}"
        + (f"；同时限制{'、'.join(p.name for p in bound_persons)}" if bound_persons else "")
    )
    return _create(actor, Proposal.Kind.CONSUMPTION, case, party, payload, summary, own)


def _locked_pending(proposal: Proposal) -> Proposal:
    locked = (
        Proposal.objects.select_for_update(of=("self",)).select_related("case", "party").get(pk=proposal.pk)
    )
    if locked.status != Proposal.Status.PENDING:
        raise Conflict(f"该决定已{locked.get_status_display()}", field="proposal")
    return locked


def approve(actor: Any, proposal: Proposal) -> Proposal:
    """The court president signs: the measure is issued now, with the president as signer."""
    require_approve(actor, proposal.court)
    return issue_signed(actor, proposal, "院长", "credit.approve")


def issue_signed(actor: Any, proposal: Proposal, title: str, action: str) -> Proposal:
    """Sign a pending proposal as `title` (职务) and issue its measure in the same transaction, audited as
    `action`. Callers check who may sign: `approve` (the president) or `own_decisions` (the judge)."""
    today = timezone.localdate()
    with transaction.atomic():
        p = _locked_pending(proposal)
        p.status, p.approver, p.decided_on = Proposal.Status.APPROVED, actor, today
        p.approver_name = (actor.get_full_name() or actor.get_username())[:64]
        p.signer_title = title[:16]
        p.save(update_fields=["status", "approver", "approver_name", "signer_title", "decided_on"])
        if p.kind == Proposal.Kind.LISTING:
            listing = issue_listing(actor, p.case, p.party, listing_data(p), proposal=p)
            p.listing, p.document_number = listing, listing.document_number
        else:
            _open_case(p.case, p.party)
            rows = impose_consumption(
                actor,
                p.case,
                p.party,
                items=p.data["items"],
                bound_persons=_bound_of(p.data.get("bound_persons", [])),
                grace_months=p.grace_months,
                proposal=p,
                initiation=p.data.get("initiation", "ex_officio"),
            )
            p.document_number = rows[0].document_number
        p.save(update_fields=["listing", "document_number"])
        audit.record(
            actor,
            action,
            object_type="Proposal",
            object_id=p.pk,
            case_id=p.case_id,
            before={"status": Proposal.Status.PENDING},
            after={
                "decision": p.kind,
                "summary": p.summary,
                "status": p.status,
                "document_number": p.document_number,
                "approver": p.approver_name,
                "signer_title": p.signer_title,
            },
        )
        if p.proposed_by_id == actor.pk:  # the judge signed his own decision: nobody else to tell
            return p
        notify(
            p.proposed_by,
            "credit.proposal_decided",
            f"院长已签发{p.get_kind_display()}（{p.case.number}，{p.party.name}），请送达被执行人",
            reverse("credit_case", args=[p.case_id]),
            source=f"credit.Proposal:{p.pk}",
        )
    return p


def reject(actor: Any, proposal: Proposal, *, reason: str) -> Proposal:
    """The court president declines to sign; nothing is issued."""
    require_approve(actor, proposal.court)
    if not reason.strip():
        raise ServiceError("请填写不予批准的理由", field="reason")
    with transaction.atomic():
        p = _locked_pending(proposal)
        p.status, p.approver, p.decided_on = Proposal.Status.REJECTED, actor, timezone.localdate()
        p.approver_name = (actor.get_full_name() or actor.get_username())[:64]
        p.reject_reason = reason.strip()[:200]
        p.save(update_fields=["status", "approver", "approver_name", "decided_on", "reject_reason"])
        audit.record(
            actor,
            "credit.approve_reject",
            object_type="Proposal",
            object_id=p.pk,
            case_id=p.case_id,
            before={"status": Proposal.Status.PENDING},
            after={"status": p.status, "reason": p.reject_reason},
        )
        notify(
            p.proposed_by,
            "credit.proposal_decided",
            f"院长不予批准{p.get_kind_display()}（{p.case.number}）：{p.reject_reason}",
            reverse("credit_case", args=[p.case_id]),
            source=f"credit.Proposal:{p.pk}",
        )
    return p


def record_service(actor: Any, proposal: Proposal, *, method: str, on: date | None) -> Proposal:
    """Record service of a signed decision on the debtor; date every period that runs from it."""
    require_write(actor, proposal.court)
    if method not in rules.SERVICE_METHODS:
        raise ServiceError("请选择送达方式", field="method")
    today = timezone.localdate()
    if on is None:
        raise ServiceError("请填写送达日期", field="on")
    if on > today:
        raise ServiceError("送达日期不能晚于今天", field="on")
    with transaction.atomic():
        audit.lock_chain(proposal.court)  # before the listing's row lock: see `audit.lock_chain`
        p = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if p.status != Proposal.Status.APPROVED or p.decided_on is None:
            raise Conflict("决定尚未经院长签发，不能登记送达", field="proposal")
        if p.served_on is not None:
            raise Conflict("已登记送达", field="on")
        if on < p.decided_on:
            raise ServiceError(f"送达日期不能早于签发日期（{p.decided_on:%Y-%m-%d}）", field="on")
        periods = rules.service_periods(p.kind, method, on, p.grace_months, p.decided_on, current_calendar())
        p.service_method, p.service_act_on, p.served_on = method, on, periods.served_on
        p.save(update_fields=["service_method", "service_act_on", "served_on"])
        keys: set[str] = set()
        if p.listing_id is not None and periods.publish_on is not None:
            listing = Listing.objects.select_for_update().get(pk=p.listing_id)
            if listing.status == Listing.Status.ACTIVE and not listing.registered:
                listing.publish_on = periods.publish_on
                listing.registered = periods.publish_on <= today
                listing.save(update_fields=["publish_on", "registered"])
                keys.add(listing.subject_key)
        effective = rules.consumption_effective_on(periods.served_on, p.grace_months)
        for r in Restriction.objects.select_for_update().filter(proposal=p, awaiting_service=True):
            r.effective_on, r.awaiting_service = effective, False
            r.registered = effective <= today and r.status == Restriction.Status.ACTIVE
            r.save(update_fields=["effective_on", "awaiting_service", "registered"])
            keys.add(r.subject_key)
        for key in keys:
            refresh_subject(key, today)
        audit.record(
            actor,
            "credit.served",
            object_type="Proposal",
            object_id=p.pk,
            case_id=p.case_id,
            after={
                "method": method,
                "on": on,
                "served_on": periods.served_on,
                "effective_on": effective,
                "publish_on": periods.publish_on,
            },
        )
    return p
